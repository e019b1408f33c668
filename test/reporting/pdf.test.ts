import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Table } from '../../src/reporting/pdf/model';
import { renderPdf } from '../../src/reporting/pdf/render';
import { samplePackDocument } from '../../src/reporting/pdf/sample';

/**
 * The sample pack rendered and read back by real PDF readers: poppler's command-line tools (pdfinfo,
 * pdffonts, pdftoppm) and PDF.js, as a screen reader would be given it through the structure tree.
 */

interface StructNode {
  role?: string;
  alt?: string;
  bbox?: number[];
  type?: string;
  text?: string;
  children?: StructNode[];
}

interface Reading {
  info: Record<string, unknown>;
  markInfo: { Marked: boolean };
  viewerPreferences: { DisplayDocTitle?: boolean } | null;
  outline: { title: string; items: { title: string }[] }[];
  pages: { tree: StructNode | null; artifacts: string; untagged: string }[];
}

const pack = samplePackDocument();
let directory: string;
let file: string;
let reading: Reading;

const run = (command: string, ...args: string[]) =>
  execFileSync(command, [...args, file], { encoding: 'utf8' });
const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

function textOf(node: StructNode): string {
  if (node.type === 'content') return node.text ?? '';
  return (node.children ?? []).map(textOf).join(' ');
}

function read(pdf: string): Reading {
  const reader = path.join(__dirname, 'pdf-reader.mjs');
  return JSON.parse(execFileSync(process.execPath, [reader, pdf], { encoding: 'utf8' })) as Reading;
}

/** Every structure element of every page, in reading order, with the text it holds. */
function elements(from = reading): { role: string; alt?: string; bbox?: number[]; text: string }[] {
  const found: { role: string; alt?: string; bbox?: number[]; text: string }[] = [];
  const walk = (node: StructNode) => {
    if (node.role) found.push({ role: node.role, alt: node.alt, bbox: node.bbox, text: clean(textOf(node)) });
    (node.children ?? []).forEach(walk);
  };
  for (const page of from.pages) if (page.tree) walk(page.tree);
  return found;
}

function tablesOf(): Table[] {
  return pack.sections.flatMap((block) =>
    block.kind === 'table' ? [block] : block.kind === 'figure' ? [block.dataTable] : [],
  );
}

