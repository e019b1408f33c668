import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import { myAudits } from '../../src/my-audits/sections';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK } from '../support/audits';
import { importNativeCases } from '../support/case-lists';

let ctx: TestContext;
let adminToken: string;
let caseRef: string;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  adminToken = (await ctx.services.tokens.create({ email: DEMO.admin }, SYSTEM_ACTOR)).token;
  await importNativeCases(ctx.services.cases, 20, 'calibration.csv');
  const row = await ctx.db
    .knex('case_record as c')
    .join('team as t', 't.id', 'c.team_id')
    .where('t.code', 'leaving-care-north')
    .first('c.case_ref');
  caseRef = (row as { case_ref: string }).case_ref;
});
afterAll(() => ctx.close());

const userId = async (email: string) => (await ctx.services.users.findByEmail(email))?.id as number;

describe('calibration exercises', () => {
  it('refuses an exercise with fewer than two auditors, an unknown case or a conflicted auditor', async () => {
    const res = await request(ctx.app)
      .post('/api/calibrations')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        name: '',
        caseRef: 'NOPE',
        frameworkId: FRAMEWORK.id,
        frameworkVersion: FRAMEWORK.version,
        dueDate: '2099-02-30',
        auditorUserIds: [await userId(DEMO.auditor)],
      })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'auditorUserIds',
      'caseRef',
      'dueDate',
      'name',
    ]);
    const north = await ctx.db
      .knex('case_record as c')
      .join('team as t', 't.id', 'c.team_id')
      .where('t.code', 'assessment-north')
      .first('c.case_ref');
    const conflicted = await request(ctx.app)
      .post('/api/calibrations')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        name: 'Conflicted',
        caseRef: (north as { case_ref: string }).case_ref,
        frameworkId: FRAMEWORK.id,
        frameworkVersion: FRAMEWORK.version,
        dueDate: '2099-02-28',
        auditorUserIds: [await userId(DEMO.auditor), await userId(DEMO.teamManager)],
      })
      .expect(422);
    expect(conflicted.body.errors[0].message).toMatch(/team/);
  });

  it('gives each auditor their own audit of the case and compares their grades', async () => {
    const auditors = [DEMO.auditor, DEMO.moderator, DEMO.teamManager];
    const created = await request(ctx.app)
      .post('/api/calibrations')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        name: 'Calibration: leaving care',
        caseRef,
        frameworkId: FRAMEWORK.id,
        frameworkVersion: FRAMEWORK.version,
        dueDate: '2099-02-28',
        auditorUserIds: await Promise.all(auditors.map(userId)),
      })
      .expect(201);
    const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    // Two auditors grade everything Good; the third grades recording Inadequate.
    for (const [i, email] of auditors.entries()) {
      if (i === 2) continue;
      const user = await ctx.services.users.findByEmail(email);
      const mine = await myAudits(ctx.services.rounds, user?.id as number, SYSTEM_ACTOR);
      const audit = mine.toDo.find((a) => a.calibrationId === created.body.id);
      expect(audit).toMatchObject({ roundName: 'Calibration: leaving care', roundId: null });
      const response = completeResponse(framework, (id) => (i === 1 && id === 'recording' ? 3 : 1));
      await ctx.services.audits.submit(
        audit?.id as number,
        { version: 0, response },
        user as NonNullable<typeof user>,
        { ...SYSTEM_ACTOR, userId: user?.id ?? null },
      );
    }
    const res = await request(ctx.app)
      .get(`/api/calibrations/${created.body.id}`)
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    const { comparison } = res.body;
    expect(comparison.auditors).toEqual(['Aisha Khan', 'Priya Shah']);
    expect(comparison.waitingFor).toHaveLength(1);
    const recording = comparison.items.find((i: { id: string }) => i.id === 'recording');
    expect(recording).toMatchObject({ grades: ['Good', 'Inadequate'], spread: 2 });
    expect(recording.consensus).toBeUndefined();
    expect(comparison.items.find((i: { id: string }) => i.id === 'help-and-protection')).toMatchObject({
      spread: 0,
      consensus: 'Good',
    });

    const moderator = await signedInAgent(ctx, DEMO.moderator);
    const page = await moderator.get(`/calibration/${created.body.id}`).expect(200);
    expect(page.text).toContain('Grades by auditor');
    const auditor = await signedInAgent(ctx, DEMO.auditor);
    await auditor.get(`/calibration/${created.body.id}`).expect(403);
    await auditor
      .get('/my-audits')
      .expect(200)
      .expect(/Calibration: leaving care/);
  });
});

describe('independent grading', () => {
  it('shows a participant who has not yet submitted who has, but nobody’s grades, until they submit', async () => {
    await ctx.services.users.add(
      {
        email: 'calibrating.moderator@example.gov.uk',
        displayName: 'Cal Moderator',
        roles: ['auditor', 'moderator'],
      },
      SYSTEM_ACTOR,
    );
    const participant = await ctx.services.users.findByEmail('calibrating.moderator@example.gov.uk');
    const created = await request(ctx.app)
      .post('/api/calibrations')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        name: 'Calibration: independence',
        caseRef,
        frameworkId: FRAMEWORK.id,
        frameworkVersion: FRAMEWORK.version,
        dueDate: '2099-02-28',
        auditorUserIds: [await userId(DEMO.auditor), participant?.id],
      })
      .expect(201);
    const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    const auditOf = async (id: number) =>
      (await myAudits(ctx.services.rounds, id, SYSTEM_ACTOR)).toDo.find(
        (a) => a.calibrationId === created.body.id,
      )?.id as number;
    const aisha = await ctx.services.users.findByEmail(DEMO.auditor);
    const aishasAudit = await auditOf(aisha!.id);
    await ctx.services.audits.submit(
      aishasAudit,
      { version: 0, response: completeResponse(framework, () => 0) },
      aisha!,
      { ...SYSTEM_ACTOR, userId: aisha!.id },
    );

    const agent = await signedInAgent(ctx, 'calibrating.moderator@example.gov.uk');
    const api = (await agent.get(`/api/calibrations/${created.body.id}`).expect(200)).body;
    expect(api.comparison).toEqual({
      withheld: true,
      submitted: ['Aisha Khan'],
      waitingFor: ['Cal Moderator'],
    });
    expect(api.audits).toHaveLength(2);
    expect(api.audits.map((a: { grades: object }) => a.grades)).toEqual([{}, {}]);
    const page = await agent.get(`/calibration/${created.body.id}`).expect(200);
    expect(page.text).not.toContain('Grades by auditor');
    expect(page.text).not.toContain('Outstanding');
    expect(page.text).toContain('Submitted so far: Aisha Khan');
    // Nor through the other auditor's audit itself.
    await agent.get(`/api/audits/${aishasAudit}`).expect(404);
    await agent.get(`/audits/${aishasAudit}`).expect(404);

    await ctx.services.audits.submit(
      await auditOf(participant!.id),
      { version: 0, response: completeResponse(framework, () => 1) },
      participant!,
      { ...SYSTEM_ACTOR, userId: participant!.id },
    );
    const after = (await agent.get(`/api/calibrations/${created.body.id}`).expect(200)).body;
    expect(after.comparison).toMatchObject({ withheld: false, auditors: ['Aisha Khan', 'Cal Moderator'] });
    expect((await agent.get(`/calibration/${created.body.id}`).expect(200)).text).toContain(
      'Grades by auditor',
    );
  });
});
