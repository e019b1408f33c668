import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../src/reporting/pdf/html';
import { samplePackDocument } from '../../src/reporting/pdf/sample';
import { checkPage, describeInBrowser, launchBrowser, newPage } from '../support/browser';

/** The board pack's HTML twin in Chromium: accessible at 1280 and 320 px, and printable as A4. */
describeInBrowser('the board pack as a page', () => {
  let browser: Browser;
  let page: Page;
  let directory: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.setContent(renderHtml(samplePackDocument()));
    directory = mkdtempSync(path.join(os.tmpdir(), 'board-pack-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('passes the structure, accessibility and reflow checks every page does', async () => {
    await checkPage(page);
  });

  it('gives each chart to assistive technology as an image named by its alternative text', async () => {
    const pack = samplePackDocument();
    for (const block of pack.sections) {
      if (block.kind !== 'figure') continue;
      expect(await page.getByRole('img', { name: block.alt }).isVisible()).toBe(true);
      expect(await page.getByRole('table', { name: block.dataTable.caption }).isVisible()).toBe(true);
    }
  });

  it('prints as A4 pages', async () => {
    const file = path.join(directory, 'pack.pdf');
    writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/^Page size:.*\(A4\)$/m);
  });
});
