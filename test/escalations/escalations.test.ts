import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { EscalationOutcome } from '../../src/escalations/types';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';
import { roundForAuditor } from '../support/audits';
import { eventMark, eventsSince } from '../support/events';

/**
 * Safeguarding concerns reaching people. The test case list has cases in four teams: Family Safeguarding
 * South 1 (team manager Hassan Campbell, head of service Fiona Gallagher: both users), Assessment North
 * (team manager Harry Chen; its head of service is no user), and Children in Care North and Leaving Care
 * North (neither is a user).
 */

let ctx: TestContext;
const agents: Partial<Record<keyof typeof DEMO, TestAgent>> = {};
let auditByTeam: Map<string, number>;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  const { auditIds } = await roundForAuditor(ctx.services, { name: 'Escalation round' });
  const rows = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .select('a.id', 't.name');
  auditByTeam = new Map(rows.map((r: { id: number; name: string }) => [r.name, r.id]));
});
afterAll(() => ctx.close());

async function as(who: keyof typeof DEMO): Promise<TestAgent> {
  agents[who] ??= await signedInAgent(ctx, DEMO[who]);
  return agents[who];
}

async function csrfOf(who: keyof typeof DEMO): Promise<string> {
  return csrfTokenIn((await (await as(who)).get('/').expect(200)).text);
}

const auditOn = (team: string) => auditByTeam.get(team) as number;

/** Raises a concern through the auditor's page and returns the banner shown after it. */
async function raiseOnPage(team: string, details: string): Promise<string> {
  const auditor = await as('auditor');
  const id = auditOn(team);
  const form = await auditor.get(`/audits/${id}/safeguarding`).expect(200);
  const res = await auditor
    .post(`/audits/${id}/safeguarding`)
    .type('form')
    .send({ _csrf: csrfTokenIn(form.text), details })
    .expect(302);
  const page = await auditor.get(res.headers.location as string).expect(200);
  return /<div class="govuk-notification-banner[^"]*"[\s\S]*?<\/div>\s*<\/div>/.exec(page.text)?.[0] ?? '';
}

async function raiseByApi(team: string, details: string): Promise<EscalationOutcome> {
  const res = await (
    await as('auditor')
  )
    .post(`/api/audits/${auditOn(team)}/safeguarding-concerns`)
    .set('X-CSRF-Token', await csrfOf('auditor'))
    .send({ details })
    .expect(201);
  return res.body as EscalationOutcome;
}

const escalationsOf = (concernId: number) =>
  ctx.db.knex('escalation').where({ concern_id: concernId }).orderBy('id');

describe('raising a concern says who received it and who could not', () => {
  it('names both recipients, by name and role, in a success banner when both roles are held', async () => {
    const banner = await raiseOnPage('Family Safeguarding South 1', 'Child seen with a black eye.');
    expect(banner).toContain('govuk-notification-banner--success');
    expect(banner).toContain(
      'Safeguarding concern recorded and sent to Hassan Campbell (team manager of Family Safeguarding South 1) and Fiona Gallagher (head of service for Safeguarding and Family Support).',
    );
  });

  it('is no success when a role is held by nobody: the banner names the gap and the Needs attention list', async () => {
    const banner = await raiseOnPage('Assessment North', 'Parent reported the child missing overnight.');
    expect(banner).not.toContain('govuk-notification-banner--success');
    expect(banner).toContain('Important');
    expect(banner).toContain('sent to Harry Chen (team manager of Assessment North)');
    expect(banner).toContain(
      'Nobody is head of service for Front Door and Assessment: the concern has been put on the administrators’ Needs attention list',
    );
  });

  it('answers the API with the recipients, the roles nobody holds and the same message', async () => {
    const outcome = await raiseByApi(
      'Children in Care North',
      'Placement breakdown; child sleeping in a car.',
    );
    expect(outcome.recipients).toEqual([]);
    expect(outcome.unrouted.map((u) => u.reason)).toEqual([
      'Nobody is team manager of Children in Care North',
      'Nobody is head of service for Children in Care and Care Leavers',
    ]);
    expect(outcome.message).toMatch(/^Safeguarding concern recorded, but it has not reached anyone yet\./);
    const rows = await escalationsOf(outcome.concernId);
    expect(rows.map((r: { recipient_user_id: number | null }) => r.recipient_user_id)).toEqual([null, null]);
  });
});

