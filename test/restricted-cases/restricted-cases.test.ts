import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { User } from '../../src/users/user';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { completeResponse } from '../../src/demo/responses';
import { londonDate } from '../../src/dates';

/**
 * Restricted cases as admins manage them and as the rest of the service treats them: granting and taking
 * away access (pages and API, with reasons, in the audit log), a grant taking effect at once, allocation
 * and concerns that respect it. Which routes show a restricted case to whom is in test/auth/case-scope.
 */
let ctx: TestContext;
let adminToken: string;
let restricted: { auditId: number; caseRef: string; importId: number; teamId: number };
let manager: User;
let auditor: User;

const api = () => request(ctx.app);
const asAdmin = (req: request.Test) => req.auth(adminToken, { type: 'bearer' });
const page = (caseRef: string) => `/admin/restricted-cases/${caseRef}`;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  adminToken = await tokenFor(ctx, DEMO.admin);
  const { auditIds } = await roundForAuditor(ctx.services, { name: 'Restricted round' });
  // The round's case in Assessment North, which the demo team manager manages, marked restricted.
  restricted = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .where('t.code', 'assessment-north')
    .first('a.id as auditId', 'c.case_ref as caseRef', 'c.import_id as importId', 'c.team_id as teamId');
  await ctx.db.knex('case_record').where({ case_ref: restricted.caseRef }).update({ restricted: true });
  manager = (await ctx.services.users.findByEmail(DEMO.teamManager)) as User;
  auditor = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
});
afterAll(() => ctx.close());

const managerSeesCase = async () => {
  const token = await tokenFor(ctx, DEMO.teamManager);
  const res = await api()
    .get(`/api/cases?import=${restricted.importId}&team=${restricted.teamId}`)
    .auth(token, { type: 'bearer' })
    .expect(200);
  return JSON.stringify(res.body).includes(restricted.caseRef);
};

