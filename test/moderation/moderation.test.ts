import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import { gradedItems } from '../../src/moderation/service';
import type { Framework } from '../../src/frameworks/types';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
let framework: Framework;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  for (const [role, email] of Object.entries(DEMO))
    tokens[role] = (await ctx.services.tokens.create({ email }, SYSTEM_ACTOR)).token;
  await ctx.services.users.add(
    {
      email: 'north.moderator@demoshire.example',
      displayName: 'Nora North',
      roles: ['moderator'],
      teamCodes: ['assessment-north'],
    },
    SYSTEM_ACTOR,
  );
  tokens.northModerator = (
    await ctx.services.tokens.create({ email: 'north.moderator@demoshire.example' }, SYSTEM_ACTOR)
  ).token;
  await ctx.services.users.add(
    { email: 'other.moderator@demoshire.example', displayName: 'Olu Other', roles: ['moderator'] },
    SYSTEM_ACTOR,
  );
  tokens.otherModerator = (
    await ctx.services.tokens.create({ email: 'other.moderator@demoshire.example' }, SYSTEM_ACTOR)
  ).token;
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
});
afterAll(() => ctx.close());

const as = (who: string) => ({
  get: (url: string) => request(ctx.app).get(url).set('Authorization', `Bearer ${tokens[who]}`),
  post: (url: string) => request(ctx.app).post(url).set('Authorization', `Bearer ${tokens[who]}`),
});

async function submit(auditId: number, rank: number) {
  const { version } = (await as('auditor').get(`/api/audits/${auditId}`)).body;
  return as('auditor')
    .post(`/api/audits/${auditId}/submit`)
    .send({ version, response: completeResponse(framework, () => rank) })
    .expect(200);
}

const everyGrade = (grade: string) =>
  Object.fromEntries(gradedItems(framework).map((item) => [item.id, grade]));

