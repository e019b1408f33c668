import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { ROLES, type Role } from '../../src/auth/roles';
import { createTestContext, csrfTokenIn, signedInAgent, tokenFor, type TestContext } from '../support/app';
import { fillPath, listRoutes, type RouteInfo } from '../support/routes';
import { samlEnv } from '../support/saml';

/**
 * The authorisation matrix: every route the app serves (pages and API, every method) against an anonymous
 * visitor and every role alone and in pairs, with the outcome each should meet, written here independently
 * of src/auth/access.ts. A route the app serves that has no row fails the test, and so does a row for a
 * route that no longer exists.
 *
 * Each route is asked about a record that does not exist, so the answer shows its role gate alone: a user
 * the route admits is never refused (401, 403) and never meets an error (5xx); any other signed-in user is
 * refused with 403 and nothing is written; an anonymous visitor is sent to sign in (pages) or answered 401
 * (API). Which records an admitted user then sees (their teams, their service area, conflicts of interest)
 * is tested over real records in case-scope.test.ts.
 *
 * Who: `public`, `any` signed-in user, or the letters of the roles admitted: A admin, U auditor,
 * M moderator, T team manager, H head of service, D director.
 */
type Who = string;

const LETTER: Record<Role, string> = {
  admin: 'A',
  auditor: 'U',
  moderator: 'M',
  team_manager: 'T',
  head_of_service: 'H',
  director: 'D',
};