describe('the recipients’ inbox', () => {
  let outcome: EscalationOutcome;
  let hassans: number;
  beforeAll(async () => {
    outcome = await raiseByApi('Family Safeguarding South 1', 'Baby has an unexplained fracture.');
    const rows = await escalationsOf(outcome.concernId);
    hassans = rows.find((r: { recipient_role: string }) => r.recipient_role === 'team_manager').id;
  });

  it('shows each recipient the concern at once, on the home page and in Escalations', async () => {
    const caseRef: { case_ref: string } = await ctx.db
      .knex('escalation as e')
      .join('safeguarding_concern as s', 's.id', 'e.concern_id')
      .join('audit as a', 'a.id', 's.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .where('e.id', hassans)
      .first('c.case_ref');
    for (const who of ['teamManagerOnly', 'headOfService'] as const) {
      const agent = await as(who);
      const home = (await agent.get('/').expect(200)).text;
      expect(home).toMatch(/href="\/escalations#to-acknowledge">\d+ immediate safeguarding concerns?</);
      const list = (await agent.get('/escalations').expect(200)).text;
      expect(list).toContain(caseRef.case_ref);
      expect(list).toContain('Baby has an unexplained fracture.');
    }
    const harry = (await (await as('teamManager')).get('/escalations').expect(200)).text;
    expect(harry).not.toContain('Baby has an unexplained fracture.');
  });

  it('lets only the recipient and administrators open an escalation; to everyone else it does not exist', async () => {
    const expected: Record<keyof typeof DEMO, number> = {
      admin: 200,
      teamManagerOnly: 200,
      teamManager: 404,
      headOfService: 404,
      auditor: 403,
      moderator: 403,
      director: 403,
    };
    for (const [who, status] of Object.entries(expected) as [keyof typeof DEMO, number][]) {
      const agent = await as(who);
      expect({ who, status: (await agent.get(`/escalations/${hassans}`)).status }).toEqual({ who, status });
      expect({ who, status: (await agent.get(`/api/escalations/${hassans}`)).status }).toEqual({
        who,
        status,
      });
    }
    // An id that does not exist answers exactly as one the user may not see.
    expect((await (await as('teamManager')).get('/escalations/999999').expect(404)).text).toContain(
      'There is no escalation 999999',
    );
  });

  it('records “I have seen this” once, with who and when, audited in the same transaction', async () => {
    const hassan = await as('teamManagerOnly');
    const page = await hassan.get(`/escalations/${hassans}`).expect(200);
    expect(page.text).toContain('I have seen this');
    expect(page.text).toContain('Baby has an unexplained fracture.');
    // Without the form's CSRF token nothing is recorded.
    await hassan.post(`/escalations/${hassans}/acknowledgement`).type('form').send({}).expect(403);
    expect((await ctx.db.knex('escalation').where({ id: hassans }).first()).acknowledged_at).toBeNull();

    for (let i = 0; i < 2; i += 1) {
      const res = await hassan
        .post(`/escalations/${hassans}/acknowledgement`)
        .type('form')
        .send({ _csrf: csrfTokenIn(page.text) })
        .expect(302);
      expect(res.headers.location).toBe(`/escalations/${hassans}`);
    }
    const row = await ctx.db.knex('escalation').where({ id: hassans }).first();
    const hassanUser = await ctx.services.users.findByEmail(DEMO.teamManagerOnly);
    expect(row.acknowledged_by_user_id).toBe(hassanUser?.id);
    expect(row.acknowledged_at).toBeInstanceOf(Date);
    const events = await ctx.db
      .knex('audit_event')
      .where({ action: 'escalation.acknowledge', record_id: String(hassans) });
    expect(events).toHaveLength(1);
    expect(events[0].actor_user_id).toBe(hassanUser?.id);
    const after = (await hassan.get(`/escalations/${hassans}`).expect(200)).text;
    expect(after).toContain('You have said you have seen the safeguarding concern');
    expect(after).not.toContain('I have seen this</button>');
    expect(after).toMatch(/Hassan Campbell, team manager of Family Safeguarding South 1: seen \d+/);
  });

  it('refuses an acknowledgement by anyone but the recipient, changing nothing', async () => {
    const fiona = (await escalationsOf(outcome.concernId)).find(
      (r: { recipient_role: string }) => r.recipient_role === 'head_of_service',
    ).id;
    const admin = await as('admin');
    await admin
      .post(`/escalations/${fiona}/acknowledgement`)
      .type('form')
      .send({ _csrf: await csrfOf('admin') })
      .expect(403);
    await (
      await as('teamManager')
    )
      .post(`/api/escalations/${fiona}/acknowledgement`)
      .set('X-CSRF-Token', await csrfOf('teamManager'))
      .expect(404);
    expect((await ctx.db.knex('escalation').where({ id: fiona }).first()).acknowledged_at).toBeNull();
    // The recipient, through the API: the acknowledgement comes back, and a repeat answers the same.
    const api = await as('headOfService');
    const csrf = await csrfOf('headOfService');
    const first = await api
      .post(`/api/escalations/${fiona}/acknowledgement`)
      .set('X-CSRF-Token', csrf)
      .expect(200);
    const again = await api
      .post(`/api/escalations/${fiona}/acknowledgement`)
      .set('X-CSRF-Token', csrf)
      .expect(200);
    expect(first.body.acknowledged).toEqual(again.body.acknowledged);
    expect(first.body.acknowledged.byName).toBe('Fiona Gallagher');
  });

  it('lists a recipient’s escalations by API, those to acknowledge apart, and records the view', async () => {
    const token = await tokenFor(ctx, DEMO.teamManagerOnly);
    const hassan = await ctx.services.users.findByEmail(DEMO.teamManagerOnly);
    const mark = await eventMark(ctx.db.knex);
    const res = await (
      await as('teamManagerOnly')
    )
      .get('/api/escalations')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.body.acknowledged.map((e: { id: number }) => e.id)).toContain(hassans);
    expect(res.body.toAcknowledge.map((e: { id: number }) => e.id)).not.toContain(hassans);
    expect(res.body.all).toBeUndefined();
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'escalation_list.view',
        actorKind: 'token',
        actorUserId: hassan?.id,
      }),
    ]);
  });
});