beforeAll(async () => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('These tests read PDFs with poppler: install the Debian package poppler-utils.');
  }
  directory = mkdtempSync(path.join(os.tmpdir(), 'board-pack-'));
  file = path.join(directory, 'pack.pdf');
  writeFileSync(file, await renderPdf(pack));
  reading = read(file);
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('the board pack as a PDF', () => {
  it('is a tagged PDF 1.7 with the title, subject and author, and its title displayed', () => {
    const info = run('pdfinfo');
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^PDF version:\s+1\.7$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    expect(info).toContain(`Title:           ${pack.title}`);
    expect(info).toContain(`Subject:         ${pack.subject}`);
    expect(info).toContain(`Author:          ${pack.author}`);
    expect(reading.markInfo.Marked).toBe(true);
    expect(reading.viewerPreferences?.DisplayDocTitle).toBe(true);
  });

  it('is in British English and identifies itself as PDF/UA-1', () => {
    expect(reading.info.Language).toBe('en-GB');
    expect(run('pdfinfo', '-meta')).toMatch(/<pdfuaid:part>1<\/pdfuaid:part>/);
  });

  it('embeds every font it uses', () => {
    const rows = run('pdffonts').trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row).toContain('SourceSans3');
      // name, type (two words), encoding, then emb sub uni: the embedded column says yes.
      expect(row.split(/\s+/)[4]).toBe('yes');
    }
  });

  it('has a Document of Sects, one for each level-1 heading', () => {
    const roots = reading.pages[0]!.tree!.children!;
    expect(roots.map((node) => node.role)).toEqual(['Document']);
    const structure = run('pdfinfo', '-struct');
    const sects = structure.split('\n').filter((line) => /^ {2}Sect\b/.test(line));
    const headings = pack.sections.filter((block) => block.kind === 'heading' && block.level === 1);
    expect(sects).toHaveLength(headings.length);
  });

  it('tags headings, paragraphs and lists with their text', () => {
    const found = elements();
    const roles = new Set(found.map((element) => element.role));
    for (const role of ['H1', 'H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Div'])
      expect(roles).toContain(role);
    for (const block of pack.sections) {
      if (block.kind === 'heading') {
        expect(found).toContainEqual(expect.objectContaining({ role: `H${block.level}`, text: block.text }));
      }
      if (block.kind === 'list') {
        for (const item of block.items)
          expect(found).toContainEqual(expect.objectContaining({ role: 'LBody', text: item }));
      }
    }
    const intro = pack.sections.find((block) => block.kind === 'paragraph')!;
    const words = typeof intro.text === 'string' ? intro.text : intro.text.map((run) => run.text).join('');
    expect(found).toContainEqual(expect.objectContaining({ role: 'P', text: clean(words) }));
  });

  it('gives each chart as a Figure with its alternative text and a bounding box', () => {
    const figures = elements().filter((element) => element.role === 'Figure');
    const expected = pack.sections.flatMap((block) => (block.kind === 'figure' ? [block.alt] : []));
    expect(figures.map((figure) => figure.alt)).toEqual(expected);
    for (const figure of figures) {
      expect(figure.bbox).toHaveLength(4);
      const [x0, y0, x1, y1] = figure.bbox!;
      expect(x1! - x0!).toBeGreaterThan(400);
      expect(y1! - y0!).toBeGreaterThan(100);
    }
  });

  it('tags tables with a caption, column headers, row headers and cells, read in order', () => {
    const tables = tablesOf();
    const found = elements();
    expect(found.filter((element) => element.role === 'Table')).not.toHaveLength(0);
    // PDF.js gives each page a table runs onto the table's whole subtree, its cells from other pages empty
    // (the sample has no empty cells).
    const captions = found
      .filter((element) => element.role === 'Caption' && element.text)
      .map((element) => element.text);
    expect(captions).toEqual(tables.map((table) => table.caption));
    const cells = found
      .filter((element) => (element.role === 'TH' || element.role === 'TD') && element.text)
      .map((cell) => cell.text);
    const expected = tables.flatMap((table) => [
      ...table.columns.map((column) => column.header),
      ...table.rows.flat(),
    ]);
    expect(cells).toEqual(expected.map(clean));

    const structure = run('pdfinfo', '-struct');
    const columnHeaders = tables.reduce((sum, table) => sum + table.columns.length, 0);
    const rowHeaders = tables.reduce((sum, table) => sum + (table.rowHeaders ? table.rows.length : 0), 0);
    expect(structure.match(/\/Scope \/Column/g)).toHaveLength(columnHeaders);
    expect(structure.match(/\/Scope \/Row/g)).toHaveLength(rowHeaders);
  });

  it('gives poppler the same cells in the same order', () => {
    const lines = run('pdfinfo', '-struct-text').split('\n');
    const cells: string[] = [];
    let inCell = false;
    for (const line of lines) {
      if (/^\s*(TH|TD)\b/.test(line)) inCell = true;
      else if (inCell && /^\s*"/.test(line)) {
        cells.push(clean(line.trim().slice(1, -1)));
        inCell = false;
      } else if (/^\s*[A-Z][A-Za-z]*\b/.test(line) && !line.trim().startsWith('/')) inCell = false;
    }
    const expected = tablesOf().flatMap((table) => [
      ...table.columns.map((c) => c.header),
      ...table.rows.flat(),
    ]);
    expect(cells).toEqual(expected.map(clean));
  });

  it('breaks the long table over pages with its header row repeated as an artifact', () => {
    const long = tablesOf().at(-1)!;
    const pages = reading.pages.filter((page) => page.tree && textOf(page.tree).includes(long.rows[0]![0]!));
    const last = reading.pages.filter(
      (page) => page.tree && textOf(page.tree).includes(long.rows.at(-1)![0]!),
    );
    expect(pages).toHaveLength(1);
    expect(last).toHaveLength(1);
    expect(reading.pages.indexOf(last[0]!)).toBeGreaterThan(reading.pages.indexOf(pages[0]!));
    expect(last[0]!.artifacts).toContain(long.columns.map((column) => column.header).join(' '));
  });

  it('keeps page headers and footers out of the structure, as artifacts', () => {
    const count = reading.pages.length;
    const structureText = elements()
      .map((element) => element.text)
      .join(' ');
    expect(structureText).not.toMatch(/Page \d+ of \d+/);
    expect(structureText).not.toContain(pack.author);
    expect(structureText).not.toContain(pack.title);
    reading.pages.forEach((page, i) => {
      expect(page.artifacts).toContain(`Page ${i + 1} of ${count}`);
      if (i > 0) expect(page.artifacts).toContain(pack.title);
    });
  });

  it('has no text that is neither tagged content nor an artifact', () => {
    expect(reading.pages.map((page) => page.untagged)).toEqual(reading.pages.map(() => ''));
  });

  it('has bookmarks for each level-1 heading with its level-2 headings under it', () => {
    const expected: { title: string; items: { title: string }[] }[] = [];
    for (const block of pack.sections) {
      if (block.kind !== 'heading') continue;
      if (block.level === 1) expected.push({ title: block.text, items: [] });
      if (block.level === 2) expected.at(-1)!.items.push({ title: block.text });
    }
    expect(
      reading.outline.map((item) => ({
        title: item.title,
        items: item.items.map(({ title }) => ({ title })),
      })),
    ).toEqual(expected);
  });

  it('draws every page, which pdftoppm turns into pictures', () => {
    execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(directory, 'page')]);
    const pictures = readdirSync(directory).filter((name) => name.endsWith('.png'));
    expect(pictures).toHaveLength(reading.pages.length);
    expect(reading.pages.length).toBeGreaterThan(3);
  });
});