const MATRIX: Record<string, Who> = {
  // Open to everyone: assets, health, the legal pages and the sign-in form.
  'get /assets/govuk-frontend.min.js': 'public',
  'get /ping': 'public',
  'get /health': 'public',
  'get /info': 'public',
  'get /accessibility': 'public',
  'get /privacy': 'public',
  'get /sign-in': 'public',
  'post /sign-in': 'public',
  // Any signed-in user: their own account, and audits, each of which decides by its record (case-scope.test.ts).
  'get /api/me': 'any',
  'post /sign-out': 'any',
  'get /api/audits/:id': 'any',
  'put /api/audits/:id': 'any',
  'post /api/audits/:id/submit': 'any',
  'post /api/audits/:id/reopen': 'any',
  'post /api/audits/:id/safeguarding-concerns': 'any',
  'get /': 'any',
  'get /audits/:id': 'any',
  'post /audits/:id/reopen': 'any',
  'get /audits/:id/sections/:sectionId': 'any',
  'post /audits/:id/sections/:sectionId': 'any',
  'get /audits/:id/overall': 'any',
  'post /audits/:id/overall': 'any',
  'get /audits/:id/check': 'any',
  'post /audits/:id/submit': 'any',
  'get /audits/:id/safeguarding': 'any',
  'post /audits/:id/safeguarding': 'any',
  'get /account/notifications': 'any',
  'post /account/notifications': 'any',
  // Frameworks: everyone who grades, moderates or acts on findings; directors read reports only.
  'get /api/frameworks': 'AUMTH',
  'get /api/frameworks/:id/versions/:version': 'AUMTH',
  'get /api/frameworks/:id/versions/:version/response-schema': 'AUMTH',
  'get /api/frameworks/:id/versions/:version/export': 'AUMTH',
  'get /frameworks': 'AUMTH',
  'get /frameworks/:id': 'AUMTH',
  'get /frameworks/:id/versions/:version': 'AUMTH',
  'get /frameworks/:id/versions/:version/download.:format': 'AUMTH',
  // Actions (remediation): their teams' managers, heads of service, the auditors and moderators who verify, admins.
  'get /api/remediations': 'AUMTH',
  'get /api/remediations/:id': 'AUMTH',
  'post /api/remediations/:id/response': 'AUMTH',
  'post /api/remediations/:id/actions': 'AUMTH',
  'patch /api/actions/:id': 'AUMTH',
  'get /actions': 'AUMTH',
  'get /remediations/:id': 'AUMTH',
  'post /remediations/:id/response': 'AUMTH',
  'post /remediations/:id/actions': 'AUMTH',
  'post /actions/:id': 'AUMTH',
  // Cases, teams, escalations, rounds' progress and case-level exports: managers within their scope, and admins.
  'get /api/cases': 'ATH',
  'get /api/escalations': 'ATH',
  'get /api/escalations/:id': 'ATH',
  'post /api/escalations/:id/acknowledgement': 'ATH',
  'get /api/exports/audit-results.:format': 'ATH',
  'get /teams': 'ATH',
  'get /teams/:id': 'ATH',
  'get /cases': 'ATH',
  'get /rounds': 'ATH',
  'get /rounds/:id': 'ATH',
  'get /escalations': 'ATH',
  'get /escalations/:id': 'ATH',
  'post /escalations/:id/acknowledgement': 'ATH',
  'get /reports/exports': 'ATH',
  // Reports and board packs: aggregates for directors, heads of service, team managers and admins.
  'get /api/packs': 'ATHD',
  'post /api/packs': 'ATHD',
  'get /api/packs/:id.pdf': 'ATHD',
  'get /api/packs/:id.html': 'ATHD',
  'get /api/reports/summary': 'ATHD',
  'get /api/report-targets': 'ATHD',
  'get /reports/packs': 'ATHD',
  'post /reports/packs': 'ATHD',
  'get /reports/packs/:id.pdf': 'ATHD',
  'get /reports/packs/:id.html': 'ATHD',
  'get /reports': 'ATHD',
  // Moderation agreement statistics.
  'get /api/moderation/statistics': 'AMHD',
  'get /agreement': 'AMHD',
  // Calibration exercises: moderators take part, admins run them.
  'get /api/calibrations': 'AM',
  'get /api/calibrations/:id': 'AM',
  'get /calibration': 'AM',
  'get /calibration/:id': 'AM',
  // Moderation: moderators only (an admin is not a moderator unless given the role).
  'get /api/moderation/queue': 'M',
  'get /api/audits/:id/moderation': 'M',
  'post /api/audits/:id/moderation': 'M',
  'get /moderation': 'M',
  'get /moderation/audits/:id': 'M',
  'post /moderation/audits/:id': 'M',
  // An auditor's own list.
  'get /api/my-audits': 'U',
  'get /my-audits': 'U',
  // Administration, case imports, planning rounds, the audit log: admins only.
  'get /admin/restricted-cases': 'A',
  'get /admin/restricted-cases/:caseRef': 'A',
  'post /admin/restricted-cases/:caseRef/grants': 'A',
  'post /admin/restricted-cases/:caseRef/grants/:userId/remove': 'A',
  'get /api/restricted-cases': 'A',
  'get /api/restricted-cases/:caseRef': 'A',
  'post /api/restricted-cases/:caseRef/grants': 'A',
  'delete /api/restricted-cases/:caseRef/grants/:userId': 'A',
  'post /api/frameworks': 'A',
  'post /api/case-imports': 'A',
  'get /api/case-imports': 'A',
  'get /api/case-imports/:id': 'A',
  'post /api/audit-rounds': 'A',
  'get /api/audit-rounds': 'A',
  'get /api/audit-rounds/:id': 'A',
  'put /api/audit-rounds/:id/moderation': 'A',
  'post /api/audit-rounds/:id/close': 'A',
  'post /api/audits/:id/reallocate': 'A',
  'post /api/calibrations': 'A',
  'get /api/needs-attention': 'A',
  'put /api/escalations/:id/recipient': 'A',
  'put /api/report-targets': 'A',
  'get /api/users': 'A',
  'post /api/users': 'A',
  'get /api/users/:id': 'A',
  'patch /api/users/:id': 'A',
  'post /api/users/:id/sign-out': 'A',
  'post /api/users/:id/deactivate': 'A',
  'post /api/users/:id/reactivate': 'A',
  'get /api/teams': 'A',
  'post /api/teams': 'A',
  'get /api/teams/:id': 'A',
  'patch /api/teams/:id': 'A',
  'post /api/teams/:id/close': 'A',
  'post /api/teams/:id/reopen': 'A',
  'get /api/people': 'A',
  'post /api/people': 'A',
  'get /api/people/:id': 'A',
  'patch /api/people/:id': 'A',
  'get /api/localities': 'A',
  'get /api/service-areas': 'A',
  'get /api/audit-log': 'A',
  'get /api/closure-days': 'A',
  'post /api/closure-days': 'A',
  'delete /api/closure-days/:day': 'A',
  'get /frameworks/upload': 'A',
  'post /frameworks/upload': 'A',
  'get /cases/imports': 'A',
  'get /cases/imports/new': 'A',
  'post /cases/imports/new': 'A',
  'get /cases/imports/mapping/:pendingId': 'A',
  'post /cases/imports/mapping/:pendingId': 'A',
  'get /cases/imports/:id': 'A',
  'get /cases/imports/:id/rejections.csv': 'A',
  'get /rounds/new': 'A',
  'post /rounds/new/discard': 'A',
  'get /rounds/new/check': 'A',
  'post /rounds/new/check': 'A',
  'get /rounds/new/:step': 'A',
  'post /rounds/new/:step': 'A',
  'post /rounds/new/:step/preview': 'A',
  'get /rounds/:id/audits/:auditId/reallocate': 'A',
  'get /reaudits/:auditId/allocate': 'A',
  'post /rounds/:id/audits/:auditId/reallocate': 'A',
  'post /reaudits/:auditId/allocate': 'A',
  'get /rounds/:id/close': 'A',
  'post /rounds/:id/close': 'A',
  'get /rounds/:id/moderation': 'A',
  'post /rounds/:id/moderation': 'A',
  'get /calibration/new': 'A',
  'post /calibration/new': 'A',
  'get /needs-attention': 'A',
  'get /escalations/:id/recipient': 'A',
  'post /escalations/:id/recipient': 'A',
  'get /admin/outbox': 'A',
  'get /admin/outbox/:id': 'A',
  'get /admin': 'A',
  'get /admin/users': 'A',
  'get /admin/users/new': 'A',
  'post /admin/users/new': 'A',
  'get /admin/users/:id': 'A',
  'get /admin/users/:id/roles': 'A',
  'post /admin/users/:id/roles': 'A',
  'get /admin/users/:id/deactivate': 'A',
  'post /admin/users/:id/deactivate': 'A',
  'post /admin/users/:id/sign-out': 'A',
  'post /admin/users/:id/reactivate': 'A',
  'get /admin/teams': 'A',
  'get /admin/teams/new': 'A',
  'post /admin/teams/new': 'A',
  'get /admin/teams/:id': 'A',
  'get /admin/teams/:id/edit': 'A',
  'post /admin/teams/:id/edit': 'A',
  'get /admin/teams/:id/close': 'A',
  'post /admin/teams/:id/close': 'A',
  'post /admin/teams/:id/reopen': 'A',
  'get /admin/people/new': 'A',
  'post /admin/people/new': 'A',
  'get /admin/people/:id': 'A',
  'post /admin/people/:id': 'A',
  'get /admin/closure-days': 'A',
  'get /admin/closure-days/new': 'A',
  'post /admin/closure-days/new': 'A',
  'post /admin/closure-days/:day/remove': 'A',
  'get /admin/targets': 'A',
  'post /admin/targets': 'A',
  'get /admin/audit-log': 'A',
  'get /admin/subject-access': 'A',
  'get /admin/subject-access/:caseRef.zip': 'A',
  'get /api/subject-access/:caseRef': 'A',
  'get /api/subject-access/:caseRef.zip': 'A',
  'get /admin/retention': 'A',
  'get /admin/retention/classes/:code': 'A',
  'post /admin/retention/classes/:code': 'A',
  'get /api/retention/due': 'A',
};

