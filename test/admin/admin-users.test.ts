import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { Actor } from '../../src/activity-log/actor';
import { csrfTokenIn, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';
import { adminTestContext } from '../support/admin';

const admin = adminTestContext();
const { api, events } = admin;
let ctx: TestContext;
beforeAll(() => {
  ctx = admin.ctx;
});

const userId = async (email: string) => (await ctx.services.users.findByEmail(email))?.id as number;
const actorFor = async (email: string): Promise<Actor> => ({
  kind: 'user',
  userId: await userId(email),
  tokenId: null,
  requestId: null,
});
const teamId = async (code: string) => (await ctx.db.knex('team').where({ code }).first('id')).id as number;

describe('adding a user on the page', () => {
  it('adds them with roles and teams, audited, and shows them', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get('/admin/users/new').expect(200);
    const res = await agent
      .post('/admin/users/new')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        displayName: 'Nina Osei',
        email: 'nina.osei@demoshire.example',
        roles: ['auditor', 'team_manager'],
        teamIds: String(await teamId('assessment-south')),
      })
      .expect(303);
    const added = await ctx.services.users.findByEmail('nina.osei@demoshire.example');
    expect(res.headers.location).toBe(`/admin/users/${added?.id}`);
    expect(added).toMatchObject({ roles: ['auditor', 'team_manager'], active: true });
    const [event] = await events('user.create', added?.id as number);
    expect(event.summary.after).toMatchObject({
      roles: ['auditor', 'team_manager'],
      displayName: 'Nina Osei',
    });
    const page = await agent.get(`/admin/users/${added?.id}`).expect(200);
    expect(page.text).toContain('Assessment South');
  });

  it('refuses bad input with an error summary linked to each field, keeping what was typed, writing nothing', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get('/admin/users/new').expect(200);
    const before = await ctx.db.knex('app_user').count('* as n').first();
    const res = await agent
      .post('/admin/users/new')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), displayName: '   ', email: 'not-an-email' })
      .expect(422);
    expect(res.text).toContain('href="#displayName"');
    expect(res.text).toContain('href="#email"');
    expect(res.text).toContain('href="#roles"');
    expect(res.text).toContain('Enter an email address in the correct format');
    expect(res.text).toContain('value="not-an-email"');
    expect(await ctx.db.knex('app_user').count('* as n').first()).toEqual(before);
  });

  it('refuses a staff link when nobody on the staff has that email', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get('/admin/users/new').expect(200);
    const res = await agent
      .post('/admin/users/new')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        displayName: 'Nobody Staff',
        email: 'nobody.staff@demoshire.example',
        roles: 'auditor',
        linkPerson: 'yes',
      })
      .expect(422);
    expect(res.text).toContain('href="#linkPerson"');
    expect(await ctx.services.users.findByEmail('nobody.staff@demoshire.example')).toBeUndefined();
  });
});

describe('changing roles', () => {
  it('saves roles, teams managed and service areas led, with before and after in the audit log', async () => {
    const harry = await userId(DEMO.teamManager);
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get(`/admin/users/${harry}/roles`).expect(200);
    const teams = [await teamId('assessment-north'), await teamId('assessment-east')].map(String);
    await agent
      .post(`/admin/users/${harry}/roles`)
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        roles: ['team_manager', 'auditor', 'moderator'],
        teamIds: teams,
      })
      .expect(303);
    const user = await ctx.services.users.findById(harry);
    expect(user?.roles).toEqual(['auditor', 'moderator', 'team_manager']);
    const [event] = await events('user.update', harry);
    expect(event.summary).toEqual({
      before: { roles: ['auditor', 'team_manager'], teamIds: [Number(teams[0])] },
      after: { roles: ['team_manager', 'auditor', 'moderator'], teamIds: teams.map(Number) },
    });
  });

  it('does not give a closed team to a new manager', async () => {
    const closed = await ctx.services.organisationAdmin.addTeam(
      { name: 'Closed For Managers', localityId: null, serviceAreaId: null },
      SYSTEM_ACTOR,
    );
    await ctx.services.organisationAdmin.closeTeam(closed.id, SYSTEM_ACTOR);
    const res = await api
      .patch(`/api/users/${await userId(DEMO.teamManagerOnly)}`, { teamIds: [closed.id] })
      .expect(422);
    expect(res.body.errors).toEqual([{ field: 'teamIds', message: expect.stringContaining('is closed') }]);
    const form = await (await signedInAgent(ctx, DEMO.admin)).get('/admin/users/new').expect(200);
    expect(form.text).not.toContain('Closed For Managers');
  });
});

