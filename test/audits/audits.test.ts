import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { contentHash } from '../../src/frameworks/canonical-json';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
const tokens: Record<keyof typeof DEMO, string> = {} as Record<keyof typeof DEMO, string>;
let framework: Framework;
let auditIds: number[];

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  for (const [role, email] of Object.entries(DEMO))
    tokens[role as keyof typeof DEMO] = (await ctx.services.tokens.create({ email }, SYSTEM_ACTOR)).token;
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  ({ auditIds } = await roundForAuditor(ctx.services, {
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  }));
});
afterAll(() => ctx.close());

const as = (role: keyof typeof DEMO) => ({
  get: (url: string) => request(ctx.app).get(url).set('Authorization', `Bearer ${tokens[role]}`),
  put: (url: string) => request(ctx.app).put(url).set('Authorization', `Bearer ${tokens[role]}`),
  post: (url: string) => request(ctx.app).post(url).set('Authorization', `Bearer ${tokens[role]}`),
});
const good = () => completeResponse(framework, () => 1);
const auditOf = (index: number) => auditIds[index] as number;

const userId = async (email: string) => (await ctx.services.users.findByEmail(email))?.id as number;

/** The audit on the case of this team (by code) in a new round for the demo auditor. */
async function auditIn(teamCode: string, roundName: string): Promise<number> {
  const round = await roundForAuditor(ctx.services, { name: roundName });
  for (const id of round.auditIds) if ((await teamOf(id)) === teamCode) return id;
  throw new Error(`no audit in ${teamCode}`);
}

/** Who each escalation of the audit's concerns went to, by role. */
const recipientsOf = (auditId: number) =>
  ctx.db
    .knex('escalation as e')
    .join('safeguarding_concern as s', 's.id', 'e.concern_id')
    .where('s.audit_id', auditId)
    .orderBy('e.recipient_role')
    .select('e.recipient_role', 'e.recipient_user_id');

async function teamOf(auditId: number): Promise<string> {
  const row = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .where('a.id', auditId)
    .first('t.code');
  return (row as { code: string }).code;
}

