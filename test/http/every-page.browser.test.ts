import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { DEMO } from '../support/app';
import { axeViolations, describeInBrowser, useBrowserApp, watchForPageErrors } from '../support/browser';
import { crawl } from '../support/browser-crawl';
import { mainContent, openAllDetails, sidewaysScrolling, structureProblems } from '../support/page-checks';

const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 900 };
/** Pages checked at once, in one browser context per role. */
const CONCURRENCY = 3;

/**
 * Every page each demo role can reach from its home page by following links (so pages added later are
 * included), at 1280 px and at 320 px: no WCAG 2.2 A/AA violation axe-core can find, no sideways scrolling
 * at 320 px outside a table's own scrolling region (WCAG 1.4.10), ids unique and every id reference resolved,
 * every data table in a named, focusable scrolling region, all content inside landmarks, and no link to an
 * error page.
 *
 * To stay quick: two pages of each route for the first role that reaches it (the first and last of a list)
 * and one for each role after; and a page whose main content is exactly one already checked (a framework,
 * the privacy notice, for another role) is not run through axe again, though all else is checked.
 */
describeInBrowser('every page, for every role', () => {
  const app = useBrowserApp({ activity: true });
  const routesChecked = new Set<string>();
  const contentChecked = new Set<string>();

  async function axeAt(page: Page, address: string, width: number, problems: string[]): Promise<void> {
    for (const v of await axeViolations(page))
      problems.push(`${address} at ${width} px: axe ${v.rule} (${v.impact}) on ${v.nodes.join(', ')}`);
  }

  /** Checks one page at both widths; returns the problems found, each starting with the page's address. */
  async function check(page: Page, errors: string[], address: string): Promise<string[]> {
    const problems: string[] = [];
    await page.setViewportSize(WIDE);
    const response = await page.goto(address, { waitUntil: 'load' });
    const status = response?.status() ?? 0;
    if (status >= 400) problems.push(`${address}: the link leads to a ${status} page`);
    for (const problem of await structureProblems(page)) problems.push(`${address}: ${problem}`);
    const content = createHash('sha256')
      .update(await mainContent(page))
      .digest('hex');
    const runAxe = !contentChecked.has(content);
    contentChecked.add(content);
    if (runAxe) {
      await axeAt(page, address, WIDE.width, problems);
      // Beyond WCAG's rules: all content (the phase banner and back link too) inside a landmark.
      for (const v of await axeViolations(page, { rules: ['region'] }))
        problems.push(`${address}: content outside any landmark: ${v.nodes.join(', ')}`);
    }
    // At 320 px with every details element open: raw detail, collapsed answers and hashes must fit too.
    await openAllDetails(page);
    await page.setViewportSize(NARROW);
    for (const problem of await sidewaysScrolling(page)) problems.push(`${address} at 320 px: ${problem}`);
    if (runAxe) await axeAt(page, address, NARROW.width, problems);
    for (const error of errors.splice(0)) problems.push(`${address}: ${error}`);
    return problems;
  }

  const links = (page: Page) =>
    page.$$eval('a[href]:not([download])', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));

  for (const role of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
    it(`${role}: every page reached passes axe at 1280 and 320 px, without sideways scrolling`, async () => {
      const started = Date.now();
      const first = await app.signedInPage(DEMO[role]);
      const pages = [first];
      for (let i = 1; i < CONCURRENCY; i += 1) pages.push(await first.context().newPage());
      const errors = pages.map((page) => watchForPageErrors(page));
      const problems: string[] = [];
      const earlier = new Set(routesChecked);
      const visited = await crawl(
        `${app.url}/`,
        async (address, worker) => {
          const page = pages[worker] as Page;
          problems.push(...(await check(page, errors[worker] as string[], address)));
          return links(page);
        },
        { perRoute: (route) => (earlier.has(route) ? 1 : 2), concurrency: CONCURRENCY },
      );
      await first.context().close();
      for (const route of visited.keys()) routesChecked.add(route);
      const count = [...visited.values()].flat().length;
      process.stdout.write(
        `${role}: ${count} pages of ${visited.size} routes checked in ${Math.round((Date.now() - started) / 1000)} s\n`,
      );
      expect(visited.size).toBeGreaterThan(2);
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
