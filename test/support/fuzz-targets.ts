import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { ROLES } from '../../src/auth/roles';
import { seedDemoActivity } from '../../src/demo/activity';
import { sessionHeaders, tokenFor, type TestContext } from './app';
import { FRAMEWORK } from './audits';
import { pathWith, propertyNames } from './fuzz';
import { listRoutes, type RouteInfo } from './routes';

/**
 * What fuzzing every route needs, on the demo organisation with its activity seeded: a user holding every
 * role (with an API token), a real value for each path parameter so hostile input reaches the handlers,
 * and every field name the app's forms and schemas use, so generated bodies reach past "unknown field".
 */
export interface FuzzTargets {
  userId: number;
  token: string;
  /** Session cookie and CSRF header of a fresh sign-in: a route such as sign-out may end the one it had. */
  signIn(): Promise<Record<string, string>>;
  realParam(route: RouteInfo, param: string): string;
  realPath(route: RouteInfo): string;
  /** Ids of real records (users, rounds, audits, teams), for values that might name one. */
  ids: number[];
  fields: string[];
}

const EMAIL = 'fuzz.every-role@example.gov.uk';

export const isApi = (route: RouteInfo) => route.path.startsWith('/api/');
export const hasBody = (route: RouteInfo) => route.method !== 'get' && route.method !== 'delete';

/** Seeds the context (created with frameworks loaded) and finds the targets, through the app at `base`. */
export async function fuzzTargets(ctx: TestContext, base: string): Promise<FuzzTargets> {
  await seedDemoActivity(ctx.services, SYSTEM_ACTOR, ctx.infrastructure.db);
  const user = await ctx.services.users.add(
    { email: EMAIL, displayName: 'Every Role', roles: [...ROLES] },
    SYSTEM_ACTOR,
  );
  const token = await tokenFor(ctx, EMAIL);

  const { knex } = ctx.db;
  const round = await knex('audit_round').orderBy('id').first('id');
  const [own, other] = await knex('audit')
    .where({ round_id: round.id })
    .whereNot({ status: 'submitted' })
    .orderBy('id')
    .limit(2)
    .select('id');
  await ctx.services.rounds.reallocate(own.id, user.id, 'Fuzz testing', SYSTEM_ACTOR);
  const [moderated] = await ctx.services.moderation.queue(user);
  const calibration = await knex('calibration_exercise').first('id');
  const caseImport = await knex('case_import').first('id');
  const team = await knex('team').first('id');
  const stored = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  const section = stored.framework.sections[0]?.id ?? 'x';
  const ids = [user.id, round.id, own.id, other.id, moderated?.auditId ?? 1, calibration.id, team.id];

  const realParam = (route: RouteInfo, param: string): string => {
    const { path } = route;
    if (param === 'auditId') return String(other.id);
    if (param === 'sectionId') return section;
    if (param === 'step') return 'name';
    if (param === 'format') return 'csv';
    if (param === 'version') return FRAMEWORK.version;
    if (/frameworks\/:id/.test(path)) return FRAMEWORK.id;
    if (/(rounds|audit-rounds)\/:id/.test(path)) return String(round.id);
    if (/imports\/:id/.test(path)) return String(caseImport.id);
    if (/calibrations?\/:id/.test(path)) return String(calibration.id);
    if (/teams\/:id/.test(path)) return String(team.id);
    if (/moderation/.test(path)) return String(moderated?.auditId ?? own.id);
    if (/reallocate/.test(path)) return String(other.id);
    return String(own.id);
  };
  const realPath = (route: RouteInfo) => pathWith(route.path, (param) => realParam(route, param));
  const signIn = () => sessionHeaders(base, user.id);

  const names = new Set([
    ...propertyNames(ctx.services.frameworks.responseSchema(stored, 'draft')),
    ...['version', 'response', 'reason', 'details', 'auditorUserId', 'grades', 'agreed', 'summary'],
    ...['name', 'caseRef', 'frameworkId', 'frameworkVersion', 'dueDate', 'auditorUserIds', 'seed'],
    ...['filters', 'size', 'stratifyBy', 'exclusions', 'auditors', 'dryRun', 'moderation'],
    ...['samplePercent', 'allInadequate', 'allOutstanding', 'blind', 'userId', 'returnTo'],
  ]);
  const session = await signIn();
  for (const route of listRoutes(ctx.app).filter((r) => r.method === 'get' && !isApi(r))) {
    const page = await request(base).get(realPath(route)).set(session).redirects(0);
    for (const match of page.text.matchAll(/name="([^"]+)"/g)) names.add(match[1] as string);
  }
  names.delete('_csrf');

  return { userId: user.id, token, signIn, realParam, realPath, ids, fields: [...names] };
}