describe('grading an audit through the API', () => {
  it('shows the auditor the case profile, the pinned framework version and the due date', async () => {
    const mark = await eventMark(ctx.db.knex);
    const res = await as('auditor')
      .get(`/api/audits/${auditOf(0)}`)
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'allocated',
      version: 0,
      revision: 0,
      dueDate: '2099-01-31',
      framework: { id: FRAMEWORK.id, version: FRAMEWORK.version },
      access: { edit: true },
      response: {},
    });
    expect(res.body.case).toMatchObject({ caseRef: expect.any(String), team: { name: expect.any(String) } });
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'audit.view',
        recordId: String(auditOf(0)),
        actorUserId: await userId(DEMO.auditor),
      }),
    ]);
  });

  it('saves drafts with the version they are based on, and refuses a stale one with 409 and the current version', async () => {
    const id = auditOf(0);
    const first = await as('auditor')
      .put(`/api/audits/${id}`)
      .send({ version: 0, response: { sections: { recording: { grade: 'good' } } } })
      .expect(200);
    expect(first.body).toMatchObject({ version: 1, revision: 1 });
    const stale = await as('auditor')
      .put(`/api/audits/${id}`)
      .send({ version: 0, response: { sections: { recording: { grade: 'inadequate' } } } })
      .expect(409);
    expect(stale.body.current).toMatchObject({
      version: 1,
      response: { sections: { recording: { grade: 'good' } } },
    });
    const got = await as('auditor').get(`/api/audits/${id}`).expect(200);
    expect(got.body).toMatchObject({ status: 'in_progress', version: 1 });
    expect(got.body.response.sections.recording.grade).toBe('good');
    await as('auditor').put(`/api/audits/${id}`).send({ response: {} }).expect(422);
  });

  it('refuses invalid draft answers with field-level errors and changes nothing', async () => {
    const id = auditOf(0);
    const res = await as('auditor')
      .put(`/api/audits/${id}`)
      .send({ version: 1, response: { sections: { recording: { grade: 'brilliant' } } } })
      .expect(422);
    expect(res.body.errors[0].field).toMatch(/recording/);
    expect((await as('auditor').get(`/api/audits/${id}`)).body.version).toBe(1);
  });

  it('loses no update when several writers save at once: one wins each version, the rest get 409 and retry', async () => {
    const id = auditOf(1);
    const writers = 8;
    // All at once from the same version: exactly one is accepted.
    const burst = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        as('auditor')
          .put(`/api/audits/${id}`)
          .send({ version: 0, response: { sections: { recording: { strengths: `writer ${i}` } } } }),
      ),
    );
    expect(burst.filter((r) => r.status === 200)).toHaveLength(1);
    expect(burst.filter((r) => r.status === 409)).toHaveLength(writers - 1);

    // Each writer adds its own answer by read, change, save; on 409 it rereads and tries again.
    const questions = framework.sections
      .find((s) => s.id === 'recording')
      ?.questions.filter((q) => q.type === 'text' || q.type === 'yes-no-na')
      .slice(0, 4) as Framework['sections'][number]['questions'];
    const texts = ['strengths', 'developments', 'rationale'] as const;
    const edits = [
      ...texts.map((key) => (r: Record<string, unknown>) => ({ ...r, [key]: `by ${key}` })),
      ...questions.map((q) => (r: Record<string, unknown>) => ({
        ...r,
        answers: { ...(r.answers as object), [q.id]: q.type === 'text' ? 'noted' : 'yes' },
      })),
    ];
    // Every writer reads before any writes, so the first round of saves conflicts for all writers but one.
    let conflicts = 0;
    let read = 0;
    let allRead: () => void = () => undefined;
    const everyoneHasRead = new Promise<void>((resolve) => (allRead = resolve));
    await Promise.all(
      edits.map(async (edit) => {
        for (let attempt = 0; ; attempt += 1) {
          const current = (await as('auditor').get(`/api/audits/${id}`)).body;
          if (attempt === 0) {
            read += 1;
            if (read === edits.length) allRead();
            await everyoneHasRead;
          }
          const section = (current.response.sections?.recording ?? {}) as Record<string, unknown>;
          const res = await as('auditor')
            .put(`/api/audits/${id}`)
            .send({ version: current.version, response: { sections: { recording: edit(section) } } });
          if (res.status === 200) return;
          expect(res.status).toBe(409);
          conflicts += 1;
        }
      }),
    );
    const final = (await as('auditor').get(`/api/audits/${id}`)).body;
    const recording = final.response.sections.recording;
    for (const key of texts) expect(recording[key]).toBe(`by ${key}`);
    for (const q of questions) expect(recording.answers[q.id]).toBeDefined();
    expect(final.version).toBe(1 + edits.length);
    expect(conflicts).toBeGreaterThanOrEqual(edits.length - 1);
  });

  it('refuses to submit an incomplete audit with 422 and an error per field', async () => {
    const id = auditOf(0);
    const res = await as('auditor').post(`/api/audits/${id}/submit`).send({ version: 1 }).expect(422);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields.length).toBeGreaterThan(5);
    expect(fields.some((f) => f.startsWith('/sections/'))).toBe(true);
    expect((await as('auditor').get(`/api/audits/${id}`)).body.status).toBe('in_progress');
  });

  it('submits a complete audit as an immutable, hashed snapshot with its grades recorded', async () => {
    const id = auditOf(0);
    const response = good();
    const mark = await eventMark(ctx.db.knex);
    const res = await as('auditor')
      .post(`/api/audits/${id}/submit`)
      .send({ version: 1, response })
      .expect(200);
    expect(res.body).toMatchObject({ revision: 1, contentHash: contentHash(response) });
    const row = await ctx.db.knex('audit_revision').where({ audit_id: id, revision: 1 }).first();
    expect(row).toMatchObject({ status: 'submitted', content_hash: contentHash(row.response) });
    await expect(
      ctx.db.knex('audit_revision').where({ id: row.id }).update({ overall_grade: 'outstanding' }),
    ).rejects.toThrow(/cannot be changed/);
    const grades = await ctx.db.knex('audit_section_grade').where({ audit_revision_id: row.id });
    expect(grades.map((g: { section_id: string }) => g.section_id)).toContain('overall');
    await as('auditor').put(`/api/audits/${id}`).send({ version: res.body.version, response }).expect(422);
    // The response sent is saved, then submitted: each logged once, by its auditor, in the one request;
    // the refused save is not logged.
    const aisha = await userId(DEMO.auditor);
    const logged = await eventsSince(ctx.db.knex, mark);
    expect(logged).toEqual([
      expect.objectContaining({ action: 'audit.save_draft', recordId: String(id), actorUserId: aisha }),
      expect.objectContaining({ action: 'audit.submit', recordId: String(id), actorUserId: aisha }),
    ]);
    expect(logged[1]?.requestId).toBe(logged[0]?.requestId);
  });

  it('keeps a submitted revision in the database itself: no UPDATE or DELETE of it is accepted', async () => {
    const row = await ctx.db
      .knex('audit_revision')
      .where({ audit_id: auditOf(0), status: 'submitted' })
      .orderBy('revision')
      .first();
    expect(row).toBeDefined();
    const refusals = [
      ['update audit_revision set response = ?::jsonb where id = ?', ['{}', row.id]],
      ['update audit_revision set status = ? where id = ?', ['draft', row.id]],
      ['delete from audit_revision where id = ?', [row.id]],
    ] as const;
    for (const [sql, bindings] of refusals)
      await expect(ctx.db.knex.raw(sql, [...bindings])).rejects.toThrow(
        sql.startsWith('delete') ? /audit revisions are kept: \d+ cannot be deleted/ : /cannot be changed/,
      );
    expect(await ctx.db.knex('audit_revision').where({ id: row.id }).first()).toEqual(row);
  });

  it('reopens a submitted audit as a new revision with a reason, keeping the submitted one', async () => {
    const id = auditOf(0);
    const { version } = (await as('auditor').get(`/api/audits/${id}`)).body;
    await as('auditor').post(`/api/audits/${id}/reopen`).send({ version, reason: ' ' }).expect(422);
    const res = await as('auditor')
      .post(`/api/audits/${id}/reopen`)
      .send({ version, reason: 'The plan date was wrong' })
      .expect(200);
    expect(res.body).toMatchObject({ revision: 2 });
    const got = (await as('auditor').get(`/api/audits/${id}`)).body;
    expect(got.status).toBe('in_progress');
    expect(got.revisions).toMatchObject([
      { revision: 1, status: 'submitted' },
      { revision: 2, status: 'draft', reopenReason: 'The plan date was wrong' },
    ]);
    expect(got.response.overall.grade).toBeDefined();
    const resubmitted = await as('auditor')
      .post(`/api/audits/${id}/submit`)
      .send({ version: got.version })
      .expect(200);
    expect(resubmitted.body.revision).toBe(2);
  });

  it('records an immediate safeguarding concern and escalates it to the team manager and head of service', async () => {
    // Family Safeguarding South 1: Hassan Campbell manages it, Fiona Gallagher leads its service area.
    const id = await auditIn('family-safeguarding-south-1', 'Concern recipients round');
    await as('auditor').post(`/api/audits/${id}/safeguarding-concerns`).send({ details: '' }).expect(422);
    const res = await as('auditor')
      .post(`/api/audits/${id}/safeguarding-concerns`)
      .send({ details: 'Bruising seen at the last visit has not been followed up.' })
      .expect(201);
    const hassan = await userId(DEMO.teamManagerOnly);
    const fiona = await userId(DEMO.headOfService);
    expect(
      res.body.recipients.map((r: { role: string; userId: number; name: string }) => [
        r.role,
        r.userId,
        r.name,
      ]),
    ).toEqual([
      ['team_manager', hassan, 'Hassan Campbell'],
      ['head_of_service', fiona, 'Fiona Gallagher'],
    ]);
    expect(res.body.unrouted).toEqual([]);
    expect(res.body.message).toMatch(/^Safeguarding concern recorded and sent to Hassan Campbell/);
    expect(await recipientsOf(id)).toEqual([
      { recipient_role: 'head_of_service', recipient_user_id: fiona },
      { recipient_role: 'team_manager', recipient_user_id: hassan },
    ]);
    const got = (await as('auditor').get(`/api/audits/${id}`)).body;
    expect(got.safeguardingConcerns[0].details).toMatch(/Bruising/);
    // On submission the framework's safeguarding question is answered from the concerns recorded.
    await as('auditor')
      .post(`/api/audits/${id}/submit`)
      .send({ version: got.version, response: good() })
      .expect(200);
    const submitted = await ctx.db.knex('audit_revision').where({ audit_id: id }).first();
    expect(submitted.response.safeguardingConcern).toMatchObject({ raised: true });
  });
});