/** Sign-out ends the session the matrix is using: it is asked last, by everyone. */
const LAST = 'post /sign-out';

/** Values for the routes' parameters, naming nothing that exists. */
const NOTHING = {
  id: 999999,
  auditId: 999999,
  version: 1,
  sectionId: 'recording',
  step: 'scope',
  format: 'csv',
  day: '2099-01-01',
  caseRef: 'NO-SUCH-CASE',
  userId: 999999,
  code: 'no-such-class',
};

const COMBINATIONS: Role[][] = ROLES.flatMap((first, i) => [
  [first],
  ...ROLES.slice(i + 1).map((second) => [first, second]),
]);

let ctx: TestContext;
let routes: RouteInfo[];
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  routes = listRoutes(ctx.app);
});
afterAll(() => ctx.close());

/** Runs `ask` over the routes a few at a time: they ask about nothing that exists, so none waits on another. */
async function fewAtATime(routes: RouteInfo[], ask: (route: RouteInfo) => Promise<void>): Promise<void> {
  for (let i = 0; i < routes.length; i += 6) await Promise.all(routes.slice(i, i + 6).map(ask));
}

const keyOf = (route: RouteInfo) => `${route.method} ${route.path}`;
const isApi = (path: string) => path.startsWith('/api/');

function admits(who: Who, roles: readonly Role[]): boolean {
  if (who === 'public' || who === 'any') return true;
  return roles.some((role) => who.includes(LETTER[role]));
}

