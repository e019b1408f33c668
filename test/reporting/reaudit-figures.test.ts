import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, type TestContext } from '../support/app';

/** Re-audits in reports: the demo's closed record's re-audit, submitted better, counts as better. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true, activity: true });
}, 120_000);
afterAll(() => ctx.close());

it('count a re-audit whose overall grade is better than the audit it followed as better', async () => {
  const reaudit = await ctx.db
    .knex('audit as a')
    .join('framework_version as v', 'v.id', 'a.framework_version_id')
    .whereNotNull('a.remediation_record_id')
    .first('a.id', 'a.auditor_user_id as auditorUserId', 'v.framework_id as frameworkId', 'v.version');
  const auditor = (await ctx.services.users.findById(reaudit.auditorUserId)) as User;
  const { framework } = await ctx.services.frameworks.get(reaudit.frameworkId, reaudit.version);
  await ctx.services.audits.submit(
    reaudit.id,
    { version: 0, response: completeResponse(framework, () => 0) },
    auditor,
    { ...SYSTEM_ACTOR, userId: auditor.id },
  );
  const director = (await ctx.services.users.findByEmail(DEMO.director)) as User;
  const { figures } = await ctx.services.reporting.summary(director, {
    from: londonDate(),
    to: londonDate(),
  });
  expect(figures.reaudits).toEqual({ reaudited: 1, better: 1, same: 0, worse: 0 });
});