describe('the same pack rendered again by the same process', () => {
  it('sets every word in the same place, from the layouts the typefaces kept', async () => {
    const words = (pdf: string) =>
      execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes('<word '));
    const again = path.join(directory, 'again.pdf');
    writeFileSync(again, await renderPdf(pack));
    const first = words(file);
    expect(first.length).toBeGreaterThan(500);
    expect(words(again)).toEqual(first);
  });
});

describe('a pack with markup characters in its details', () => {
  it('keeps them as they are in the document information and well-formed in its metadata', async () => {
    const details = {
      title: 'Quality & <performance>',
      subject: 'Audits "graded" & moderated',
      author: "O'Neil & Co",
    };
    const pdf = await renderPdf({
      ...details,
      sections: [{ kind: 'paragraph', text: 'Nothing to report.' }],
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'board-pack-'));
    try {
      const at = path.join(dir, 'pack.pdf');
      writeFileSync(at, pdf);
      const info = execFileSync('pdfinfo', [at], { encoding: 'utf8' });
      expect(info).toContain(`Title:           ${details.title}`);
      expect(info).toContain(`Subject:         ${details.subject}`);
      expect(info).toContain(`Author:          ${details.author}`);
      const xmp = execFileSync('pdfinfo', ['-meta', at], { encoding: 'utf8' });
      expect(xmp).toContain('Quality &amp; &lt;performance&gt;');
      expect(xmp).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a paragraph and a list longer than a page', () => {
  it('run on over the pages as one P and one L, every word tagged', async () => {
    const sentence = 'Each audit is read by a second auditor before its grade is final. ';
    const paragraph = sentence.repeat(90).trim();
    const items = Array.from({ length: 60 }, (_, i) => `Action ${i + 1}: ${sentence.repeat(2).trim()}`);
    const pdf = await renderPdf({
      title: 'Long text',
      subject: 'Long text',
      author: 'Case Audit',
      sections: [
        { kind: 'heading', level: 1, text: 'Long text' },
        { kind: 'paragraph', text: paragraph },
        { kind: 'list', items },
      ],
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'board-pack-'));
    try {
      const at = path.join(dir, 'pack.pdf');
      writeFileSync(at, pdf);
      const long = read(at);
      expect(long.pages.length).toBeGreaterThan(3);
      expect(long.pages.map((page) => page.untagged)).toEqual(long.pages.map(() => ''));
      const found = elements(long).filter((element) => element.text);
      const paragraphs = found.filter((element) => element.role === 'P').map((element) => element.text);
      expect(paragraphs.join(' ')).toBe(paragraph);
      const bodies = found.filter((element) => element.role === 'LBody').map((element) => element.text);
      expect(bodies.join(' ')).toBe(items.join(' '));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
