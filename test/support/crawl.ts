import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { decode } from './forms';

export interface CrawledPage {
  path: string;
  /** The request id the page was asked for with (X-Request-Id), to find what it recorded. */
  requestId: string;
  status: number;
  /** The HTML, when the answer was a page. */
  html?: string;
}

/** Same-origin pages linked from a page: no sign-out, no downloads, no fragments. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\shref="([^"]+)"/g)]
    .map((m) => decode(m[1] as string).split('#')[0] as string)
    .filter((href) => href.startsWith('/') && !href.startsWith('//'))
    .filter((href) => !/sign-out|\.csv|\.pdf|\.json|\/download|\/assets\/|\/public\//.test(href));
}

/** The route a path belongs to: ids and case references replaced, queries dropped. */
export const patternOf = (path: string) =>
  (path.split('?')[0] as string).replace(/\/\d+(?=\/|$)/g, '/:n').replace(/\/[A-Z]{2}\d+/g, '/:ref');

/**
 * Every page a signed-in user reaches by following links from home, `perRoute` of each route, each
 * asked for with its own request id: a test over "every page" covers the pages added after it.
 */
export async function crawl(agent: TestAgent, options: { perRoute?: number; max?: number } = {}) {
  const { perRoute = 2, max = 250 } = options;
  const pages: CrawledPage[] = [];
  const seen = new Set<string>();
  const perPattern = new Map<string, number>();
  const queue = ['/'];
  while (queue.length > 0 && pages.length < max) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    const pattern = patternOf(path);
    if ((perPattern.get(pattern) ?? 0) >= perRoute) continue;
    perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
    const requestId = randomUUID();
    const res = await agent.get(path).set('X-Request-Id', requestId);
    const isPage = res.status === 200 && /text\/html/.test(String(res.headers['content-type']));
    pages.push({ path, requestId, status: res.status, ...(isPage ? { html: res.text } : {}) });
    if (isPage) queue.push(...linksIn(res.text));
  }
  return pages;
}

/** The text a reader sees: no tags, scripts, attributes, or raw detail shown as code. */
export function visibleText(html: string): string {
  return decode(
    html
      .replace(/<(script|style|pre|code|textarea)\b[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  );
}
