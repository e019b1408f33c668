import { Readable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { seedDemo } from '../../src/demo/seed';
import { conflictOf, standingOf } from '../../src/conflicts/rule';
import { csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { adminTestContext } from '../support/admin';
import { nativeCsv, nativeRows } from '../support/case-lists';

const admin = adminTestContext();
const { api, events } = admin;
let ctx: TestContext;
beforeAll(() => {
  ctx = admin.ctx;
});

const idOf = async (table: string, where: object) =>
  (await ctx.db.knex(table).where(where).first('id')).id as number;

async function importCases(teamName: string, name: string) {
  const rows = nativeRows(3, 900).map((row) => ({ ...row, team: teamName, worker: '' }));
  return ctx.services.cases.importCases(
    { stream: Readable.from([Buffer.from(nativeCsv(rows))]), kind: 'csv', name },
    { mode: 'all-or-nothing', unknownTeams: 'reject', sourceName: name },
    SYSTEM_ACTOR,
  );
}

describe('adding a team', () => {
  it('adds it on the page, with a code made from its name, audited', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get('/admin/teams/new').expect(200);
    const res = await agent
      .post('/admin/teams/new')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        name: 'Edge of Care East',
        kind: 'other',
        localityId: String(await idOf('locality', { code: 'east' })),
        serviceAreaId: String(await idOf('service_area', { code: 'safeguarding' })),
      })
      .expect(303);
    const team = await ctx.db.knex('team').where({ name: 'Edge of Care East' }).first();
    expect(team.code).toBe('edge-of-care-east');
    expect(res.headers.location).toBe(`/admin/teams/${team.id}`);
    const [event] = await events('team.create', team.id);
    expect(event.summary.after).toMatchObject({ name: 'Edge of Care East', locality: 'East' });
    expect((await agent.get(`/admin/teams/${team.id}`).expect(200)).text).toContain('Edge of Care East');
  });

  it('refuses a blank name, a name taken by another team and no choice of place, writing nothing', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get('/admin/teams/new').expect(200);
    const blank = await agent
      .post('/admin/teams/new')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), name: ' ' })
      .expect(422);
    expect(blank.text).toContain('href="#name"');
    expect(blank.text).toContain('href="#localityId"');
    const taken = await agent
      .post('/admin/teams/new')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        name: 'assessment NORTH',
        localityId: 'none',
        serviceAreaId: 'none',
      })
      .expect(409);
    expect(taken.text).toContain('A team with this name already exists');
    expect(taken.text).toContain('value="assessment NORTH"');
    await api.post('/api/teams', { name: 'Nowhere', localityId: 999999, serviceAreaId: null }).expect(422);
    expect(await ctx.db.knex('team').where({ name: 'Nowhere' }).first()).toBeUndefined();
  });
});