describe('the safeguarding question answered in the response', () => {
  it('escalates at once, once per concern, to the team’s manager and the area’s head of service', async () => {
    const id = await auditIn('family-safeguarding-south-1', 'Concern round');
    const concern = { raised: true, details: 'Child seen with a burn; no explanation recorded.' };
    const first = await as('auditor')
      .put(`/api/audits/${id}`)
      .send({ version: 0, response: { safeguardingConcern: concern } })
      .expect(200);
    await as('auditor')
      .put(`/api/audits/${id}`)
      .send({ version: first.body.version, response: { safeguardingConcern: concern } })
      .expect(200);
    const concerns = await ctx.db.knex('safeguarding_concern').where({ audit_id: id });
    expect(concerns).toHaveLength(1);
    expect(await recipientsOf(id)).toEqual([
      { recipient_role: 'head_of_service', recipient_user_id: await userId(DEMO.headOfService) },
      { recipient_role: 'team_manager', recipient_user_id: await userId(DEMO.teamManagerOnly) },
    ]);
  });

  it('records the concern for every role even when nobody holds it, reaching nobody', async () => {
    // Children in Care North has no team manager who is a user; nor has its service area a head of service.
    const id = await auditIn('children-in-care-north', 'Unheld roles round');
    const concern = { raised: true, details: 'Child left alone overnight.' };
    await as('auditor')
      .put(`/api/audits/${id}`)
      .send({ version: 0, response: { safeguardingConcern: concern } })
      .expect(200);
    expect(await recipientsOf(id)).toEqual([
      { recipient_role: 'head_of_service', recipient_user_id: null },
      { recipient_role: 'team_manager', recipient_user_id: null },
    ]);
    const needs = (await as('admin').get('/api/needs-attention').expect(200)).body.escalations;
    expect(needs.filter((e: { auditId: number }) => e.auditId === id)).toHaveLength(2);
  });
});