describe('moderation', () => {
  let audits: number[];
  beforeAll(async () => {
    ({ auditIds: audits } = await roundForAuditor(ctx.services, {
      name: 'Moderated round',
      moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
    }));
    for (const id of audits) await submit(id, 1);
  });

  it('queues every submitted audit the policy selects, for moderators without a conflict', async () => {
    const queue = (await as('moderator').get('/api/moderation/queue').expect(200)).body.queue;
    expect(queue.map((q: { auditId: number }) => q.auditId).sort()).toEqual([...audits].sort());
    // Blind: why it was selected is withheld until the moderator has graded it.
    expect(queue[0]).toMatchObject({ reason: 'selected', blind: true, status: 'queued' });
    // A moderator who manages one of the cases' teams never sees that audit.
    const north = (await as('northModerator').get('/api/moderation/queue').expect(200)).body.queue;
    expect(north.length).toBe(audits.length - 1);
    const conflicted = audits.find((id) => !north.some((q: { auditId: number }) => q.auditId === id));
    // It is answered as one not selected, so ids cannot be probed.
    await as('northModerator').get(`/api/audits/${conflicted}/moderation`).expect(404);
    await as('northModerator')
      .post(`/api/audits/${conflicted}/moderation`)
      .send({ grades: everyGrade('good') })
      .expect(404);
    // Only moderators use the queue.
    await as('auditor').get('/api/moderation/queue').expect(403);
    await as('director').get('/api/moderation/queue').expect(403);
  });

  it('is blind: the moderator grades first, then sees the auditor’s grades and records the outcome', async () => {
    const id = audits[0] as number;
    const mark = await eventMark(ctx.db.knex);
    const before = (await as('moderator').get(`/api/audits/${id}/moderation`).expect(200)).body;
    expect(before.revealed).toBe(false);
    expect(before.response).toBeUndefined();
    expect(before.grades).toEqual([]);
    expect(JSON.stringify(before)).not.toMatch(/"good"/);

    const early = await as('moderator')
      .post(`/api/audits/${id}/moderation`)
      .send({ agreed: everyGrade('good') })
      .expect(422);
    expect(early.body.errors[0].field).toBe('grades');
    const partial = await as('moderator')
      .post(`/api/audits/${id}/moderation`)
      .send({ grades: { overall: 'good' } })
      .expect(422);
    expect(partial.body.errors.length).toBe(gradedItems(framework).length - 1);

    const own = { ...everyGrade('good'), recording: 'requires-improvement', overall: 'requires-improvement' };
    await as('moderator').post(`/api/audits/${id}/moderation`).send({ grades: own }).expect(200);
    // Taken: another moderator can no longer record on it.
    await as('otherModerator')
      .post(`/api/audits/${id}/moderation`)
      .send({ agreed: everyGrade('good') })
      .expect(403);

    const after = (await as('moderator').get(`/api/audits/${id}/moderation`).expect(200)).body;
    expect(after.revealed).toBe(true);
    expect(after.response.overall.grade).toBe('good');
    expect(after.grades.find((g: { sectionId: string }) => g.sectionId === 'recording')).toMatchObject({
      auditorGrade: 'good',
      moderatorGrade: 'requires-improvement',
    });

    const agreed = { ...everyGrade('good'), recording: { grade: 'requires-improvement' } };
    const noReason = await as('moderator').post(`/api/audits/${id}/moderation`).send({ agreed }).expect(422);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'agreed.recording.reason' })]);
    const done = await as('moderator')
      .post(`/api/audits/${id}/moderation`)
      .send({
        agreed: {
          ...agreed,
          recording: { grade: 'requires-improvement', reason: 'Case notes are months late' },
        },
        summary: 'Well evidenced apart from recording.',
      })
      .expect(200);
    expect(done.body.status).toBe('completed');
    const rows = await ctx.db
      .knex('moderation_grade as g')
      .join('moderation as m', 'm.id', 'g.moderation_id')
      .where('m.audit_id', id)
      .select('g.*');
    expect(rows.find((r: { section_id: string }) => r.section_id === 'recording')).toMatchObject({
      auditor_grade: 'good',
      moderator_grade: 'requires-improvement',
      agreed_grade: 'requires-improvement',
      outcome: 'downgraded',
    });
    expect(rows.find((r: { section_id: string }) => r.section_id === 'overall')).toMatchObject({
      agreed_grade: 'good',
      outcome: 'upheld',
    });
    // Each stage is logged once, by the moderator; the refused attempts are not logged.
    const priya = (await ctx.services.users.findByEmail(DEMO.moderator))?.id;
    const stages = (await eventsSince(ctx.db.knex, mark)).filter((e) => !e.action.endsWith('.view'));
    expect(stages).toEqual([
      expect.objectContaining({ action: 'moderation.grade', recordId: String(id), actorUserId: priya }),
      expect.objectContaining({ action: 'moderation.complete', recordId: String(id), actorUserId: priya }),
    ]);
  });

  it('stops the auditor reopening an audit a moderator has started, and cancels a queued one on reopening', async () => {
    const versionOf = async (id: number) => (await as('auditor').get(`/api/audits/${id}`)).body.version;
    const started = audits[0] as number;
    await as('auditor')
      .post(`/api/audits/${started}/reopen`)
      .send({ version: await versionOf(started), reason: 'typo' })
      .expect(422);
    const queued = audits[1] as number;
    await as('auditor')
      .post(`/api/audits/${queued}/reopen`)
      .send({ version: await versionOf(queued), reason: 'typo' })
      .expect(200);
    const queue = (await as('moderator').get('/api/moderation/queue')).body.queue;
    expect(queue.some((q: { auditId: number }) => q.auditId === queued)).toBe(false);
    expect(await ctx.db.knex('moderation').where({ audit_id: queued }).first()).toMatchObject({
      status: 'cancelled',
    });
  });

  it('measures agreement between auditors and moderators', async () => {
    const stats = (await as('headOfService').get('/api/moderation/statistics').expect(200)).body;
    expect(stats.overall).toMatchObject({ pairs: 1, agreed: 0, percentAgreement: 0, downgraded: 1 });
    expect(stats.sections.pairs).toBe(gradedItems(framework).length - 1);
    expect(stats.byAuditor[0].key).toBe('Aisha Khan');
    await as('auditor').get('/api/moderation/statistics').expect(403);
  });
});

