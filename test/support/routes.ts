import type { Express } from 'express';

export interface RouteInfo {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The full path pattern, as Express matches it (`/api/audits/:id`). */
  path: string;
  /** The names of the route's own handlers and middleware, in order (`finalAction`, say). */
  handlers: string[];
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean>; stack?: { handle?: { name?: string } }[] };
  handle?: { stack?: Layer[] };
}

/**
 * Every route the app serves, read from its router stack (routers mounted under a path included), so that
 * a test over "every route" covers the routes added after it was written.
 */
export function listRoutes(app: Express): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          if (typeof path !== 'string') continue;
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && ['get', 'post', 'put', 'patch', 'delete'].includes(method))
              routes.push({
                method: method as RouteInfo['method'],
                path: `${prefix}${path}`,
                handlers: (layer.route.stack ?? []).map((l) => l.handle?.name ?? ''),
              });
          }
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(router.stack, '');
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A path with its parameters filled in: `fill('/audits/:id', { id: 7 })`. Unnamed parameters stay. */
export function fillPath(path: string, values: Record<string, string | number>): string {
  return path.replace(/:(\w+)/g, (whole, name: string) =>
    values[name] === undefined ? whole : encodeURIComponent(String(values[name])),
  );
}
