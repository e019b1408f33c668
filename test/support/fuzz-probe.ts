import fc from 'fast-check';
import request from 'supertest';
import type { Body } from './fuzz-arbitraries';
import { describeChange, type Change, type ChangeWatch } from './change-watch';
import { unclearRefusal } from './clear-refusal';
import type { RouteInfo } from './routes';

/**
 * Sends one generated request to a running server and judges the answer: never a 5xx or a dropped
 * connection; a 4xx says what is wrong; and a request refused with a 4xx changes nothing in the database.
 * Requests go one at a time, so each change the database notes belongs to the request just answered.
 */

export interface Probe {
  /** Sends the request; returns what is wrong with the answer, or undefined. */
  send(request: ProbeRequest): Promise<string | undefined>;
  /** Runs the property for this route with the run's seed; a failure (shrunk) is kept, not thrown. */
  check<T>(
    label: string,
    arbitrary: fc.Arbitrary<T>,
    numRuns: number,
    toRequest: (value: T) => ProbeRequest,
  ): Promise<void>;
  /**
   * Runs `check` for each route in turn: `bodies` sent `numRuns` times to its path (`pathOf`), with the
   * headers `headersFor` gives, asked once per route.
   */
  checkRoutes(
    routes: readonly RouteInfo[],
    pathOf: (route: RouteInfo) => string,
    bodies: fc.Arbitrary<Body>,
    numRuns: number,
    headersFor: () => Record<string, string> | Promise<Record<string, string>>,
  ): Promise<void>;
  readonly tally: ProbeTally;
}

export interface ProbeRequest {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  headers: Record<string, string>;
  body?: Body;
  /**
   * Judges an answer that is not a refusal (a redirect to a page that tells of one, say), given the changes
   * the request made beyond those a refusal may make; returns what is wrong, or undefined.
   */
  judge?: (res: request.Response, changes: readonly Change[]) => Promise<string | undefined>;
}

export interface ProbeTally {
  cases: number;
  serverErrors: number;
  /** Answers by class (2xx, 3xx, 4xx), to see the cases reached past the first check. */
  byStatus: Record<string, number>;
  /** Refused requests after which the database was seen unchanged. */
  refusedUnchanged: number;
  failures: string[];
  /** Seconds each property took, by its label. */
  seconds: Record<string, number>;
}

/** The properties that took longest, for a run's summary line. */
export function slowest(seconds: Record<string, number>, count = 3): string {
  return Object.entries(seconds)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([label, s]) => `${label} ${s.toFixed(1)} s`)
    .join(', ');
}

export interface ProbeOptions {
  base: string;
  watch: ChangeWatch;
  seed: number;
  /** Changes a refusal may make (an import refused is itself recorded, say). */
  allowedOnRefusal?: (change: Change) => boolean;
  /** The server's log lines (errors at least), to tell why a request failed. */
  logLines?: readonly string[];
  /** Time a route's property may take, shrinking a failure included. */
  timeLimitMs?: number;
}

const preview = (body: Body | undefined) =>
  body === undefined
    ? ''
    : ` ${body.type ?? '(no type)'} ${JSON.stringify(String(body.body).slice(0, 160))}${body.body.length > 160 ? `… (${body.body.length})` : ''}`;

export function createProbe(options: ProbeOptions): Probe {
  const tally: ProbeTally = {
    cases: 0,
    serverErrors: 0,
    byStatus: {},
    refusedUnchanged: 0,
    failures: [],
    seconds: {},
  };
  const allowed = options.allowedOnRefusal ?? (() => false);

  /** The error the server logged for a request, its message and where it was thrown. */
  function loggedError(requestId: string): string {
    const line = options.logLines?.find(
      (l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"err"'),
    );
    if (!line) return '(no error logged)';
    const { err } = JSON.parse(line) as { err?: { message?: string; stack?: string } };
    return (err?.stack ?? err?.message ?? '').split('\n').slice(0, 4).join(' | ');
  }

  async function send(req: ProbeRequest): Promise<string | undefined> {
    tally.cases += 1;
    let test = request(options.base)[req.method](req.path).set(req.headers).redirects(0);
    if (req.body) {
      if (req.body.type !== undefined) test = test.set('Content-Type', req.body.type);
      test = test.send(req.body.body);
    }
    let res: request.Response;
    try {
      res = await test;
    } catch (err) {
      // A refusal of a big body may close the connection before it is all sent: the answer still came.
      const response = (err as { response?: request.Response }).response;
      if (!response) return `no answer: ${(err as Error).message}`;
      res = response;
    }
    const changes = await options.watch.since();
    const status = `${Math.floor(res.status / 100)}xx`;
    tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
    if (res.status >= 500) {
      tally.serverErrors += 1;
      return `answered ${res.status}: ${loggedError(String(res.headers['x-request-id']))}`;
    }
    const written = changes.filter((c) => !allowed(c));
    if (res.status < 400) {
      if (!req.judge) return undefined;
      const verdict = await req.judge(res, written);
      // What judging did (opening the page a redirect leads to) is not the next request's.
      await options.watch.since();
      return verdict;
    }
    const unclear = unclearRefusal(res);
    if (unclear) return `answered ${res.status} with ${unclear}: ${res.text.slice(0, 200)}`;
    if (written.length > 0)
      return `answered ${res.status} but changed the database: ${written.map(describeChange).join(', ')}`;
    tally.refusedUnchanged += 1;
    return undefined;
  }

  async function check<T>(
    label: string,
    arbitrary: fc.Arbitrary<T>,
    numRuns: number,
    toRequest: (value: T) => ProbeRequest,
  ): Promise<void> {
    let last: string | undefined;
    const started = Date.now();
    // What was done before (a sign-in for this route, say) is not the property's.
    await options.watch.since();
    try {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (value) => {
          const req = toRequest(value);
          const wrong = await send(req);
          if (wrong)
            last = `${req.method.toUpperCase()} ${req.path.slice(0, 200)}${preview(req.body)} ${wrong}`;
          return wrong === undefined;
        }),
        { seed: options.seed, numRuns, interruptAfterTimeLimit: options.timeLimitMs ?? 60_000 },
      );
    } catch (err) {
      const firstLine = (err as Error).message.split('\n').find((l) => l.includes('seed')) ?? '';
      tally.failures.push(`${label}: ${last ?? ''} (${firstLine.trim()})`);
    }
    tally.seconds[label] = (Date.now() - started) / 1000;
  }

  async function checkRoutes(
    routes: readonly RouteInfo[],
    pathOf: (route: RouteInfo) => string,
    bodies: fc.Arbitrary<Body>,
    numRuns: number,
    headersFor: () => Record<string, string> | Promise<Record<string, string>>,
  ): Promise<void> {
    for (const route of routes) {
      const headers = await headersFor();
      const path = pathOf(route);
      await check(`${route.method} ${route.path}`, bodies, numRuns, (body) => ({
        method: route.method,
        path,
        headers,
        body,
      }));
    }
  }

  return { send, check, checkRoutes, tally };
}
