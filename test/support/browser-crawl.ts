/**
 * A crawl of a site's pages by following its links, for checks that must cover every page, including
 * pages added after the checks were written. Pages are grouped by their route (`/audits/:n/check`), and only
 * a few of each are visited: the first and the last link of a list differ most (oldest and newest, to do and
 * done), so those are taken first.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The route a page's address belongs to: numeric and uuid segments replaced, query values dropped. */
export function routeOf(address: URL): string {
  const path = address.pathname
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) ? ':n' : UUID.test(segment) ? ':uuid' : segment))
    .join('/');
  const keys = [...new Set(address.searchParams.keys())].sort();
  return keys.length > 0 ? `${path}?${keys.join('&')}` : path;
}

/** A link the crawl follows: same origin, a page rather than a file, an API or signing out. */
export function isPageLink(address: URL, origin: string): boolean {
  return (
    address.origin === origin &&
    !/\.[a-z][a-z0-9]*$/i.test(address.pathname) &&
    !/^\/(api|public|assets)\//.test(address.pathname) &&
    !/^\/sign-(out|in)\b/.test(address.pathname)
  );
}

/** First and last before the ones between. */
function endsFirst<T>(items: T[]): T[] {
  return items.length <= 2 ? items : [items[0] as T, items[items.length - 1] as T, ...items.slice(1, -1)];
}

export interface CrawlOptions {
  /** Pages to visit of a route. */
  perRoute: (route: string) => number;
  /** Pages visited at once. */
  concurrency: number;
}

/**
 * Visits `start`, then every page its links lead to, breadth first, at most `perRoute` of each route.
 * `visit` checks a page and returns the addresses of the links on it. Returns the routes visited.
 */
export async function crawl(
  start: string,
  visit: (address: string, worker: number) => Promise<string[]>,
  { perRoute, concurrency }: CrawlOptions,
): Promise<Map<string, string[]>> {
  const origin = new URL(start).origin;
  const seen = new Set<string>();
  const taken = new Map<string, number>();
  const queue: string[] = [];
  const visited = new Map<string, string[]>();
  const offer = (links: string[]) => {
    const byRoute = new Map<string, string[]>();
    for (const link of links) {
      const address = new URL(link, origin);
      address.hash = '';
      const href = address.toString();
      if (!isPageLink(address, origin) || seen.has(href)) continue;
      seen.add(href);
      const route = routeOf(address);
      byRoute.set(route, [...(byRoute.get(route) ?? []), href]);
    }
    for (const [route, hrefs] of byRoute) {
      for (const href of endsFirst(hrefs)) {
        if ((taken.get(route) ?? 0) >= perRoute(route)) break;
        taken.set(route, (taken.get(route) ?? 0) + 1);
        queue.push(href);
      }
    }
  };
  offer([start]);
  let active = 0;
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
  };
  const worker = async (id: number): Promise<void> => {
    for (;;) {
      const next = queue.shift();
      if (next === undefined) {
        if (active === 0) return wakeAll();
        // Another page being visited may yet find links.
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      active += 1;
      const route = routeOf(new URL(next));
      visited.set(route, [...(visited.get(route) ?? []), next]);
      try {
        offer(await visit(next, id));
      } finally {
        active -= 1;
        wakeAll();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  return visited;
}
