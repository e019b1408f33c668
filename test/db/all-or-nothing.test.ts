import { SYSTEM_ACTOR, type Actor } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { gradedItems } from '../../src/moderation/service';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { importNativeCases } from '../support/case-lists';
import { eventMark, eventsSince } from '../support/events';
import { failInserts, rowCounts } from '../support/failing-writes';

/**
 * An operation that writes several tables fails half-way (the database refuses one of its later writes):
 * nothing of its earlier steps is left, in any table or in the audit log, and it succeeds once the failure
 * is lifted.
 */

const TABLES = [
  'audit_round',
  'audit',
  'audit_allocation',
  'audit_revision',
  'audit_section_grade',
  'moderation',
  'moderation_grade',
  'audit_event',
] as const;

let ctx: TestContext;
let framework: Framework;
const users: Partial<Record<keyof typeof DEMO, User>> = {};
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  for (const who of ['admin', 'auditor', 'moderator'] as const)
    users[who] = await ctx.services.users.findByEmail(DEMO[who]);
});
afterAll(() => ctx.close());

const actorOf = (user: User | undefined): Actor => ({
  kind: 'user',
  userId: user?.id as number,
  tokenId: null,
  requestId: null,
});

/** Runs `work` with inserts into `table` refused, expecting it to fail and to leave every table as it was. */
async function failsLeavingNothing(table: string, when: string, work: () => Promise<unknown>): Promise<void> {
  const before = await rowCounts(ctx.db.knex, TABLES);
  const mark = await eventMark(ctx.db.knex);
  const lift = await failInserts(ctx.db.knex, table, when);
  try {
    await expect(work()).rejects.toThrow(`injected failure writing ${table}`);
  } finally {
    await lift();
  }
  expect(await rowCounts(ctx.db.knex, TABLES)).toEqual(before);
  expect(await eventsSince(ctx.db.knex, mark)).toEqual([]);
}

describe('creating a round', () => {
  let importId: number;
  beforeAll(async () => {
    importId = await importNativeCases(ctx.services.cases, 60, 'all-or-nothing.csv');
  });
  const plan = {
    name: 'All or nothing',
    frameworkId: FRAMEWORK.id,
    frameworkVersion: FRAMEWORK.version,
    dueDate: '2099-01-31',
    seed: 3,
    filters: {},
    size: { kind: 'per-team', perTeam: 2 },
    stratifyBy: 'team',
    exclusions: { auditedWithinMonths: null, inOtherOpenRound: false, closed: true, restricted: true },
  };

  it.each([
    ['its audits', 'audit', 'true'],
    ['its audit-log entry, written last', 'audit_event', "new.action = 'audit_round.create'"],
  ])('leaves no round, audit or allocation behind when writing %s fails', async (_what, table, when) => {
    const create = () => ctx.services.rounds.create({ ...plan, importId }, actorOf(users.admin));
    await failsLeavingNothing(table, when, create);
    // The same plan succeeds once nothing fails: 2 cases from each of 4 teams.
    const mark = await eventMark(ctx.db.knex);
    const { id } = await create();
    expect((await eventsSince(ctx.db.knex, mark)).map((e) => e.action)).toEqual(['audit_round.create']);
    expect((await ctx.services.rounds.get(id, SYSTEM_ACTOR)).audits).toHaveLength(8);
  });
});

describe('submitting an audit', () => {
  it.each([
    ['its section grades', 'audit_section_grade', 'true'],
    ['its moderation', 'moderation', 'true'],
    ['its audit-log entry, written last', 'audit_event', "new.action = 'audit.submit'"],
  ])('leaves the draft as it was when writing %s fails', async (_what, table, when) => {
    const {
      auditIds: [id],
    } = await roundForAuditor(ctx.services, {
      name: `Submission failing at ${table}`,
      moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
    });
    const auditId = id as number;
    const aisha = users.auditor as User;
    const state = async () => ({
      audit: await ctx.db
        .knex('audit')
        .where({ id: auditId })
        .first('status', 'lock_version', 'current_revision'),
      revisions: await ctx.db
        .knex('audit_revision')
        .where({ audit_id: auditId })
        .select('revision', 'status'),
    });
    const before = await state();
    expect(before).toEqual({
      audit: { status: 'allocated', lock_version: 0, current_revision: 0 },
      revisions: [],
    });
    // With the response sent along, the submission first saves it as a draft: that too is undone.
    const submit = () =>
      ctx.services.audits.submit(
        auditId,
        { version: 0, response: completeResponse(framework, () => 1) },
        aisha,
        actorOf(aisha),
      );
    await failsLeavingNothing(table, when, submit);
    expect(await state()).toEqual(before);
    const done = await submit();
    expect(done).toMatchObject({ revision: 1 });
    expect((await state()).revisions).toEqual([{ revision: 1, status: 'submitted' }]);
  });
});

describe('moderating an audit', () => {
  let auditId: number;
  beforeAll(async () => {
    const {
      auditIds: [id],
    } = await roundForAuditor(ctx.services, {
      name: 'Moderation failing',
      moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: false },
    });
    auditId = id as number;
    const aisha = users.auditor as User;
    await ctx.services.audits.submit(
      auditId,
      { version: 0, response: completeResponse(framework, () => 1) },
      aisha,
      actorOf(aisha),
    );
  });

  it.each([
    ['its overall grade, after the sections’', 'moderation_grade', "new.section_id = 'overall'"],
    ['its audit-log entry, written last', 'audit_event', "new.action = 'moderation.complete'"],
  ])('leaves the moderation queued and untaken when writing %s fails', async (_what, table, when) => {
    const priya = users.moderator as User;
    const state = () =>
      ctx.db.knex('moderation').where({ audit_id: auditId }).first('status', 'moderator_user_id');
    expect(await state()).toEqual({ status: 'queued', moderator_user_id: null });
    const agreed = Object.fromEntries(gradedItems(framework).map((item) => [item.id, 'good']));
    const record = () => ctx.services.moderation.record(auditId, { agreed }, priya, actorOf(priya));
    await failsLeavingNothing(table, when, record);
    expect(await state()).toEqual({ status: 'queued', moderator_user_id: null });
  });

  it('completes once nothing fails', async () => {
    const priya = users.moderator as User;
    const agreed = Object.fromEntries(gradedItems(framework).map((item) => [item.id, 'good']));
    await ctx.services.moderation.record(auditId, { agreed }, priya, actorOf(priya));
    expect(
      await ctx.db.knex('moderation').where({ audit_id: auditId }).first('status', 'moderator_user_id'),
    ).toEqual({ status: 'completed', moderator_user_id: priya.id });
  });
});
