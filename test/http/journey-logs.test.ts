import request from 'supertest';
import { DEMO_USERS, identityOf } from '../../src/demo/organisation';
import { capturedLogger } from '../support/log-capture';
import { createTestContext, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';

/**
 * No personal data or case content in the logs: the log of a whole working day (every role signed in,
 * pages and API calls over cases, audits, teams, reports and the audit log, a draft saved with free text)
 * is searched for every demo user's name and email, the case references it touched and the text written.
 * The logger runs at debug, where every request is logged, so nothing that any level logs escapes.
 */
const SECRET = 'Jayden said his stepfather hit him with a belt';
const log = capturedLogger('debug');
const { lines } = log;
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ activity: true, logger: log.logger });
}, 180_000);
afterAll(() => ctx.close());

it('carries no names, emails, case references or free text through a journey of every role', async () => {
  const audit = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('app_user as u', 'u.id', 'a.auditor_user_id')
    .where('a.status', 'in_progress')
    .first('a.id', 'a.lock_version', 'c.case_ref', 'c.team_id', 'u.email');
  const team = audit.team_id as number;
  const caseRefs: string[] = await ctx.db.knex('case_record').orderBy('id').limit(200).pluck('case_ref');

  const admin = await signedInAgent(ctx, DEMO.admin);
  const seen: number[] = [];
  const visit = async (agent: Awaited<ReturnType<typeof signedInAgent>>, paths: string[]) => {
    for (const path of paths) seen.push((await agent.get(path)).status);
  };
  await visit(admin, [
    '/',
    '/cases',
    `/cases?team=${team}`,
    '/rounds',
    '/admin/users',
    '/admin/audit-log',
    '/escalations',
  ]);
  const auditor = await signedInAgent(ctx, audit.email as string);
  await visit(auditor, ['/my-audits', `/audits/${audit.id}`]);
  const token = await tokenFor(ctx, audit.email as string);
  await request(ctx.app)
    .put(`/api/audits/${audit.id}`)
    .set('Authorization', `Bearer ${token}`)
    .send({ version: audit.lock_version, response: { sections: { recording: { strengths: SECRET } } } })
    .expect(200);
  await request(ctx.app).get(`/api/audits/${audit.id}`).set('Authorization', `Bearer ${token}`);
  const manager = await signedInAgent(ctx, DEMO.teamManager);
  await visit(manager, ['/teams', `/teams/${team}`, '/actions']);
  const director = await signedInAgent(ctx, DEMO.director);
  await visit(director, ['/reports', '/reports/packs', '/api/reports/summary']);
  await visit(admin, [`/audits/${audit.id}`]);
  // The journey was walked, not refused: pages seen (a manager's team of someone else's may be refused).
  expect(seen.filter((status) => status === 200).length).toBeGreaterThanOrEqual(seen.length - 1);

  const log = lines.join('');
  expect(lines.length).toBeGreaterThan(20);
  const found = [
    SECRET,
    audit.case_ref as string,
    ...caseRefs,
    ...DEMO_USERS.flatMap((user) => Object.values(identityOf(user))),
  ].filter((text) => text && log.includes(text));
  expect(found).toEqual([]);
});