describe('a renamed or moved team keeps working everywhere', () => {
  it('keeps its manager, its cases and its conflicts of interest, and the next import uses the new name', async () => {
    const teamId = await idOf('team', { code: 'assessment-north' });
    const first = await importCases('Assessment North', 'before-rename.csv');
    await api.patch(`/api/teams/${teamId}`, { name: 'Assessment North and Central' }).expect(200);
    const [renamed] = await events('team.rename', teamId);
    expect(renamed.summary).toEqual({
      before: { name: 'Assessment North' },
      after: { name: 'Assessment North and Central' },
    });

    // Its manager still reaches it; cases imported before stay in it.
    const harry = await signedInAgent(ctx, DEMO.teamManager);
    expect((await harry.get(`/teams/${teamId}`).expect(200)).text).toContain('Assessment North and Central');
    expect(await ctx.db.knex('case_record').where({ import_id: first.id }).pluck('team_id')).toEqual([
      teamId,
      teamId,
      teamId,
    ]);
    // Conflicts of interest are by id: Harry still may not audit its cases.
    const user = await ctx.services.users.findByEmail(DEMO.teamManager);
    const c = {
      caseId: 1,
      caseRef: 'C1',
      restricted: false,
      teamId,
      workerPersonId: null,
      managerPersonId: null,
    };
    expect(conflictOf(standingOf(user!), c)).toBe('own-team');

    // A case list naming the new name lands in the same team.
    const next = await importCases('Assessment North and Central', 'after-rename.csv');
    expect(next.status).toBe('imported');
    expect(new Set(await ctx.db.knex('case_record').where({ import_id: next.id }).pluck('team_id'))).toEqual(
      new Set([teamId]),
    );
  });

  it('moves to another service area: its new head of service sees it, its old one no longer does', async () => {
    const teamId = await idOf('team', { code: 'family-safeguarding-north-2' });
    const fiona = await signedInAgent(ctx, DEMO.headOfService);
    await fiona.get(`/teams/${teamId}`).expect(200);
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get(`/admin/teams/${teamId}/edit`).expect(200);
    expect(form.text).toContain('value="Family Safeguarding North 2"');
    const frontDoor = await idOf('service_area', { code: 'front-door' });
    const south = await idOf('locality', { code: 'south' });
    await agent
      .post(`/admin/teams/${teamId}/edit`)
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        name: 'Family Safeguarding North 2',
        kind: 'family_safeguarding',
        localityId: String(south),
        serviceAreaId: String(frontDoor),
      })
      .expect(303);
    await fiona.get(`/teams/${teamId}`).expect(404);
    const head = await ctx.services.users.add(
      {
        email: 'front.door.head@demoshire.example',
        displayName: 'Marcus Reid',
        roles: ['head_of_service'],
        serviceAreaCodes: ['front-door'],
      },
      SYSTEM_ACTOR,
    );
    await (await signedInAgent(ctx, head.email)).get(`/teams/${teamId}`).expect(200);
    const [moved] = await events('team.move', teamId);
    expect(moved.summary).toMatchObject({
      before: { locality: 'North', serviceArea: 'Safeguarding and Family Support' },
      after: { locality: 'South', serviceArea: 'Front Door and Assessment', serviceAreaId: frontDoor },
    });
    expect(await events('team.rename', teamId)).toEqual([]);
  });
});

describe('closing a team', () => {
  it('is refused while it has staff; once they have moved, it is closed and offered nowhere new', async () => {
    const team = await ctx.services.organisationAdmin.addTeam(
      {
        name: 'Short Lived',
        localityId: null,
        serviceAreaId: await idOf('service_area', { code: 'safeguarding' }),
      },
      SYSTEM_ACTOR,
    );
    const person = await api.post('/api/people', { displayName: 'Pat Mover', teamId: team.id }).expect(201);
    const agent = await signedInAgent(ctx, DEMO.admin);
    const confirm = await agent.get(`/admin/teams/${team.id}/close`).expect(200);
    expect(confirm.text).toContain('Move Pat Mover');
    await api.post(`/api/teams/${team.id}/close`).expect(409);

    await api
      .patch(`/api/people/${person.body.id}`, { teamId: await idOf('team', { code: 'mash' }) })
      .expect(200);
    await agent
      .post(`/admin/teams/${team.id}/close`)
      .type('form')
      .send({ _csrf: csrfTokenIn(confirm.text) })
      .expect(303);
    expect(await events('team.close', team.id)).toHaveLength(1);

    // Kept, marked closed, for history...
    expect((await agent.get('/admin/teams').expect(200)).text).toMatch(
      /Short Lived<\/a> <strong class="govuk-tag govuk-tag--grey">Closed/,
    );
    // ...but not offered for sampling, new staff or new managers.
    const fiona = await ctx.services.users.findByEmail(DEMO.headOfService);
    expect((await ctx.services.organisation.listTeams(fiona!)).map((t) => t.name)).not.toContain(
      'Short Lived',
    );
    expect((await agent.get('/admin/people/new').expect(200)).text).not.toContain('Short Lived');
    await api.post('/api/people', { displayName: 'Too Late', teamId: team.id }).expect(422);
    await api
      .post('/api/users', {
        email: 'late@demoshire.example',
        displayName: 'Late',
        roles: ['team_manager'],
        teamIds: [team.id],
      })
      .expect(422);

    await api.post(`/api/teams/${team.id}/reopen`).expect(200);
    expect((await ctx.services.organisation.listTeams(fiona!)).map((t) => t.name)).toContain('Short Lived');
  });
});

