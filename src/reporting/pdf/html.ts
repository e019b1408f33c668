import { createHash } from 'node:crypto';
import { escapeHtml as e } from './escape';
import {
  sectionsOf,
  type Block,
  type Figure,
  type KeyFigures,
  type PackDocument,
  type Paragraph,
  type Table,
} from './model';
import { chartSvg } from './svg';

/** The width charts are laid out at, in CSS pixels; they scale down to narrower screens. */
const CHART_WIDTH = 640;

const STYLE = `
@page { size: A4; margin: 18mm 20mm; }
* { box-sizing: border-box; }
body { margin: 0; color: #0b0c0c; background: #fff; font-family: 'Source Sans 3', Arial, sans-serif;
  font-size: 1.1875rem; line-height: 1.3; }
main { max-width: 960px; margin: 0 auto; padding: 20px 15px 40px; }
h1 { font-size: 2.25rem; line-height: 1.1; margin: 0 0 30px; }
h2 { font-size: 1.5rem; margin: 40px 0 15px; }
h3 { font-size: 1.1875rem; margin: 25px 0 10px; }
p, ul { margin: 0 0 20px; }
li { margin-bottom: 5px; }
:focus { outline: 3px solid #ffdd00; outline-offset: 0; }
.key-figures { display: flex; flex-wrap: wrap; gap: 15px; margin-bottom: 30px; }
.key-figure { flex: 1 1 12rem; padding: 15px; background: #f3f2f1; border-left: 5px solid #1d70b8; }
.key-figure p { margin: 0; }
.key-figure .value { font-size: 2.25rem; font-weight: 700; }
.key-figure .note { color: #505a5f; font-size: 1rem; }
figure { margin: 0 0 20px; break-inside: avoid; }
figcaption { font-weight: 700; margin-bottom: 10px; }
figure svg { width: 100%; height: auto; overflow: visible; }
.app-table-scroll { overflow-x: auto; margin-bottom: 30px; }
table { border-collapse: collapse; width: 100%; font-size: 1rem; }
caption { text-align: left; font-weight: 700; font-size: 1.1875rem; padding-bottom: 10px; }
th, td { padding: 8px 15px 8px 0; border-bottom: 1px solid #b1b4b6; text-align: left; vertical-align: top; }
thead th { border-bottom-width: 2px; }
tr { break-inside: avoid; }
.right { text-align: right; }
.center { text-align: center; }
.page-break { break-after: page; }
@media print { body { font-size: 11.5pt; } main { max-width: none; padding: 0; } .app-table-scroll { overflow: visible; } }
`;

function paragraph(block: Paragraph): string {
  const runs = typeof block.text === 'string' ? [{ text: block.text }] : block.text;
  const html = runs.map((run) => (run.bold ? `<strong>${e(run.text)}</strong>` : e(run.text))).join('');
  return `<p>${html}</p>`;
}

const alignClass = (align: string) => (align === 'left' ? '' : ` class="${align}"`);

function table(block: Table): string {
  const head = block.columns.map(
    (column) => `<th scope="col"${alignClass(column.align)}>${e(column.header)}</th>`,
  );
  const rows = block.rows.map((cells) => {
    const html = block.columns.map((column, c) => {
      const text = e(cells[c] ?? '');
      if (c === 0 && block.rowHeaders) return `<th scope="row"${alignClass(column.align)}>${text}</th>`;
      return `<td${alignClass(column.align)}>${text}</td>`;
    });
    return `<tr>${html.join('')}</tr>`;
  });
  return [
    `<div class="app-table-scroll" role="region" aria-label="${e(block.caption)}" tabindex="0">`,
    `<table><caption>${e(block.caption)}</caption>`,
    `<thead><tr>${head.join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody></table></div>`,
  ].join('\n');
}

function figure(block: Figure): string {
  return [
    `<figure><figcaption>${e(block.caption)}</figcaption>`,
    chartSvg(block.chart, CHART_WIDTH, block.alt),
    '</figure>',
    table(block.dataTable),
  ].join('\n');
}

function keyFigures(block: KeyFigures): string {
  const cards = block.cards.map((card) =>
    [
      '<div class="key-figure">',
      `<p class="label">${e(card.label)}</p>`,
      `<p class="value">${e(card.value)}</p>`,
      card.note ? `<p class="note">${e(card.note)}</p>` : '',
      '</div>',
    ].join(''),
  );
  return `<div class="key-figures">${cards.join('\n')}</div>`;
}

function block(item: Block): string {
  switch (item.kind) {
    case 'heading':
      return `<h${item.level}>${e(item.text)}</h${item.level}>`;
    case 'paragraph':
      return paragraph(item);
    case 'list':
      return `<ul>${item.items.map((text) => `<li>${e(text)}</li>`).join('')}</ul>`;
    case 'table':
      return table(item);
    case 'figure':
      return figure(item);
    case 'key-figures':
      return keyFigures(item);
    case 'page-break':
      return '<div class="page-break"></div>';
  }
}

/** The page's one style sheet, by its hash: what its Content-Security-Policy allows and nothing else. */
export const HTML_STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/**
 * The pack as a standalone, accessible HTML page with the same content as the PDF: headings, tables with
 * header scopes, and each chart as inline SVG with role="img" and its alternative text, then its data table.
 */
export function renderHtml(pack: PackDocument): string {
  const body = sectionsOf(pack)
    .map((group) => `<section>\n${group.map(block).join('\n')}\n</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(pack.title)}</title>
<meta name="description" content="${e(pack.subject)}">
<meta name="author" content="${e(pack.author)}">
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
