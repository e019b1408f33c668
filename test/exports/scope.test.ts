import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { Role } from '../../src/auth/roles';
import { createTestContext, signedInAgent, tokenFor, type TestContext } from '../support/app';
import { csvRows, submittedInPeriod } from '../support/exports';

/**
 * Who may export which audits: each kind of user, alone and holding a second role, on the demo's submitted
 * audits. The rule, written out here apart from the code: admins every team; team managers the teams they
 * manage; heads of service their service areas' teams; nobody else any (directors see aggregates only), and
 * a second role never widens what the first reaches.
 */

const FRAMEWORK_ID = 'childrens-social-care-case-audit';
const EXPORT = `/api/exports/audit-results.csv?framework=${FRAMEWORK_ID}`;

interface Probe {
  roles: Role[];
  manages?: string[];
  leads?: string[];
  /** Whether the user may export at all: `true` for managers, heads of service and admins. */
  exports: boolean;
}

const PROBES: [string, Probe][] = [
  ['an admin', { roles: ['admin'], exports: true }],
  ['an admin who manages a team', { roles: ['admin', 'team_manager'], manages: ['mash'], exports: true }],
  ['a team manager', { roles: ['team_manager'], manages: ['assessment-north', 'mash'], exports: true }],
  ['a team manager of no team', { roles: ['team_manager'], exports: true }],
  [
    'a team manager who audits',
    { roles: ['team_manager', 'auditor'], manages: ['assessment-north'], exports: true },
  ],
  ['a head of service', { roles: ['head_of_service'], leads: ['front-door'], exports: true }],
  [
    'a head of service who manages a team in another area',
    {
      roles: ['head_of_service', 'team_manager'],
      leads: ['front-door'],
      manages: ['family-safeguarding-south-1'],
      exports: true,
    },
  ],
  [
    'a head of service who moderates',
    { roles: ['head_of_service', 'moderator'], leads: ['safeguarding'], exports: true },
  ],
  ['a director', { roles: ['director'], exports: false }],
  [
    'a director who manages a team',
    { roles: ['director', 'team_manager'], manages: ['mash'], exports: true },
  ],
  [
    'a director who is a head of service',
    { roles: ['director', 'head_of_service'], leads: ['safeguarding'], exports: true },
  ],
  ['an auditor', { roles: ['auditor'], exports: false }],
  ['a moderator', { roles: ['moderator'], exports: false }],
  ['an auditor and moderator', { roles: ['auditor', 'moderator'], exports: false }],
];

let ctx: TestContext;
let teams: { id: number; code: string; area: string | null }[];
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
  teams = await ctx.db
    .knex('team as t')
    .leftJoin('service_area as s', 's.id', 't.service_area_id')
    .select('t.id', 't.code', 's.code as area');
}, 120_000);
afterAll(() => ctx.close());

/** The teams a probe may export, by the rule above: undefined for every team. */
function teamsOf(p: Probe): number[] | undefined {
  if (p.roles.includes('admin')) return undefined;
  return teams
    .filter(
      (t) =>
        (p.roles.includes('team_manager') && p.manages?.includes(t.code)) ||
        (p.roles.includes('head_of_service') && t.area !== null && p.leads?.includes(t.area)),
    )
    .map((t) => t.id);
}

it('has submitted audits across the service, so that scope makes a difference', async () => {
  const all = await submittedInPeriod(ctx, FRAMEWORK_ID);
  const frontDoor = await submittedInPeriod(
    ctx,
    FRAMEWORK_ID,
    teams.filter((t) => t.area === 'front-door').map((t) => t.id),
  );
  expect(frontDoor.length).toBeGreaterThan(0);
  expect(all.length).toBeGreaterThan(frontDoor.length);
});

describe.each(PROBES)('%s', (name, probe) => {
  let token: string;
  let email: string;
  beforeAll(async () => {
    email = `${name.replace(/\W+/g, '.')}@exports.example.gov.uk`;
    await ctx.services.users.add(
      {
        email,
        displayName: `Export probe ${name}`,
        roles: probe.roles,
        ...(probe.manages ? { teamCodes: probe.manages } : {}),
        ...(probe.leads ? { serviceAreaCodes: probe.leads } : {}),
      },
      SYSTEM_ACTOR,
    );
    token = await tokenFor(ctx, email);
  });
  const api = (address: string) => request(ctx.app).get(address).auth(token, { type: 'bearer' });

  it(probe.exports ? 'exports exactly the audits of their teams' : 'is refused, page and API', async () => {
    const agent = await signedInAgent(ctx, email);
    const reports = await agent.get('/reports');
    if (!probe.exports) {
      await api(EXPORT).expect(403);
      await api(EXPORT.replace('.csv', '.xlsx')).expect(403);
      await agent.get('/reports/exports').expect(403);
      await agent.get('/reports/exports').query({ framework: FRAMEWORK_ID }).expect(403);
      expect(reports.text).not.toContain('href="/reports/exports"');
      return;
    }
    expect(reports.status).toBe(200);
    expect(reports.text).toContain('href="/reports/exports"');
    const [header, ...rows] = csvRows(await api(EXPORT).expect(200));
    const ids = rows.map((row) => Number(row[(header as string[]).indexOf('audit_id')]));
    expect(ids).toEqual(await submittedInPeriod(ctx, FRAMEWORK_ID, teamsOf(probe)));
    const page = await agent
      .get('/reports/exports')
      .query({ framework: FRAMEWORK_ID, format: 'csv' })
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    expect(csvRows(page)).toEqual([header, ...rows]);
  });

  if (!probe.exports) return;

  it('narrows to one of their teams, and is refused one outside their scope', async () => {
    const mine = teamsOf(probe);
    const inside = mine === undefined ? teams[0]?.id : mine[0];
    if (inside !== undefined) {
      const [, ...rows] = csvRows(await api(`${EXPORT}&team=${inside}`).expect(200));
      expect(rows.length).toBe((await submittedInPeriod(ctx, FRAMEWORK_ID, [inside])).length);
    }
    const outside = mine === undefined ? 999_999 : teams.find((t) => !mine.includes(t.id))?.id;
    const refused = await api(`${EXPORT}&team=${outside}`).expect(400);
    expect(refused.body.errors).toEqual([
      { field: 'team', message: 'is not one of the teams you may export' },
    ]);
  });
});