describe('staff', () => {
  it('are added and moved between teams, which moves their own team for conflicts of interest', async () => {
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    const assessmentSouth = await idOf('team', { code: 'assessment-south' });
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get(`/admin/people/${harry!.personId}`).expect(200);
    await agent
      .post(`/admin/people/${harry!.personId}`)
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        displayName: harry!.displayName,
        jobTitle: 'Team Manager',
        teamId: String(assessmentSouth),
        lineManagerId: '',
        email: harry!.email,
      })
      .expect(303);
    const moved = await ctx.services.users.findByEmail(DEMO.teamManager);
    expect(moved?.homeTeamId).toBe(assessmentSouth);
    const [event] = await events('person.move', harry!.personId!);
    expect(event.summary).toMatchObject({
      before: { team: expect.any(String) },
      after: { team: 'Assessment South' },
    });
    expect(await events('person.change_line_manager', harry!.personId!)).toHaveLength(1);
  });

  it('have a line manager who is not themselves nor anyone they manage', async () => {
    const teamId = await idOf('team', { code: 'mash' });
    const boss = (await api.post('/api/people', { displayName: 'Bo Boss', teamId }).expect(201)).body;
    const worker = (
      await api.post('/api/people', { displayName: 'Wyn Worker', teamId, lineManagerId: boss.id }).expect(201)
    ).body;
    expect(worker.lineManagerName).toBe('Bo Boss');
    const self = await api.patch(`/api/people/${boss.id}`, { lineManagerId: boss.id }).expect(422);
    expect(self.body.errors).toEqual([
      { field: 'lineManagerId', message: 'Nobody can be their own line manager' },
    ]);
    const loop = await api.patch(`/api/people/${boss.id}`, { lineManagerId: worker.id }).expect(422);
    expect(loop.body.errors[0].message).toContain('reports to them');
    await api.patch(`/api/people/${worker.id}`, { lineManagerId: null }).expect(200);
    await api.patch(`/api/people/${boss.id}`, { lineManagerId: worker.id }).expect(200);
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await agent.get(`/admin/people/${worker.id}`).expect(200);
    const res = await agent
      .post(`/admin/people/${worker.id}`)
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        displayName: 'Wyn Worker',
        teamId: String(teamId),
        lineManagerId: String(boss.id),
      })
      .expect(422);
    expect(res.text).toContain('href="#lineManagerId"');
  });

  it('are listed by the API with their team, and unknown ones are 404', async () => {
    const teamId = await idOf('team', { code: 'assessment-east' });
    const { people } = (await api.get(`/api/people?team=${teamId}`).expect(200)).body;
    expect(people).toHaveLength(5);
    expect(people[0]).toMatchObject({ teamId, teamName: 'Assessment East' });
    await api.get('/api/people/999999').expect(404);
    await api.get('/api/teams/999999').expect(404);
    await api.get('/api/people?team=abc').expect(400);
    expect((await api.get(`/api/teams/${teamId}`).expect(200)).body.staff).toHaveLength(5);
    expect((await api.get('/api/localities').expect(200)).body.localities).toHaveLength(4);
    expect((await api.get('/api/service-areas').expect(200)).body.serviceAreas).toHaveLength(4);
  });
});

describe('changes through the API where the schema allows null', () => {
  // `null` is what a JSON client sends for "no value"; for a name it means "leave it as it is".
  it('leave a team’s or a person’s name as it is when null is sent for it', async () => {
    const teamId = await idOf('team', { code: 'assessment-east' });
    const team = (await api.patch(`/api/teams/${teamId}`, { name: null }).expect(200)).body;
    expect(team.name).toBe('Assessment East');
    const { people } = (await api.get(`/api/people?team=${teamId}`).expect(200)).body;
    const person = (await api.patch(`/api/people/${people[0].id}`, { displayName: null }).expect(200)).body;
    expect(person.displayName).toBe(people[0].displayName);
  });
});

describe('the demo seed', () => {
  it('leaves what administrators changed as it is when it runs again', async () => {
    const teamId = await idOf('team', { code: 'children-in-care-west' });
    await api.patch(`/api/teams/${teamId}`, { name: 'Children in Care West and Central' }).expect(200);
    const person = (await api.get(`/api/people?team=${teamId}`).expect(200)).body.people[1];
    const mash = await idOf('team', { code: 'mash' });
    await api.patch(`/api/people/${person.id}`, { teamId: mash }).expect(200);
    await seedDemo(ctx.infrastructure.db, ctx.services.activityLog, SYSTEM_ACTOR);
    expect((await ctx.db.knex('team').where({ id: teamId }).first()).name).toBe(
      'Children in Care West and Central',
    );
    expect((await ctx.db.knex('person').where({ id: person.id }).first()).team_id).toBe(mash);
  });
});
