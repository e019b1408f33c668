import { limitInBytes } from '../support/fuzz';
import { formBodies } from '../support/fuzz-arbitraries';
import { fuzzSetup } from '../support/fuzz-setup';
import { hasBody, isApi } from '../support/fuzz-targets';
import { listRoutes } from '../support/routes';

/**
 * fast-check sends every form the app has (found from its router), as a user holding every role, generated
 * bodies: the fields the app's forms use and others, each once or several times, with hostile values (any
 * unicode, NUL, huge, number-like), broken percent-encoding, and bytes that are not a form. Each answer must
 * be a success or a 4xx page that says what is wrong, never a 5xx; and a refusal must change nothing.
 */

const RUNS_PER_FORM = 40;
const setup = fuzzSetup('forms', 20261127);

it('answers generated bodies to every form with a success or a clear 4xx, and a refusal changes nothing', async () => {
  const { ctx, targets, probe } = setup;
  const bodies = formBodies(targets.fields, targets.ids, limitInBytes(ctx.config.bodyLimit));
  const routes = listRoutes(ctx.app).filter((r) => !isApi(r) && hasBody(r));
  expect(routes.length).toBeGreaterThan(25);
  // A session of its own for each form: a form such as sign-out ends the one it is sent with.
  await probe.checkRoutes(
    routes,
    (route) => targets.realPath(route),
    bodies,
    RUNS_PER_FORM,
    () => targets.signIn(),
  );
  expect(probe.tally.failures).toEqual([]);
}, 600_000);
