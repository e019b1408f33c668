import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { Services } from '../../src/services';
import { FRAMEWORK } from './audits';

/**
 * Load for the fault suite: plain HTTP requests to a server process, each answer kept as its status (or the
 * network error's code), and tallies to print.
 */

export interface Answer {
  status: number | undefined;
  /** The network error's code when there was no answer (ECONNREFUSED, ECONNRESET…). */
  error: string | undefined;
  retryAfter: string | undefined;
  body: string;
}

export interface Client {
  request(method: string, path: string, body?: unknown): Promise<Answer>;
  close(): void;
}

/** A client of its own keep-alive connection, as a browser or an API user has. */
export function client(baseUrl: string, headers: Record<string, string>, keepAlive = true): Client {
  const agent = new http.Agent({ keepAlive, maxSockets: 1 });
  return {
    request(method, path, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve) => {
        const req = http.request(
          new URL(path, baseUrl),
          {
            method,
            agent,
            headers: {
              accept: 'application/json',
              ...headers,
              ...(payload ? { 'content-type': 'application/json' } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode,
                error: undefined,
                retryAfter: res.headers['retry-after'],
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            res.on('error', (err: NodeJS.ErrnoException) =>
              resolve({ status: undefined, error: err.code ?? err.message, retryAfter: undefined, body: '' }),
            );
          },
        );
        req.on('error', (err: NodeJS.ErrnoException) =>
          resolve({ status: undefined, error: err.code ?? err.message, retryAfter: undefined, body: '' }),
        );
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Counts of answers by status (or error code), for printing and checking. */
export class Tally {
  readonly counts = new Map<string, number>();

  add(answer: Answer): void {
    const key = answer.error ?? String(answer.status);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  count(...keys: string[]): number {
    return keys.reduce((n, key) => n + (this.counts.get(key) ?? 0), 0);
  }

  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${key} × ${n}`)
      .join(', ');
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const randomPause = (maxMs: number) => pause(Math.floor(Math.random() * maxMs));

/**
 * Fills a newly started server's connection pool before a test measures it: `paths` read all at once, again
 * until every one answers 200 (within a minute). A cold pool opening ten connections at once on a busy
 * machine can take longer than the connect timeout, which is start-up, not the fault under test.
 */
export async function warmUp(
  baseUrl: string,
  headers: Record<string, string>,
  paths: string[],
): Promise<void> {
  const clients = paths.map(() => client(baseUrl, headers));
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      const answers = await Promise.all(paths.map((p, i) => (clients[i] as Client).request('GET', p)));
      if (answers.every((answer) => answer.status === 200)) return;
      if (Date.now() > deadline)
        throw new Error(`the server did not warm up: ${answers.map((a) => a.status ?? a.error).join(', ')}`);
      await pause(500);
    }
  } finally {
    for (const c of clients) c.close();
  }
}

/**
 * A complete draft response to the test framework, told apart from every other by `marker` in its first
 * section's strengths: what was saved can then be found in what is stored.
 */
export async function markedResponses(services: Services): Promise<(marker: string) => unknown> {
  const { framework } = await services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  const json = JSON.stringify(completeResponse(framework, () => 1));
  const strengths = 'Visits are regular';
  if (!json.includes(strengths)) throw new Error('the made-up response has no strengths to mark');
  return (marker) => JSON.parse(json.replace(strengths, `Visits are regular (save ${marker})`));
}

/** The marker of the save a stored response came from. */
export function markerOf(response: unknown): string | undefined {
  return /\(save ([^)]+)\)/.exec(JSON.stringify(response))?.[1];
}

/** An API token for a user, by email. */
export async function apiToken(services: Services, email: string): Promise<string> {
  return (await services.tokens.create({ email, name: 'Fault suite' }, SYSTEM_ACTOR)).token;
}

/** The resident set size of a process, in kB, from /proc (Linux). */
export async function residentKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}
