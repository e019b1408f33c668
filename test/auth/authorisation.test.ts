import request from 'supertest';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const PAGES = [
  '/',
  '/my-audits',
  '/moderation',
  '/escalations',
  '/actions',
  '/teams',
  '/cases',
  '/rounds',
  '/frameworks',
  '/reports',
  '/admin',
  '/admin/users',
  '/admin/closure-days',
  '/admin/audit-log',
  '/frameworks/upload',
  '/agreement',
  '/calibration',
  '/calibration/new',
  '/needs-attention',
  '/reports/exports',
];

/** Pages reached from other pages (moderation, audit rounds, reports) rather than the navigation. */
const NOT_IN_NAVIGATION = ['/agreement', '/calibration', '/needs-attention'];

const ALLOWED: Record<keyof typeof DEMO, string[]> = {
  admin: [
    '/',
    '/escalations',
    '/actions',
    '/teams',
    '/cases',
    '/rounds',
    '/frameworks',
    '/reports',
    '/reports/exports',
    '/admin',
    '/admin/users',
    '/admin/closure-days',
    '/admin/audit-log',
    '/frameworks/upload',
    '/agreement',
    '/calibration',
    '/calibration/new',
    '/needs-attention',
  ],
  auditor: ['/', '/my-audits', '/actions', '/frameworks'],
  moderator: ['/', '/my-audits', '/moderation', '/actions', '/frameworks', '/agreement', '/calibration'],
  teamManager: [
    '/',
    '/my-audits',
    '/escalations',
    '/actions',
    '/teams',
    '/cases',
    '/rounds',
    '/frameworks',
    '/reports',
    '/reports/exports',
  ],
  teamManagerOnly: [
    '/',
    '/escalations',
    '/actions',
    '/teams',
    '/cases',
    '/rounds',
    '/frameworks',
    '/reports',
    '/reports/exports',
  ],
  headOfService: [
    '/',
    '/moderation',
    '/escalations',
    '/actions',
    '/teams',
    '/cases',
    '/rounds',
    '/frameworks',
    '/reports',
    '/reports/exports',
    '/agreement',
    '/calibration',
  ],
  director: ['/', '/reports', '/agreement'],
};

describe.each(Object.keys(ALLOWED) as (keyof typeof DEMO)[])('%s', (who) => {
  it('may open exactly the pages of their roles, and sees links to exactly those', async () => {
    const agent = await signedInAgent(ctx, DEMO[who]);
    for (const path of PAGES) {
      const res = await agent.get(path);
      expect([path, res.status]).toEqual([path, ALLOWED[who].includes(path) ? 200 : 403]);
    }
    const home = await agent.get('/');
    const links = [...home.text.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(links).toEqual(
      ALLOWED[who].filter((path) => !/^\/[^/]+\/./.test(path) && !NOT_IN_NAVIGATION.includes(path)),
    );
  });
});

describe('team scope', () => {
  const teamIdOf = async (code: string) => (await ctx.db.knex('team').where({ code }).first()).id as number;

  it('shows a team manager only the teams they manage', async () => {
    const agent = await signedInAgent(ctx, DEMO.teamManager);
    const list = await agent.get('/teams').expect(200);
    expect(list.text).toContain('Assessment North');
    expect(list.text).not.toContain('Assessment South');
    await agent.get(`/teams/${await teamIdOf('assessment-north')}`).expect(200);
    const other = await agent.get(`/teams/${await teamIdOf('assessment-south')}`).expect(404);
    expect(other.text).toContain('not one of yours');
  });

  it('shows a head of service the teams of their service area', async () => {
    const agent = await signedInAgent(ctx, DEMO.headOfService);
    const list = await agent.get('/teams').expect(200);
    expect((list.text.match(/href="\/teams\/\d+"/g) ?? []).length).toBe(8);
    expect(list.text).toContain('Family Safeguarding West 2');
    expect(list.text).not.toContain('Multi-Agency Safeguarding Hub');
    await agent.get(`/teams/${await teamIdOf('mash')}`).expect(404);
  });

  it('shows an admin every team and its staff', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const list = await agent.get('/teams').expect(200);
    expect((list.text.match(/href="\/teams\/\d+"/g) ?? []).length).toBe(20);
    const team = await agent.get(`/teams/${await teamIdOf('mash')}`).expect(200);
    expect((team.text.match(/<th scope="row"/g) ?? []).length).toBe(5);
    expect(team.text).toContain('Team Manager');
  });

  it('answers unknown pages with a GOV.UK-styled 404', async () => {
    const agent = await signedInAgent(ctx, DEMO.auditor);
    const res = await agent.get('/no-such-page').expect(404);
    expect(res.text).toContain('<h1 class="govuk-heading-l">Not found</h1>');
    expect(res.text).toContain('govuk-service-navigation');
  });

  it('refuses nonsense team ids with a 404', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    await agent.get('/teams/abc').expect(404);
    await agent.get('/teams/0').expect(404);
    await agent.get('/teams/99999').expect(404);
  });
});

describe('admin pages', () => {
  it('list users with their roles', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const res = await agent.get('/admin/users').expect(200);
    expect(res.text).toContain('7 users');
    expect(res.text).toContain('Head of service, Moderator');
  });

  it('show the audit log, filterable by action', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const res = await agent.get('/admin/audit-log?action=user.sign_in').expect(200);
    expect(res.text).toContain('user.sign_in');
    expect(res.text).not.toContain('<td class="govuk-table__cell">demo.seed</td>');
  });
});

describe('unauthenticated API calls', () => {
  it('get 401 problem details, not a redirect', async () => {
    const res = await request(ctx.app).get('/api/me').expect(401);
    expect(res.body.title).toBe('Sign in required');
  });
});
