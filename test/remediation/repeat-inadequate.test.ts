import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { asExecutor } from '../../src/db/transaction';
import { completeResponse } from '../../src/demo/responses';
import { remediationRepository } from '../../src/remediation/repository';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';

/** A child graded inadequate again within 12 months, matched by case reference across imports. */
let ctx: TestContext;
let framework: Framework;
let auditor: User;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  auditor = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
});
afterAll(() => ctx.close());

const submit = (id: number, rank: number) =>
  ctx.services.audits.submit(id, { version: 0, response: completeResponse(framework, () => rank) }, auditor, {
    ...SYSTEM_ACTOR,
    userId: auditor.id,
  });

/** Each round samples every case of a fresh import of the same 20 children: their audits, by case reference. */
async function roundOfAll(name: string): Promise<Map<string, number>> {
  const { auditIds } = await roundForAuditor(ctx.services, { cases: 20, perTeam: 20, name });
  const rows: { id: number; ref: string }[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .whereIn('a.id', auditIds)
    .select('a.id', 'c.case_ref as ref');
  return new Map(rows.map((r) => [r.ref, r.id]));
}

const repeatFlag = async (auditId: number) =>
  (await ctx.db.knex('remediation_record').where({ audit_id: auditId }).first('repeat_inadequate'))
    ?.repeat_inadequate as boolean | undefined;

it('flags the second inadequate audit of the same child, not the first, nor a child graded otherwise before', async () => {
  const first = await roundOfAll('First round');
  const second = await roundOfAll('Second round');
  const [again, onceBefore] = [...first.keys()].filter((ref) => second.has(ref));
  expect(again && onceBefore).toBeTruthy();
  await submit(first.get(again!)!, 3);
  await submit(second.get(again!)!, 3);
  expect(await repeatFlag(first.get(again!)!)).toBe(false);
  expect(await repeatFlag(second.get(again!)!)).toBe(true);
  // Requires improvement the first time: the second inadequate grade is not a repeat.
  await submit(first.get(onceBefore!)!, 2);
  await submit(second.get(onceBefore!)!, 3);
  expect(await repeatFlag(second.get(onceBefore!)!)).toBe(false);
  const record = await ctx.db
    .knex('remediation_record')
    .where({ audit_id: second.get(again!)! })
    .first('id');
  const admin = (await ctx.services.users.findByEmail(DEMO.admin)) as User;
  const page = await ctx.services.remediation.get(record.id, admin, SYSTEM_ACTOR);
  expect(page.record.repeatInadequate).toBe(true);
});

it('counts the year back from 29 February without failing', async () => {
  await expect(
    remediationRepository.earlierInadequate(asExecutor(ctx.db.knex), 'C0000001', 0, '2028-02-29'),
  ).resolves.toBe(false);
});
