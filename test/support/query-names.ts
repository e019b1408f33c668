import type { Express, Request } from 'express';

/**
 * The query parameters each route reads, seen as the app runs: `req.query` is wrapped so that every name
 * read from it is noted against the route reading it (or against every route, when read by middleware).
 * A route that lists its query (to take any filter, say) is noted as reading any name. Routes are opened
 * with no query to be seen: a name read then is one the code asks for, not one it was merely sent.
 */

export const ANY_NAME = '*';
const EVERY_ROUTE = '*';

export interface QueryNames {
  /** Stops noting: the names seen so far are the ones the fuzzing uses. */
  stop(): void;
  /** The names read by this route (path pattern as the router has it), and by middleware for every route. */
  of(method: string, path: string): string[];
}

export function watchQueryNames(app: Express): QueryNames {
  const seen = new Map<string, Set<string>>();
  let noting = true;
  const note = (key: string, name: string) => {
    if (!noting) return;
    const names = seen.get(key) ?? new Set<string>();
    names.add(name);
    seen.set(key, names);
  };
  const prototype = app.request as Request;
  let owner: object | null = prototype;
  let descriptor: PropertyDescriptor | undefined;
  while (owner && !descriptor) {
    descriptor = Object.getOwnPropertyDescriptor(owner, 'query');
    if (!descriptor) owner = Object.getPrototypeOf(owner) as object | null;
  }
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the getter is called with a request as `this`
  const read = descriptor?.get;
  if (!read) throw new Error('req.query is not a getter: the Express version has changed');
  Object.defineProperty(prototype, 'query', {
    configurable: true,
    get(this: Request) {
      const query = read.call(this) as Record<string, unknown>;
      const keyOf = () =>
        this.route ? `${this.method.toLowerCase()} ${this.baseUrl}${String(this.route.path)}` : EVERY_ROUTE;
      return new Proxy(query, {
        get(target, name, receiver) {
          if (typeof name === 'string' && !(name in Object.prototype)) note(keyOf(), name);
          return Reflect.get(target, name, receiver) as unknown;
        },
        ownKeys(target) {
          note(keyOf(), ANY_NAME);
          return Reflect.ownKeys(target);
        },
      });
    },
  });
  return {
    stop() {
      noting = false;
    },
    of(method, path) {
      return [...new Set([...(seen.get(`${method} ${path}`) ?? []), ...(seen.get(EVERY_ROUTE) ?? [])])];
    },
  };
}