describe('Needs attention: concerns that reached nobody', () => {
  let outcome: EscalationOutcome;
  let teamManagerGap: number;
  beforeAll(async () => {
    outcome = await raiseByApi('Leaving Care North', 'Young person disclosed exploitation by an adult.');
    teamManagerGap = outcome.unrouted.find((u) => u.role === 'team_manager')?.escalationId as number;
  });

  it('lists them for administrators, counted on their home page, and for nobody else', async () => {
    const admin = await as('admin');
    const list = (await admin.get('/needs-attention').expect(200)).text;
    expect(list).toContain('Nobody is team manager of Leaving Care North');
    expect(list).toContain(`/escalations/${teamManagerGap}/recipient`);
    const rows = (await admin.get('/api/needs-attention').expect(200)).body.escalations;
    const home = (await admin.get('/').expect(200)).text;
    expect(home).toContain(`href="/needs-attention">${rows.length} safeguarding concerns</a>`);
    for (const who of ['teamManager', 'headOfService', 'auditor', 'director'] as const)
      await (await as(who)).get('/needs-attention').expect(403);
  });

  it('offers the users who hold the role, and refuses an empty choice or anyone else with a message by the field', async () => {
    const admin = await as('admin');
    const form = await admin.get(`/escalations/${teamManagerGap}/recipient`).expect(200);
    const offered = [...form.text.matchAll(/govuk-radios__label" for="[^"]+">([^<]+)</g)].map((m) => m[1]);
    expect(offered).toEqual(['Harry Chen', 'Hassan Campbell']);
    const csrf = csrfTokenIn(form.text);
    const empty = await admin
      .post(`/escalations/${teamManagerGap}/recipient`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(422);
    expect(empty.text).toContain('href="#userId"');
    expect(empty.text).toContain('govuk-error-message');
    const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
    const wrong = await admin
      .post(`/escalations/${teamManagerGap}/recipient`)
      .type('form')
      .send({ _csrf: csrf, userId: String(auditor?.id) })
      .expect(422);
    expect(wrong.text).toContain('an active user who is a team manager');
    expect(
      (await ctx.db.knex('escalation').where({ id: teamManagerGap }).first()).recipient_user_id,
    ).toBeNull();
  });

  it('routes it to the chosen person, audited, after which it is in their inbox and off the list', async () => {
    const admin = await as('admin');
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    const csrf = csrfTokenIn((await admin.get(`/escalations/${teamManagerGap}/recipient`).expect(200)).text);
    const send = () =>
      admin
        .post(`/escalations/${teamManagerGap}/recipient`)
        .type('form')
        .send({ _csrf: csrf, userId: String(harry?.id) });
    expect((await send().expect(302)).headers.location).toBe('/needs-attention');
    const notice = (await admin.get('/needs-attention').expect(200)).text;
    expect(notice).toContain('has been sent to Harry Chen');
    expect(notice).not.toContain(`/escalations/${teamManagerGap}/recipient`);
    // Sending it again to the same person changes nothing.
    await send().expect(302);
    const events = await ctx.db
      .knex('audit_event')
      .where({ action: 'escalation.route', record_id: String(teamManagerGap) });
    expect(events).toHaveLength(1);
    expect(events[0].summary).toMatchObject({ after: { recipientUserId: harry?.id, role: 'team_manager' } });
    const inbox = (await (await as('teamManager')).get('/escalations').expect(200)).text;
    expect(inbox).toContain('Young person disclosed exploitation');
    const page = (await (await as('teamManager')).get(`/escalations/${teamManagerGap}`).expect(200)).text;
    expect(page).toContain('I have seen this');
    expect(page).toContain('Nobody held the role when it was raised: chosen by Sam Patel');
    // Another administrator choosing someone else afterwards is told who has it, not given an error page.
    const hassan = await ctx.services.users.findByEmail(DEMO.teamManagerOnly);
    const late = await admin
      .post(`/escalations/${teamManagerGap}/recipient`)
      .type('form')
      .send({ _csrf: csrf, userId: String(hassan?.id) })
      .expect(302);
    expect((await admin.get(late.headers.location as string).expect(200)).text).toContain(
      'This concern has already been sent to Harry Chen',
    );
    await admin
      .put(`/api/escalations/${teamManagerGap}/recipient`)
      .set('X-CSRF-Token', csrf)
      .send({ userId: hassan?.id })
      .expect(409);
  });

  it('routes by API, and a recipient who leaves before seeing it puts it back on the list', async () => {
    const admin = await as('admin');
    const csrf = await csrfOf('admin');
    const gap = outcome.unrouted.find((u) => u.role === 'head_of_service')?.escalationId as number;
    const fiona = await ctx.services.users.findByEmail(DEMO.headOfService);
    await admin
      .put(`/api/escalations/${gap}/recipient`)
      .set('X-CSRF-Token', csrf)
      .send({ userId: 'not a number' })
      .expect(422);
    const routed = await admin
      .put(`/api/escalations/${gap}/recipient`)
      .set('X-CSRF-Token', csrf)
      .send({ userId: fiona?.id })
      .expect(200);
    expect(routed.body.recipient).toEqual({ id: fiona?.id, name: 'Fiona Gallagher', active: true });
    expect(routed.body.routed.byName).toBe('Sam Patel');
    const ids = async () =>
      (await admin.get('/api/needs-attention').expect(200)).body.escalations.map((e: { id: number }) => e.id);
    expect(await ids()).not.toContain(gap);
    await ctx.db.knex('app_user').where({ id: fiona?.id }).update({ active: false });
    try {
      expect(await ids()).toContain(gap);
      const page = (await admin.get('/needs-attention').expect(200)).text;
      expect(page).toContain(
        'Fiona Gallagher, head of service for Children in Care and Care Leavers, has left',
      );
    } finally {
      await ctx.db.knex('app_user').where({ id: fiona?.id }).update({ active: true });
    }
  });

  it('is refused to anyone but administrators', async () => {
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    await (
      await as('teamManager')
    )
      .put(`/api/escalations/${teamManagerGap}/recipient`)
      .set('X-CSRF-Token', await csrfOf('teamManager'))
      .send({ userId: harry?.id })
      .expect(403);
    await expect(
      ctx.services.escalations.route(teamManagerGap, { userId: harry?.id }, harry!, SYSTEM_ACTOR),
    ).rejects.toThrow('Only administrators');
  });
});