describe('the last active administrator', () => {
  it('cannot remove their own administrator role or deactivate themselves, on the page or the API', async () => {
    const sam = await userId(DEMO.admin);
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get(`/admin/users/${sam}/roles`).expect(200);
    const res = await agent
      .post(`/admin/users/${sam}/roles`)
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), roles: 'auditor' })
      .expect(409);
    expect(res.text).toContain('Sam Patel is the only active administrator');
    expect(res.text).toContain('href="#roles"');
    await api.patch(`/api/users/${sam}`, { roles: ['auditor'] }).expect(409);
    await api.post(`/api/users/${sam}/deactivate`).expect(409);
    expect((await ctx.services.users.findById(sam))?.roles).toEqual(['admin']);
    expect((await ctx.services.users.findById(sam))?.active).toBe(true);
    expect(await events('user.update', sam)).toEqual([]);
  });

  it('cannot be removed by two administrators taking each other’s role at the same moment', async () => {
    const second = await ctx.services.users.add(
      { email: 'second.admin@demoshire.example', displayName: 'Second Admin', roles: ['admin'] },
      SYSTEM_ACTOR,
    );
    const sam = await userId(DEMO.admin);
    const [samActor, secondActor] = [await actorFor(DEMO.admin), await actorFor(second.email)];
    // Each drops the other, again and again; without serialising, both would see another administrator
    // and both succeed, leaving none.
    for (let attempt = 0; attempt < 10; attempt++) {
      const results = await Promise.allSettled([
        ctx.services.users.update(second.id, { roles: ['auditor'] }, samActor),
        ctx.services.users.update(sam, { roles: ['auditor'] }, secondActor),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await ctx.db.knex('user_role').where({ role_code: 'admin' }).count('* as n').first()).toEqual({
        n: 1,
      });
      for (const id of [sam, second.id])
        await ctx.services.users.update(id, { roles: ['admin'] }, SYSTEM_ACTOR);
    }
    await ctx.services.users.update(second.id, { roles: ['auditor'] }, SYSTEM_ACTOR);
    await ctx.services.users.deactivate(second.id, SYSTEM_ACTOR);
  });

  it('can hand over: with another active administrator, they may drop their own role', async () => {
    const other = await ctx.services.users.add(
      { email: 'third.admin@demoshire.example', displayName: 'Third Admin', roles: ['admin'] },
      SYSTEM_ACTOR,
    );
    const agent = await signedInAgent(ctx, other.email);
    const form = await agent.get(`/admin/users/${other.id}/roles`).expect(200);
    const res = await agent
      .post(`/admin/users/${other.id}/roles`)
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), roles: 'auditor' })
      .expect(303);
    expect(res.headers.location).toBe('/');
    await agent.get('/admin/users').expect(403);
  });
});

describe('deactivating a user', () => {
  it('ends their sessions and revokes their API tokens at once, and reactivation brings neither back', async () => {
    const email = 'leaver@demoshire.example';
    const leaver = await ctx.services.users.add(
      { email, displayName: 'Lee Leaver', roles: ['auditor'] },
      SYSTEM_ACTOR,
    );
    const session = await signedInAgent(ctx, email);
    const token = await tokenFor(ctx, email);
    await session.get('/my-audits').expect(200);
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);

    const admin = await signedInAgent(ctx, DEMO.admin);
    const confirm = await admin.get(`/admin/users/${leaver.id}/deactivate`).expect(200);
    expect(confirm.text).toContain('signed out at once');
    await admin
      .post(`/admin/users/${leaver.id}/deactivate`)
      .type('form')
      .send({ _csrf: csrfTokenIn(confirm.text) })
      .expect(303);

    expect((await session.get('/my-audits').expect(302)).headers.location).toMatch(/^\/sign-in/);
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
    const [event] = await events('user.deactivate', leaver.id);
    expect(event.summary).toEqual({
      before: { active: true },
      after: { active: false },
      sessionsEnded: 1,
      tokensRevoked: 1,
    });
    expect(event.actor_user_id).toBe(await userId(DEMO.admin));

    await api.post(`/api/users/${leaver.id}/reactivate`).expect(200);
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
    await session.get('/my-audits').expect(302);
    await (await signedInAgent(ctx, email)).get('/my-audits').expect(200);
    expect(await events('user.reactivate', leaver.id)).toHaveLength(1);
  });

  it('answers a repeated deactivation with the same result, recording it once', async () => {
    const user = await ctx.services.users.add(
      { email: 'twice@demoshire.example', displayName: 'Twice Over', roles: ['director'] },
      SYSTEM_ACTOR,
    );
    const first = await api.post(`/api/users/${user.id}/deactivate`).expect(200);
    const second = await api.post(`/api/users/${user.id}/deactivate`).expect(200);
    expect(second.body).toEqual(first.body);
    expect(await events('user.deactivate', user.id)).toHaveLength(1);
  });
});

describe('the users API', () => {
  it('adds, reads and changes users, with the statuses the README gives', async () => {
    const created = await api
      .post('/api/users', {
        email: 'api.user@demoshire.example',
        displayName: 'Api User',
        roles: ['auditor'],
      })
      .expect(201);
    expect(created.headers.location).toBe(`/api/users/${created.body.id}`);
    await api
      .post('/api/users', { email: 'API.user@demoshire.example', displayName: 'Again', roles: ['auditor'] })
      .expect(409);
    const invalid = await api.post('/api/users', { email: 'x', roles: [] }).expect(422);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'displayName',
      'email',
      'roles',
    ]);
    expect((await api.get(`/api/users/${created.body.id}`).expect(200)).body.email).toBe(
      'api.user@demoshire.example',
    );
    await api.get('/api/users/999999').expect(404);
    const changed = await api.patch(`/api/users/${created.body.id}`, { roles: ['moderator'] }).expect(200);
    expect(changed.body.roles).toEqual(['moderator']);
    await api.patch(`/api/users/${created.body.id}`, { roles: ['boss'] }).expect(422);
    expect((await api.get('/api/users').expect(200)).body.users.length).toBeGreaterThan(7);
  });

  it('is for administrators only', async () => {
    const token = await tokenFor(ctx, DEMO.headOfService);
    for (const path of ['/api/users', '/api/teams', '/api/people', '/api/audit-log'])
      await request(ctx.app).get(path).set('Authorization', `Bearer ${token}`).expect(403);
    await request(ctx.app).get('/api/users').expect(401);
  });
});
