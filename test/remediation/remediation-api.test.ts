import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import { calendarOf } from '../../src/working-days/calendar';
import { createTestContext, DEMO, tokenFor, type TestContext } from '../support/app';
import { FRAMEWORK, moderateAll, roundForAuditor } from '../support/audits';
import { eventMark, eventsSince } from '../support/events';

/**
 * Remediation through the API: records opened, changed and withdrawn by an audit's grades, answered by the
 * case team's managers, verified by the auditor. Assessment North is Harry Chen's team (front door area);
 * Family Safeguarding South 1 is Hassan Campbell's, in Fiona Gallagher's service area.
 */

let ctx: TestContext;
let framework: Framework;
let auditor: User;
const audit: Record<string, number> = {};
const tokens: Partial<Record<keyof typeof DEMO, string>> = {};

const GOOD = 1;
const INADEQUATE = 3;
const CODES = ['outstanding', 'good', 'requires-improvement', 'inadequate'];

async function submit(id: number, rank: number) {
  await ctx.services.audits.submit(
    id,
    { version: 0, response: completeResponse(framework, () => rank) },
    auditor,
    {
      ...SYSTEM_ACTOR,
      userId: auditor.id,
    },
  );
}

const moderate = (id: number, rank: number) =>
  moderateAll(ctx.services, framework, id, CODES[rank] as string);

