/// <reference lib="dom" />
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';
import type { Express } from 'express';
import { createTestContext, type TestContext } from './app';
import { sidewaysScrolling, structureProblems } from './page-checks';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
export const chromiumPath = CANDIDATES.find((candidate) => candidate && existsSync(candidate));

/**
 * Browser tests run in the system Chromium. Without one they fail, saying how to install it, unless
 * skipping them was asked for (SKIP_BROWSER_TESTS=1): a missing browser never passes a run silently.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumPath) {
    describe(name, body);
  } else if (process.env.SKIP_BROWSER_TESTS === '1' && !process.env.CI) {
    process.stderr.write(
      `\nNOTICE: skipping browser tests "${name}" as SKIP_BROWSER_TESTS=1 asks: no Chromium found.\n`,
    );
    describe.skip(name, body);
  } else {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(
          'No Chromium found: install the Debian package chromium or set CHROMIUM_PATH' +
            (process.env.CI ? '.' : ', or set SKIP_BROWSER_TESTS=1 to skip the browser tests.'),
        );
      });
    });
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A page in its own context (its own cookies), as axe-core's Playwright integration requires. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * GOV.UK Frontend puts aria-expanded on radios that reveal a follow-up question. ARIA does not list it for
 * radios, so axe reports it, but GOV.UK keeps it on purpose because screen readers announce it
 * (alphagov/govuk-frontend#979, a documented known issue). That one finding is accepted; nothing else is.
 */
function isGovukConditionalReveal(
  rule: string,
  node: { html: string; any: { data: unknown }[]; all: { data: unknown }[] },
): boolean {
  // axe-core up to 4.13 gives the attributes as the check's data; from 4.14 as its data's values.
  const attributes = (data: unknown): string[] =>
    Array.isArray(data)
      ? (data as string[])
      : data && typeof data === 'object' && Array.isArray((data as { values?: unknown }).values)
        ? (data as { values: string[] }).values
        : [];
  const disallowed = [...node.any, ...node.all].flatMap((check) => attributes(check.data));
  return (
    rule === 'aria-allowed-attr' &&
    node.html.includes('govuk-radios__input') &&
    disallowed.length > 0 &&
    disallowed.every((attr) => attr.startsWith('aria-expanded='))
  );
}

export interface AxeViolation {
  page: string;
  rule: string;
  impact: string | null | undefined;
  /** Each offending element's selector. */
  nodes: string[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's results for the page as it is now. A page without frames is checked by axe-core run in the
 * page itself, which finds what @axe-core/playwright's AxeBuilder finds several times faster (AxeBuilder
 * injects into every frame, and finishes each run in a new page of its own); a page with frames by AxeBuilder.
 */
async function runAxe(page: Page, only: { tags: string[] } | { rules: string[] }): Promise<AxeResults> {
  if (page.frames().length > 1) {
    const builder = new AxeBuilder({ page });
    return ('tags' in only ? builder.withTags(only.tags) : builder.withRules(only.rules)).analyze();
  }
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    ([type, values]) =>
      (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
        runOnly: { type, values },
      }),
    'tags' in only ? (['tag', only.tags] as const) : (['rule', only.rules] as const),
  );
}

/** Each WCAG 2.2 A/AA rule (or each of these rules) axe-core finds broken on the page as it is now, and where. */
export async function axeViolations(
  page: Page,
  only: { tags: string[] } | { rules: string[] } = { tags: WCAG_22_AA },
): Promise<AxeViolation[]> {
  const results = await runAxe(page, only);
  return results.violations
    .map((v) => ({
      page: page.url(),
      rule: v.id,
      impact: v.impact,
      nodes: v.nodes
        .filter((node) => !isGovukConditionalReveal(v.id, node))
        .map((node) => node.target.join(' ')),
    }))
    .filter((v) => v.nodes.length > 0);
}

/** Fails with each WCAG 2.2 A/AA rule axe-core finds broken, and where. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/**
 * Collects Content Security Policy violations, script errors and failed loads of scripts, styles, fonts
 * and images. A page's own status (a 422 for a form with errors) is not a problem.
 */
export function watchForPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

export interface BrowserApp {
  ctx: TestContext;
  url: string;
  browser: Browser;
  /** A fresh page in its own context, signed in through the sign-in form as the user with this email. */
  signedInPage(email: string): Promise<Page>;
}

/**
 * For a browser test file: a real app on its own database, listening on a free port, and Chromium; all
 * started before the tests and stopped after. Use inside describeInBrowser.
 */
export function useBrowserApp(options: Parameters<typeof createTestContext>[0] = {}): BrowserApp {
  const app = {} as BrowserApp;
  let server: { url: string; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    app.ctx = await createTestContext(options);
    server = await listen(app.ctx.app);
    app.url = server.url;
    app.browser = await launchBrowser();
    app.signedInPage = async (email) => {
      const page = await newPage(app.browser);
      const user = await app.ctx.services.users.findByEmail(email);
      await page.goto(`${app.url}/sign-in`);
      await page.getByLabel(user?.displayName as string, { exact: true }).check();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${app.url}/`);
      return page;
    };
  });
  afterAll(async () => {
    await app.browser?.close();
    await server?.close();
    await app.ctx?.close();
  });
  return app;
}

/**
 * What every page a journey passes through must be: sound structure, no WCAG problem axe finds at 1280 px
 * or at 320 px, and nothing scrolling sideways at 320 px. Leaves the page at 1280 px.
 */
export async function checkPage(page: Page): Promise<void> {
  expect(await structureProblems(page)).toEqual([]);
  const violations: AxeViolation[] = await axeViolations(page);
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await sidewaysScrolling(page)).toEqual([]);
  violations.push(...(await axeViolations(page)));
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(violations).toEqual([]);
}