/** Changes made, as the audit log counts them (every change of data writes an event; views are not changes). */
const changes = async () =>
  Number(
    (
      await ctx.db.knex('audit_event').whereNot('action', 'like', '%.view').count<{ n: string }[]>('* as n')
    )[0]?.n,
  );

it('has one row for every route the app serves, and none for a route it does not', () => {
  const served = routes.map(keyOf);
  expect(served.filter((key) => !(key in MATRIX))).toEqual([]);
  expect(Object.keys(MATRIX).filter((key) => !served.includes(key))).toEqual([]);
  expect(Object.values(MATRIX).filter((who) => !/^(public|any|[AUMTHD]+)$/.test(who))).toEqual([]);
  expect(COMBINATIONS).toHaveLength(21);
});

/** What each route answers an anonymous visitor, against what the table says: failures, described. */
async function anonymousFailures(app: TestContext['app'], table: Record<string, Who>): Promise<string[]> {
  const agent = request.agent(app);
  // With single sign-on no page holds a form before sign-in: a change sent without a token is refused first.
  const signInPage = (await agent.get('/sign-in').expect(200)).text;
  const csrf = /name="_csrf"/.test(signInPage) ? csrfTokenIn(signInPage) : '';
  const failures: string[] = [];
  for (const route of listRoutes(app)) {
    const path = fillPath(route.path, NOTHING);
    const res = await agent[route.method](path)
      .set('X-CSRF-Token', csrf)
      .type(isApi(path) ? 'json' : 'form')
      .send({});
    const toSignIn = res.status === 302 && String(res.headers.location).startsWith('/sign-in');
    const expected =
      table[keyOf(route)] === 'public'
        ? 'served'
        : route.method !== 'get' && !csrf
          ? '403'
          : isApi(path)
            ? '401'
            : 'sign in';
    const outcome =
      res.status === 401 || res.status === 403
        ? String(res.status)
        : toSignIn
          ? 'sign in'
          : res.status < 500
            ? 'served'
            : 'error';
    // A public route answers nonsense as it sees fit (the SAML endpoints refuse it), but never with an error.
    const met = expected === 'served' ? res.status < 500 : outcome === expected;
    if (!met) failures.push(`${keyOf(route)}: ${res.status}, expected ${expected}`);
    // A bearer token that is not one is no way in either.
    if (isApi(path) && expected === '401') {
      const forged = await request(app)[route.method](path).auth('not-a-token', { type: 'bearer' });
      if (forged.status !== 401) failures.push(`${keyOf(route)} with a forged token: ${forged.status}`);
    }
  }
  return failures;
}

