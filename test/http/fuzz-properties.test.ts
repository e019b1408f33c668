import { limitInBytes } from '../support/fuzz';
import { jsonBodies } from '../support/fuzz-arbitraries';
import { fuzzSetup } from '../support/fuzz-setup';
import { isApi } from '../support/fuzz-targets';
import { listRoutes } from '../support/routes';

/**
 * fast-check sends every JSON endpoint (found from the app's router) generated bodies: any JSON, objects
 * with `__proto__` and `constructor` keys and wrong types in the fields the app reads, deep nesting, huge
 * strings, any unicode, JSON broken part way, bytes that are not text, and all of it sometimes under
 * another content type. Each answer must be a success or a 4xx problem that says what is wrong, never a
 * 5xx; and a refused request must leave the database as it was.
 */

const RUNS_PER_ROUTE = 50;
const setup = fuzzSetup('JSON bodies', 20261126);

it('answers generated bodies to every JSON endpoint with a success or a clear 4xx, and a refusal changes nothing', async () => {
  const { ctx, targets, probe } = setup;
  const bodies = jsonBodies(targets.fields, targets.ids, limitInBytes(ctx.config.bodyLimit));
  const routes = listRoutes(ctx.app).filter((r) => isApi(r) && r.method !== 'get');
  expect(routes.length).toBeGreaterThan(20);
  const headers = { Authorization: `Bearer ${targets.token}` };
  await probe.checkRoutes(
    routes,
    (route) => targets.realPath(route),
    bodies,
    RUNS_PER_ROUTE,
    () => headers,
  );
  expect(probe.tally.failures).toEqual([]);
}, 600_000);