describe('who may see and change an audit', () => {
  let north: number;
  let other: number;
  beforeAll(async () => {
    const round = await roundForAuditor(ctx.services, { name: 'Access round' });
    const teams = await Promise.all(round.auditIds.map(async (id) => ({ id, team: await teamOf(id) })));
    north = teams.find((a) => a.team === 'assessment-north')?.id as number;
    other = teams.find((a) => a.team === 'family-safeguarding-south-1')?.id as number;
    expect(north && other).toBeTruthy();
  });

  it('lets only the allocated auditor change it: 403 to those who may read it, 404 to the rest', async () => {
    const refusals = { admin: 403, teamManager: 403, moderator: 404, headOfService: 404, director: 404 };
    for (const [role, status] of Object.entries(refusals) as [keyof typeof refusals, number][]) {
      await as(role).put(`/api/audits/${north}`).send({ version: 0, response: {} }).expect(status);
      await as(role).post(`/api/audits/${north}/submit`).send({ version: 0 }).expect(status);
      await as(role).post(`/api/audits/${north}/reopen`).send({ version: 0, reason: 'x' }).expect(status);
    }
  });

  it('lets team managers read what was submitted for their teams’ cases, never drafts', async () => {
    const draft = await as('auditor')
      .put(`/api/audits/${north}`)
      .send({ version: 0, response: { sections: { recording: { grade: 'good' } } } })
      .expect(200);
    const before = await as('teamManager').get(`/api/audits/${north}`).expect(200);
    expect(before.body.access).toEqual({ readSubmitted: true, readDraft: false, edit: false });
    expect(before.body.response).toEqual({});
    expect(before.body.revisions).toEqual([]);
    await as('auditor')
      .post(`/api/audits/${north}/submit`)
      .send({ version: draft.body.version, response: good() })
      .expect(200);
    const after = await as('teamManager').get(`/api/audits/${north}`).expect(200);
    expect(after.body.response.overall.grade).toBeDefined();
    // The manager of another team does not; nor does the head of another service area.
    await as('teamManagerOnly').get(`/api/audits/${north}`).expect(404);
    await as('headOfService').get(`/api/audits/${north}`).expect(404);
    // The head of safeguarding reads the family safeguarding team's audits (nothing submitted yet).
    const area = await as('headOfService').get(`/api/audits/${other}`).expect(200);
    expect(area.body.response).toEqual({});
    await as('teamManager').get(`/api/audits/${other}`).expect(404);
  });

  it('lets admins read drafts but refuses directors, unrelated moderators and strangers', async () => {
    await as('admin').get(`/api/audits/${other}`).expect(200);
    await request(ctx.app).get(`/api/audits/${north}`).expect(401);
    // An audit the user may not read and one that does not exist get the same answer.
    const missing = await as('auditor').get('/api/audits/999999').expect(404);
    for (const role of ['director', 'moderator'] as const) {
      const hidden = await as(role).get(`/api/audits/${north}`).expect(404);
      expect(hidden.body.detail).toBe(missing.body.detail.replace('999999', String(north)));
    }
  });
});