const api = async (who: keyof typeof DEMO) => {
  tokens[who] ??= await tokenFor(ctx, DEMO[who]);
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${tokens[who]}`);
  return {
    get: (path: string) => auth(request(ctx.app).get(path)),
    post: (path: string, body: object) => auth(request(ctx.app).post(path)).send(body),
    patch: (path: string, body: object) => auth(request(ctx.app).patch(path)).send(body),
  };
};

const recordOf = async (auditId: number) =>
  (await ctx.db.knex('remediation_record').where({ audit_id: auditId }).first()) as
    | {
        id: number;
        status: string;
        version: number;
        withdrawn_reason: string | null;
        grade_changed_at_moderation: boolean;
      }
    | undefined;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  auditor = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
  const { auditIds } = await roundForAuditor(ctx.services, {
    perTeam: 3,
    moderation: { samplePercent: 0, allInadequate: true, allOutstanding: false, blind: true },
  });
  const rows: { id: number; team: string }[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .orderBy('a.id')
    .select('a.id', 't.code as team');
  const of = (team: string) => rows.filter((r) => r.team === team).map((r) => r.id);
  const [an1, an2] = of('assessment-north');
  const [fs1, fs2, fs3] = of('family-safeguarding-south-1');
  Object.assign(audit, { an1, an2, fs1, fs2, fs3 });
  await submit(an1!, INADEQUATE);
  await submit(an2!, GOOD);
  await submit(fs1!, INADEQUATE);
  await submit(fs2!, INADEQUATE);
  await submit(fs3!, INADEQUATE);
});
afterAll(() => ctx.close());

describe('records opened by an audit’s grades', () => {
  it('opens one for an inadequate audit, owned by the case’s team, due in working days', async () => {
    const calendar = calendarOf([]);
    const record = await recordOf(audit.an1!);
    expect(record).toMatchObject({ status: 'open' });
    const body = (await (await api('teamManager')).get(`/api/remediations/${record!.id}`).expect(200)).body;
    expect(body).toMatchObject({
      teamName: 'Assessment North',
      status: 'open',
      responseRequired: true,
      responseDue: calendar.addWorkingDays(londonDate(), 5),
      completionDue: calendar.addWorkingDays(londonDate(), 20),
      findings: expect.arrayContaining([
        { on: 'overall', sectionId: 'overall', grade: 'inadequate', worst: true },
      ]),
      actions: [],
      mayRespond: true,
      mayAddActions: true,
      mayVerify: false,
    });
    expect(await recordOf(audit.an2!)).toBeUndefined();
  });

  it('is withdrawn when moderation agrees grades that no longer call for it and nobody has acted', async () => {
    await moderate(audit.fs1!, GOOD);
    expect(await recordOf(audit.fs1!)).toMatchObject({
      status: 'withdrawn',
      withdrawn_reason: 'The grades agreed at moderation no longer call for remediation.',
    });
  });

  it('stays open, marked, when the team has already responded', async () => {
    const record = await recordOf(audit.fs2!);
    await (
      await api('teamManagerOnly')
    )
      .post(`/api/remediations/${record!.id}/response`, {
        version: record!.version,
        response: 'Supervision booked.',
      })
      .expect(200);
    await moderate(audit.fs2!, GOOD);
    expect(await recordOf(audit.fs2!)).toMatchObject({ status: 'open', grade_changed_at_moderation: true });
  });
});

describe('who sees a record', () => {
  // The record of an Assessment North audit graded inadequate, before any action is completed.
  it.each([
    ['teamManager', 200],
    ['teamManagerOnly', 404],
    ['headOfService', 404],
    ['auditor', 200],
    ['moderator', 404],
    ['admin', 200],
    ['director', 403],
  ] as const)('%s: %i', async (who, status) => {
    const record = await recordOf(audit.an1!);
    await (await api(who)).get(`/api/remediations/${record!.id}`).expect(status);
    const listed = await (await api(who)).get('/api/remediations');
    if (status === 403) expect(listed.status).toBe(403);
    else
      expect(listed.body.remediations.map((r: { id: number }) => r.id).includes(record!.id)).toBe(
        status === 200,
      );
  });

  it('lets the head of service see their area’s records, and filters by status', async () => {
    const hos = await api('headOfService');
    const all = (await hos.get('/api/remediations').expect(200)).body.remediations;
    const fs = await Promise.all(['fs1', 'fs2', 'fs3'].map(async (k) => (await recordOf(audit[k]!))!.id));
    expect(all.map((r: { id: number }) => r.id).sort()).toEqual([...fs].sort());
    const open = (await hos.get('/api/remediations?status=open').expect(200)).body.remediations;
    expect(open.map((r: { id: number }) => r.id).sort()).toEqual([fs[1], fs[2]].sort());
    await hos.get('/api/remediations?status=shut').expect(400);
  });
});

describe('the response and actions', () => {
  let recordId: number;
  let owner: number;
  beforeAll(async () => {
    recordId = (await recordOf(audit.an1!))!.id;
    owner = (await ctx.db.knex('person').where({ active: true }).first('id')).id;
  });

  it('refuses a response by anyone but the team’s managers, and a second one', async () => {
    const { version } = (await recordOf(audit.an1!))!;
    await (
      await api('auditor')
    )
      .post(`/api/remediations/${recordId}/response`, { version, response: 'x' })
      .expect(403);
    const harry = await api('teamManager');
    await harry.post(`/api/remediations/${recordId}/response`, { version, response: ' ' }).expect(422);
    const mark = await eventMark(ctx.db.knex);
    await harry
      .post(`/api/remediations/${recordId}/response`, { version, response: 'Plan reviewed.' })
      .expect(200);
    expect(await eventsSince(ctx.db.knex, mark, 'remediation.respond')).toHaveLength(1);
    await harry
      .post(`/api/remediations/${recordId}/response`, { version: version + 1, response: 'Again.' })
      .expect(409);
  });

  it.each([
    ['no intended difference', { intendedDifference: '' }, 'intendedDifference'],
    ['an owner outside the organisation', { ownerPersonId: 99999 }, 'ownerPersonId'],
    ['a due date before today', { dueDate: '2020-01-06' }, 'dueDate'],
    ['a due date that is not a date', { dueDate: '2027-02-30' }, 'dueDate'],
    ['a later due date without a reason', { dueDate: '2099-01-05' }, 'dueReason'],
    ['no kind', { kind: 'paperwork' }, 'kind'],
  ])('refuses an action with %s, naming the field and writing nothing', async (_what, change, field) => {
    const before = await ctx.db.knex('remediation_action').count('* as n').first();
    const res = await (
      await api('teamManager')
    )
      .post(`/api/remediations/${recordId}/actions`, {
        description: 'Review the child’s plan with the family.',
        intendedDifference: 'The plan says what will change for the child and by when.',
        kind: 'practice',
        ownerPersonId: owner,
        ...change,
      })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await ctx.db.knex('remediation_action').count('* as n').first()).toEqual(before);
  });

  it('moves an action to verified, refusing moves out of order, stale changes and a verification without a note; the record closes', async () => {
    const harry = await api('teamManager');
    const created = await harry
      .post(`/api/remediations/${recordId}/actions`, {
        description: 'Review the child’s plan with the family.',
        intendedDifference: 'The plan says what will change for the child and by when.',
        kind: 'practice',
        ownerPersonId: owner,
      })
      .expect(201);
    const id = created.body.actionId as number;
    const skipped = await harry.patch(`/api/actions/${id}`, { version: 1, status: 'completed' }).expect(409);
    expect(skipped.body.allowed).toEqual(['in_progress']);
    await harry.patch(`/api/actions/${id}`, { version: 1, status: 'in_progress' }).expect(200);
    await harry.patch(`/api/actions/${id}`, { version: 1, status: 'completed' }).expect(409);
    await harry
      .patch(`/api/actions/${id}`, { version: 2, status: 'completed', evidence: 'Plan on file, 3 Dec.' })
      .expect(200);
    // Only the verifier verifies: the auditor who graded the case.
    await harry.patch(`/api/actions/${id}`, { version: 3, status: 'verified', note: 'x' }).expect(409);
    const aisha = await api('auditor');
    await aisha.patch(`/api/actions/${id}`, { version: 3, status: 'verified' }).expect(422);
    const mark = await eventMark(ctx.db.knex);
    const verified = await aisha
      .patch(`/api/actions/${id}`, { version: 3, status: 'verified', note: 'Read the revised plan.' })
      .expect(200);
    expect(verified.body).toEqual({ version: 4, status: 'verified', recordClosed: true });
    // Closing schedules the case's re-audit, in the same transaction (test/remediation/reaudit.test.ts).
    expect((await eventsSince(ctx.db.knex, mark)).map((e) => e.action)).toEqual([
      'remediation_action.verify',
      'remediation.close',
      'remediation.reaudit',
    ]);
    expect(await recordOf(audit.an1!)).toMatchObject({ status: 'closed' });
    const { timeline } = (await harry.get(`/api/remediations/${recordId}`).expect(200)).body;
    expect(timeline.map((e: { action: string }) => e.action)).toEqual([
      'audit.submit',
      'remediation.open',
      'remediation.respond',
      'remediation_action.create',
      'remediation_action.start',
      'remediation_action.complete',
      'remediation_action.verify',
      'remediation.close',
      'remediation.reaudit',
    ]);
    expect(timeline.at(-3).text).toMatch(
      /^Aisha Khan \(with API token \d+\) verified an action for case C\d+$/,
    );
    await aisha.patch(`/api/actions/${id}`, { version: 4, status: 'open', reason: 'x' }).expect(403);
  });
});
