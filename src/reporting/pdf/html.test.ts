import { renderHtml } from './html';
import type { PackDocument } from './model';
import { samplePackDocument } from './sample';

const hostile = '<script>alert("x")</script> & \'quoted\'';

const pack: PackDocument = {
  title: `Board pack ${hostile}`,
  subject: hostile,
  author: hostile,
  sections: [
    { kind: 'heading', level: 1, text: hostile },
    { kind: 'paragraph', text: [{ text: hostile }, { text: hostile, bold: true }] },
    { kind: 'list', items: [hostile] },
    { kind: 'key-figures', cards: [{ label: hostile, value: hostile, note: hostile }] },
    {
      kind: 'table',
      caption: hostile,
      columns: [
        { header: hostile, align: 'left' },
        { header: 'Count', align: 'right' },
      ],
      rows: [[hostile, '3']],
      rowHeaders: true,
    },
    {
      kind: 'figure',
      alt: hostile,
      caption: hostile,
      chart: { kind: 'heatmap', rows: [hostile], columns: [hostile], values: [[1]] },
      dataTable: {
        kind: 'table',
        caption: hostile,
        columns: [{ header: hostile, align: 'left' }],
        rows: [[hostile]],
      },
    },
    { kind: 'page-break' },
  ],
};

describe('the board pack as a page', () => {
  it('escapes all text, in content and in attributes', () => {
    const html = renderHtml(pack);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"x"');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
  });

  it('is a page in British English titled as the pack', () => {
    const html = renderHtml(samplePackDocument());
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).toContain('<title>Case file audit board pack: June 2026</title>');
    expect(html.match(/<section>/g)).toHaveLength(4);
  });

  it('gives headings, lists and tables their elements, with header scopes and captions', () => {
    const html = renderHtml(samplePackDocument());
    expect(html).toContain('<h1>Case file audit: quarter 1, 2026 to 2027</h1>');
    expect(html).toContain('<h2>Summary</h2>');
    expect(html).toContain('<h3>About these figures</h3>');
    expect(html).toContain('<strong>61% of audited files were graded good or better</strong>');
    expect(html).toMatch(/<ul><li>The share of files/);
    expect(html).toContain('<caption>Audits completed by team, April to June 2026</caption>');
    expect(html).toContain('<th scope="col">Team</th><th scope="col" class="right">Audits</th>');
    expect(html).toContain('<tr><th scope="row">North assessment team</th><td class="right">');
  });

  it('draws each chart as SVG named by its alternative text, followed by its data', () => {
    const sample = samplePackDocument();
    const html = renderHtml(sample);
    const figures = sample.sections.filter((block) => block.kind === 'figure');
    expect(html.match(/<svg [^>]*role="img"/g)).toHaveLength(figures.length);
    for (const figure of figures) {
      const at = html.indexOf(`<figcaption>${figure.caption}</figcaption>`);
      expect(at).toBeGreaterThan(-1);
      expect(html.indexOf(`aria-label="${figure.alt}"`)).toBeGreaterThan(at);
      expect(html.indexOf(`<caption>${figure.dataTable.caption}</caption>`)).toBeGreaterThan(at);
    }
  });
});