it('sends an anonymous visitor to sign in, or answers 401, on every route that is not public', async () => {
  expect(await anonymousFailures(ctx.app, MATRIX)).toEqual([]);
});

/**
 * With single sign-on the development sign-in form is not served (its address 404s) and the SAML endpoints
 * are, all public: the identity provider's own checks stand in for a session.
 */
describe('in single sign-on mode', () => {
  const SAML_ROUTES: Record<string, Who> = {
    'get /auth/saml/metadata': 'public',
    'get /auth/saml/login': 'public',
    'post /auth/saml/callback': 'public',
    'get /auth/saml/logout/callback': 'public',
    'post /auth/saml/logout/callback': 'public',
  };
  const { 'post /sign-in': _devSignIn, ...rest } = MATRIX;
  const table = { ...rest, ...SAML_ROUTES };
  let saml: TestContext;
  beforeAll(async () => {
    saml = await createTestContext({ env: samlEnv() });
  });
  afterAll(() => saml.close());

  it('serves the same routes, less the development sign-in, plus the SAML endpoints', () => {
    const served = listRoutes(saml.app).map(keyOf);
    expect(served.filter((key) => !(key in table))).toEqual([]);
    expect(Object.keys(table).filter((key) => !served.includes(key))).toEqual([]);
  });

  it('treats anonymous visitors as without it', async () => {
    expect(await anonymousFailures(saml.app, table)).toEqual([]);
  });
});

describe.each(COMBINATIONS.map((roles) => [roles.join(' + '), roles] as const))('%s', (_name, roles) => {
  it('is admitted exactly where the matrix says, refused with 403 elsewhere, and changes nothing refused', async () => {
    const email = `${roles.join('.')}@matrix.example.gov.uk`;
    await ctx.services.users.add({ email, displayName: `Matrix ${roles.join(' ')}`, roles }, SYSTEM_ACTOR);
    const agent = await signedInAgent(ctx, email);
    const token = await tokenFor(ctx, email);
    const csrf = csrfTokenIn((await agent.get('/').expect(200)).text);
    const ask = (route: RouteInfo) => {
      const path = fillPath(route.path, NOTHING);
      // API clients come with a bearer token, browsers with the session and its CSRF token.
      const req = agent[route.method](path);
      return isApi(path)
        ? req.auth(token, { type: 'bearer' }).type('json').send({})
        : req.set('X-CSRF-Token', csrf).type('form').send({});
    };
    const asked = routes.filter((route) => MATRIX[keyOf(route)] !== 'public' && keyOf(route) !== LAST);
    const refused = asked.filter((route) => !admits(MATRIX[keyOf(route)]!, roles));
    const admitted = asked.filter((route) => admits(MATRIX[keyOf(route)]!, roles));
    const failures: string[] = [];
    const before = await changes();
    await fewAtATime(refused, async (route) => {
      const res = await ask(route);
      if (res.status !== 403) failures.push(`${keyOf(route)}: ${res.status}, expected 403`);
    });
    if ((await changes()) !== before) failures.push('a refused request changed something');
    await fewAtATime(admitted, async (route) => {
      const res = await ask(route);
      if ([401, 403].includes(res.status) || res.status >= 500)
        failures.push(`${keyOf(route)}: ${res.status}, expected to be admitted`);
    });
    const signOut = await agent.post('/sign-out').set('X-CSRF-Token', csrf).type('form').send({});
    if (signOut.status !== 302) failures.push(`${LAST}: ${signOut.status}`);
    await agent.get('/').expect(302);
    expect(failures).toEqual([]);
  });
});
