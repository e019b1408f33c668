import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { crawl as followLinks, isPageLink } from './browser-crawl';
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
    .filter((href) => isPageLink(new URL(href, ORIGIN), ORIGIN));
}

/** The origin the app's paths are resolved against (supertest asks the app itself). */
const ORIGIN = 'http://app.test';

/**
 * Every page a signed-in user reaches by following links from home, `perRoute` of each route (the browser
 * crawl's rules: test/support/browser-crawl.ts), each asked for with its own request id: a test over
 * "every page" covers the pages added after it.
 */
export async function crawl(agent: TestAgent, options: { perRoute?: number } = {}) {
  const { perRoute = 2 } = options;
  const pages: CrawledPage[] = [];
  await followLinks(
    `${ORIGIN}/`,
    async (address) => {
      const url = new URL(address);
      const path = `${url.pathname}${url.search}`;
      const requestId = randomUUID();
      const res = await agent.get(path).set('X-Request-Id', requestId);
      const isPage = res.status === 200 && /text\/html/.test(String(res.headers['content-type']));
      pages.push({ path, requestId, status: res.status, ...(isPage ? { html: res.text } : {}) });
      return isPage ? linksIn(res.text) : [];
    },
    { perRoute: () => perRoute, concurrency: 1 },
  );
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
