import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import { calendarOf } from '../../src/working-days/calendar';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';

/**
 * The escalation sweep over overdue remediation. Family Safeguarding South 1 is in Fiona Gallagher's
 * service area (Safeguarding); Assessment North's area (Front Door) has no head of service user.
 */

let ctx: TestContext;
let framework: Framework;
const record: Record<string, number> = {};
const user = async (key: keyof typeof DEMO) => (await ctx.services.users.findByEmail(DEMO[key])) as User;
const calendar = calendarOf([]);
/** A day after every response in the test is due (5 working days), before the director's step is. */
const late = calendar.addWorkingDays(londonDate(), 6);
/** A day 10 working days after today: the director's step falls due for anything escalated today. */
const later = calendar.addWorkingDays(londonDate(), 10);

const escalations = () =>
  ctx.db
    .knex('remediation_escalation')
    .orderBy(['record_id', 'step'])
    .select('record_id', 'step', 'recipient_user_ids');
const events = () =>
  ctx.db.knex('audit_event').where({ action: 'remediation.escalate' }).count('* as n').first();

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  const auditor = await user('auditor');
  const { auditIds } = await roundForAuditor(ctx.services, {
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  });
  const rows: { id: number; team: string }[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .whereIn('t.code', ['family-safeguarding-south-1', 'assessment-north'])
    .select('a.id', 't.code as team');
  for (const { id, team } of rows) {
    await ctx.services.audits.submit(
      id,
      { version: 0, response: completeResponse(framework, () => 3) },
      auditor,
      {
        ...SYSTEM_ACTOR,
        userId: auditor.id,
      },
    );
    record[team] = (await ctx.db.knex('remediation_record').where({ audit_id: id }).first('id')).id;
  }
});
afterAll(() => ctx.close());

describe('the escalation sweep', () => {
  it('escalates nothing before anything is due', async () => {
    expect(await ctx.services.remediation.sweep(SYSTEM_ACTOR)).toEqual({
      overdue: 0,
      toHeadsOfService: 0,
      toDirectors: 0,
    });
  });

  it('sends an overdue response to the heads of service of the case’s area, once, however often it runs', async () => {
    const fiona = await user('headOfService');
    const runs = await Promise.all([1, 2, 3].map(() => ctx.services.remediation.sweep(SYSTEM_ACTOR, late)));
    expect(runs.reduce((n, r) => n + r.toHeadsOfService, 0)).toBe(2);
    expect(await ctx.services.remediation.sweep(SYSTEM_ACTOR, late)).toEqual({
      overdue: 2,
      toHeadsOfService: 0,
      toDirectors: 0,
    });
    expect(await escalations()).toEqual(
      [
        {
          record_id: record['family-safeguarding-south-1'],
          step: 'head_of_service',
          recipient_user_ids: [fiona.id],
        },
        // Front Door's head of service is not a user: the step is recorded, reaching nobody.
        { record_id: record['assessment-north'], step: 'head_of_service', recipient_user_ids: [] },
      ].sort((a, b) => (a.record_id as number) - (b.record_id as number)),
    );
    expect(await events()).toEqual({ n: 2 });
    expect(await ctx.services.remediation.escalatedTo(fiona)).toBe(1);
  });

  it('sends what is still overdue to the director after the further period, once', async () => {
    const helen = await user('director');
    const runs = await Promise.all([1, 2].map(() => ctx.services.remediation.sweep(SYSTEM_ACTOR, later)));
    expect(runs.reduce((n, r) => n + r.toDirectors, 0)).toBe(2);
    expect((await escalations()).filter((e) => e.step === 'director')).toEqual(
      Object.values(record)
        .sort((a, b) => a - b)
        .map((id) => ({ record_id: id, step: 'director', recipient_user_ids: [helen.id] })),
    );
    expect(await events()).toEqual({ n: 4 });
    expect(await ctx.services.remediation.escalatedTo(helen)).toBe(2);
  });

  it('leaves a record alone once its response is given and its actions are on time', async () => {
    const harry = await user('teamManager');
    const id = record['assessment-north'] as number;
    const detail = await ctx.services.remediation.load(id, harry);
    await ctx.services.remediation.respond(
      id,
      { version: detail.record.version, response: 'Seen.' },
      harry,
      SYSTEM_ACTOR,
    );
    const owner = (await ctx.db.knex('person').where({ active: true }).first('id')).id as number;
    await ctx.services.remediation.addAction(
      id,
      {
        description: 'Visit.',
        intendedDifference: 'Seen alone.',
        kind: 'practice',
        ownerPersonId: owner,
        dueDate: '2099-01-05',
        dueReason: 'Court timetable.',
      },
      harry,
      SYSTEM_ACTOR,
    );
    const overdue = await ctx.services.remediation.sweep(SYSTEM_ACTOR, late);
    expect(overdue.overdue).toBe(1);
  });
});
