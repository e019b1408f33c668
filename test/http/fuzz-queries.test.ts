import fc from 'fast-check';
import request from 'supertest';
import { queryValues, unicodeText } from '../support/fuzz-arbitraries';
import { fuzzSetup } from '../support/fuzz-setup';
import { isApi } from '../support/fuzz-targets';
import { ANY_NAME, watchQueryNames, type QueryNames } from '../support/query-names';
import { listRoutes, type RouteInfo } from '../support/routes';

/**
 * fast-check sends every page and API read (found from the app's router) query strings with hostile values
 * in the parameters that route reads (seen as it runs), each sent once, twice, with brackets or with no
 * value: any unicode, NUL, huge, numbers past the edges, ids, JSON, broken percent-encoding. Each answer must
 * be a success or a 4xx that says what is wrong, never a 5xx; and a refusal changes nothing.
 */

const RUNS_PER_PARAMETER = 4;
const MAX_RUNS_PER_ROUTE = 14;
const RUNS_FOR_A_ROUTE_THAT_READS_NONE = 3;
/**
 * Node refuses a request line longer than its header limit (16 KB) with a bare 431 before the app sees it;
 * the query strings here stay under it, as that answer is Node's, not the app's.
 */
const MAX_QUERY = 12_000;

const setup = fuzzSetup('query strings', 20261129);
let names: QueryNames;
let routes: RouteInfo[];

const headersFor = async (route: RouteInfo): Promise<Record<string, string>> =>
  isApi(route) ? { Authorization: `Bearer ${setup.targets.token}` } : setup.targets.signIn();

beforeAll(async () => {
  const { ctx, targets, base } = setup;
  names = watchQueryNames(ctx.app);
  routes = listRoutes(ctx.app).filter((r) => r.method === 'get');
  const session = await targets.signIn();
  const token = { Authorization: `Bearer ${targets.token}` };
  for (const route of routes)
    await request(base)
      .get(targets.realPath(route))
      .set(isApi(route) ? token : session)
      .redirects(0);
  names.stop();
}, 180_000);

/** A query string of the route's names and others, each sent in one of the shapes a query can take. */
function queries(read: readonly string[], ids: readonly number[]): fc.Arbitrary<string> {
  const known = read.filter((n) => n !== ANY_NAME);
  const name = fc.oneof(
    { weight: 6, arbitrary: known.length > 0 ? fc.constantFrom(...known) : unicodeText(10) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '', '%00', '%ED%A0%80') },
    { weight: 1, arbitrary: unicodeText(10).map((n) => encodeURIComponent(n.toWellFormed())) },
  );
  const pair = fc
    .record({
      name,
      value: queryValues(ids),
      second: queryValues(ids),
      shape: fc.constantFrom('once', 'once', 'once', 'twice', 'brackets', 'bare', 'empty'),
    })
    .map(({ name: n, value, second, shape }) => {
      if (shape === 'twice') return `${n}=${value}&${n}=${second}`;
      if (shape === 'brackets') return `${n}[]=${value}&${n}[x]=${second}`;
      if (shape === 'bare') return n;
      if (shape === 'empty') return `${n}=`;
      return `${n}=${value}`;
    });
  return fc.array(pair, { minLength: 1, maxLength: 5 }).map((pairs) => pairs.join('&').slice(0, MAX_QUERY));
}

it('answers hostile values in every query parameter with a success or a clear 4xx, and a refusal changes nothing', async () => {
  const { targets, probe } = setup;
  let parameters = 0;
  for (const route of routes) {
    const read = names.of(route.method, route.path);
    parameters += read.filter((n) => n !== ANY_NAME).length;
    const runs =
      read.length === 0
        ? RUNS_FOR_A_ROUTE_THAT_READS_NONE
        : Math.min(MAX_RUNS_PER_ROUTE, RUNS_PER_PARAMETER * read.length);
    const headers = await headersFor(route);
    const path = targets.realPath(route);
    await probe.check(`get ${route.path}`, queries(read, targets.ids), runs, (query) => ({
      method: 'get',
      path: `${path}?${query}`,
      headers,
    }));
  }
  console.log(
    `fuzz: query strings: ${routes.length} routes, ${parameters} parameters read (a route by a name)`,
  );
  expect(parameters).toBeGreaterThan(20);
  expect(probe.tally.failures).toEqual([]);
}, 600_000);