describe('granting access', () => {
  it('is an admin’s, on the page: refused with an error summary when incomplete, then granted and taken away, each in the audit log', async () => {
    const admin = await signedInAgent(ctx, DEMO.admin);
    const list = await admin.get('/admin/restricted-cases').expect(200);
    expect(list.text).toContain(restricted.caseRef);
    expect(list.text).toContain('Administrators only');
    const casePage = await admin.get(page(restricted.caseRef)).expect(200);
    const csrf = csrfTokenIn(casePage.text);

    const refused = await admin
      .post(`${page(restricted.caseRef)}/grants`)
      .type('form')
      .send({ _csrf: csrf, userId: '', reason: ' ' })
      .expect(422);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('href="#userId"');
    expect(refused.text).toContain('Enter why they need to see this case');

    await admin
      .post(`${page(restricted.caseRef)}/grants`)
      .type('form')
      .send({ _csrf: csrf, userId: String(manager.id), reason: 'Manages the team' })
      .expect(303);
    const granted = await admin.get(page(restricted.caseRef)).expect(200);
    expect(granted.text).toContain(manager.displayName);
    expect(granted.text).toContain('Manages the team');

    await admin
      .post(`${page(restricted.caseRef)}/grants/${manager.id}/remove`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    const events = await ctx.db
      .knex('audit_event')
      .where({ record_type: 'restricted_case', record_id: restricted.caseRef })
      .orderBy('id')
      .pluck('action');
    expect(events.filter((a: string) => a !== 'restricted_case.view')).toEqual([
      'restricted_case.grant',
      'restricted_case.revoke',
    ]);
  });

  it('takes effect at once: the case is among the manager’s cases only while they hold the grant', async () => {
    expect(await managerSeesCase()).toBe(false);
    await asAdmin(api().post(`/api/restricted-cases/${restricted.caseRef}/grants`))
      .send({ userId: manager.id, reason: 'Manages the team' })
      .expect(201);
    expect(await managerSeesCase()).toBe(true);
    await asAdmin(api().delete(`/api/restricted-cases/${restricted.caseRef}/grants/${manager.id}`)).expect(
      204,
    );
    expect(await managerSeesCase()).toBe(false);
  });

  it.each([
    ['naming nobody', {}, 422, 'Choose an active user'],
    [
      'to an admin, who sees them all',
      { adminUser: true, reason: 'x' },
      422,
      'sees every restricted case already',
    ],
    ['without a reason', { userId: 'manager', reason: '' }, 422, 'Enter why they need to see this case'],
    [
      'with a reason too long',
      { userId: 'manager', reason: 'x'.repeat(301) },
      422,
      '300 characters or fewer',
    ],
    ['of a case that is not restricted', { userId: 'manager', reason: 'x', ref: 'NOT-RESTRICTED' }, 404, ''],
  ])('refuses a grant %s, with a clear message, changing nothing', async (_name, input, status, message) => {
    const body: Record<string, unknown> = { reason: (input as { reason?: string }).reason };
    if ((input as { userId?: string }).userId) body.userId = String(manager.id);
    if ((input as { adminUser?: boolean }).adminUser)
      body.userId = String((await ctx.services.users.findByEmail(DEMO.admin))?.id);
    const ref = (input as { ref?: string }).ref ?? restricted.caseRef;
    const before = await ctx.db.knex('restricted_case_access').count<{ count: string }[]>();
    const res = await asAdmin(api().post(`/api/restricted-cases/${ref}/grants`))
      .send(body)
      .expect(status);
    expect(JSON.stringify(res.body)).toContain(message);
    expect(await ctx.db.knex('restricted_case_access').count()).toEqual(before);
  });
});

describe('the rest of the service', () => {
  it('allocates a restricted case only to an auditor granted it', async () => {
    const reallocate = () =>
      asAdmin(api().post(`/api/audits/${restricted.auditId}/reallocate`)).send({
        auditorUserId: auditor.id,
        reason: 'Rebalancing',
      });
    // The auditor it was allocated to before it was restricted no longer sees it, and cannot be given it.
    const refused = await reallocate().expect(422);
    expect(JSON.stringify(refused.body)).toContain(
      'the case is restricted and they have not been granted it',
    );
    const auditorToken = await tokenFor(ctx, DEMO.auditor);
    await api().get(`/api/audits/${restricted.auditId}`).auth(auditorToken, { type: 'bearer' }).expect(404);
    const mine = await api().get('/api/my-audits').auth(auditorToken, { type: 'bearer' }).expect(200);
    expect(JSON.stringify(mine.body)).not.toContain(restricted.caseRef);

    await ctx.services.restrictedCases.grant(
      restricted.caseRef,
      { userId: String(auditor.id), reason: 'Audits it' },
      SYSTEM_ACTOR,
    );
    await reallocate().expect(200);
    await api().get(`/api/audits/${restricted.auditId}`).auth(auditorToken, { type: 'bearer' }).expect(200);
  });

  it('sends a concern on a restricted case only to managers granted it, and says who it did not reach', async () => {
    // The auditor, as they now are: granted the case and allocated its audit.
    const granted = (await ctx.services.users.findById(auditor.id)) as User;
    const outcome = await ctx.services.audits.raiseConcern(
      restricted.auditId,
      'Concern on a restricted case',
      granted,
      SYSTEM_ACTOR,
    );
    expect(outcome.recipients).toEqual([]);
    expect(outcome.message).toContain('has been granted this restricted case');
    const escalation = (
      await ctx.db
        .knex('escalation')
        .where({ concern_id: outcome.concernId, recipient_role: 'team_manager' })
        .first('id')
    ).id as number;
    const route = () =>
      asAdmin(api().put(`/api/escalations/${escalation}/recipient`)).send({ userId: manager.id });
    const refused = await route().expect(422);
    expect(JSON.stringify(refused.body)).toContain('has not been granted this restricted case');
    await ctx.services.restrictedCases.grant(
      restricted.caseRef,
      { userId: String(manager.id), reason: 'Manages the team' },
      SYSTEM_ACTOR,
    );
    await route().expect(200);
  });

  it('is counted in the board pack but never named there: its inadequate finding is “a restricted case”', async () => {
    const granted = (await ctx.services.users.findById(auditor.id)) as User;
    const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    const { audit } = await ctx.services.audits.get(restricted.auditId, granted, SYSTEM_ACTOR);
    await ctx.services.audits.submit(
      restricted.auditId,
      { version: audit.version, response: completeResponse(framework, (_id, levels) => levels - 1) },
      granted,
      SYSTEM_ACTOR,
    );
    const pack = await ctx.services.packs.make(
      { roles: ['director'], managedTeamIds: [], serviceAreaTeamIds: [] },
      londonDate().slice(0, 7),
      SYSTEM_ACTOR,
    );
    const html = await asAdmin(api().get(`/api/packs/${pack.id}.html`)).expect(200);
    expect(html.text).toContain('A restricted case');
    expect(html.text).not.toContain(restricted.caseRef);
  });
});