describe('a moderator’s own audits', () => {
  let own: number[];
  beforeAll(async () => {
    // Audits by Priya Shah, auditor and moderator, all selected for moderation.
    ({ auditIds: own } = await roundForAuditor(ctx.services, {
      name: 'Own audits round',
      auditor: DEMO.moderator,
      moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
    }));
    expect(own.length).toBe(4);
    for (const id of own) {
      const { version } = (await as('moderator').get(`/api/audits/${id}`).expect(200)).body;
      await as('moderator')
        .post(`/api/audits/${id}/submit`)
        .send({ version, response: completeResponse(framework, () => 1) })
        .expect(200);
    }
  });

  it('are queued for other moderators but never for their auditor, in the API', async () => {
    const ids = async (who: string) =>
      (await as(who).get('/api/moderation/queue').expect(200)).body.queue.map(
        (q: { auditId: number }) => q.auditId,
      );
    expect(await ids('otherModerator')).toEqual(expect.arrayContaining(own));
    expect((await ids('moderator')).filter((id: number) => own.includes(id))).toEqual([]);
    for (const id of own) {
      await as('moderator').get(`/api/audits/${id}/moderation`).expect(404);
      await as('moderator')
        .post(`/api/audits/${id}/moderation`)
        .send({ grades: everyGrade('good') })
        .expect(404);
      await as('otherModerator').get(`/api/audits/${id}/moderation`).expect(200);
    }
    expect(
      await ctx.db.knex('moderation').whereIn('audit_id', own).whereNotNull('moderator_user_id'),
    ).toEqual([]);
  });

  it('are neither listed nor opened nor recorded on their auditor’s pages', async () => {
    const priya = await signedInAgent(ctx, DEMO.moderator);
    const olu = await signedInAgent(ctx, 'other.moderator@demoshire.example');
    const queue = (await priya.get('/moderation').expect(200)).text;
    const others = (await olu.get('/moderation').expect(200)).text;
    for (const id of own) {
      expect(others).toContain(`href="/moderation/audits/${id}"`);
      expect(queue).not.toContain(`href="/moderation/audits/${id}"`);
      await priya.get(`/moderation/audits/${id}`).expect(404);
      await olu.get(`/moderation/audits/${id}`).expect(200);
      await priya
        .post(`/moderation/audits/${id}`)
        .type('form')
        .send({ _csrf: csrfTokenIn(queue), stage: 'grades', 'grade-overall': 'good' })
        .expect(404);
    }
    expect(
      await ctx.db.knex('moderation').whereIn('audit_id', own).whereNotNull('moderator_user_id'),
    ).toEqual([]);
  });
});

describe('moderation policy', () => {
  it('selects every inadequate audit, none at random at 0 %, and records outcomes at once when not blind', async () => {
    const { auditIds, roundId } = await roundForAuditor(ctx.services, {
      name: 'Inadequate round',
      moderation: { samplePercent: 0, allInadequate: true, allOutstanding: false, blind: false },
    });
    const [bad, fine] = auditIds as [number, number];
    await submit(bad, 3);
    await submit(fine, 1);
    const queue = (await as('moderator').get('/api/moderation/queue')).body.queue;
    const ids = queue.map((q: { auditId: number }) => q.auditId);
    expect(ids).toContain(bad);
    expect(ids).not.toContain(fine);
    expect(queue.find((q: { auditId: number }) => q.auditId === bad)).toMatchObject({
      reason: 'inadequate',
      blind: false,
    });
    const open = (await as('moderator').get(`/api/audits/${bad}/moderation`)).body;
    expect(open.revealed).toBe(true);
    await as('moderator')
      .post(`/api/audits/${bad}/moderation`)
      .send({ agreed: everyGrade('inadequate') })
      .expect(200);

    await request(ctx.app)
      .put(`/api/audit-rounds/${roundId}/moderation`)
      .set('Authorization', `Bearer ${tokens.admin}`)
      .send({ samplePercent: 101, allInadequate: true, allOutstanding: false, blind: true })
      .expect(422);
    await request(ctx.app)
      .put(`/api/audit-rounds/${roundId}/moderation`)
      .set('Authorization', `Bearer ${tokens.admin}`)
      .send({ samplePercent: 50, allInadequate: true, allOutstanding: true, blind: true })
      .expect(200);
  });
});

describe('moderation policy page', () => {
  it('lets an admin change a round’s policy, refusing a percentage out of range', async () => {
    const { roundId } = await roundForAuditor(ctx.services, { name: 'Policy page round' });
    const admin = await signedInAgent(ctx, DEMO.admin);
    const show = await admin.get(`/rounds/${roundId}`).expect(200);
    expect(show.text).toContain(
      '20% of submitted audits at random, every audit graded inadequate overall; blind',
    );
    const page = await admin.get(`/rounds/${roundId}/moderation`).expect(200);
    const bad = await admin
      .post(`/rounds/${roundId}/moderation`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), samplePercent: '150', always: 'inadequate', blind: 'yes' })
      .expect(422);
    expect(bad.text).toContain('href="#samplePercent"');
    await admin
      .post(`/rounds/${roundId}/moderation`)
      .type('form')
      .send({
        _csrf: csrfTokenIn(page.text),
        samplePercent: '35',
        always: ['inadequate', 'outstanding'],
        blind: 'no',
      })
      .expect(303);
    expect((await ctx.db.knex('audit_round').where({ id: roundId }).first()).moderation).toEqual({
      samplePercent: 35,
      allInadequate: true,
      allOutstanding: true,
      blind: false,
    });
    const auditor = await signedInAgent(ctx, DEMO.auditor);
    await auditor.get(`/rounds/${roundId}/moderation`).expect(403);
  });
});
