// Reads a PDF with PDF.js (an ES module, so run as a process of its own by the tests) and prints what a
// screen reader would be given, as JSON: the document's information and marking, its
// viewer preferences, its outline, and for each page its structure tree, each marked-content node with the
// text it holds, the text of its artifacts and any text that is neither.
//   node test/reporting/pdf-reader.mjs file.pdf
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of each marked-content id on the page, of its artifacts, and of anything neither. */
async function markedText(page) {
  const content = await page.getTextContent({ includeMarkedContent: true });
  const byId = {};
  const artifacts = [];
  const untagged = [];
  const open = [];
  for (const item of content.items) {
    if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
      open.push(item);
    } else if (item.type === 'endMarkedContent') {
      open.pop();
    } else if ('str' in item) {
      const marking = open.at(-1);
      const text = item.str + (item.hasEOL ? ' ' : '');
      if (!marking) untagged.push(text);
      else if (marking.tag === 'Artifact') artifacts.push(text);
      else if (marking.id) byId[marking.id] = (byId[marking.id] ?? '') + text;
    }
  }
  return { byId, artifacts: artifacts.join('').trim(), untagged: untagged.join('').trim() };
}

function withText(node, byId) {
  if (node.type === 'content') return { type: 'content', text: byId[node.id] ?? '' };
  const { children = [], ...rest } = node;
  return { ...rest, children: children.map((child) => withText(child, byId)) };
}

function outline(items) {
  return (items ?? []).map((item) => ({ title: item.title, items: outline(item.items) }));
}

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0 }).promise;
const { info } = await pdf.getMetadata();
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const { byId, artifacts, untagged } = await markedText(page);
  const tree = await page.getStructTree();
  pages.push({ tree: tree ? withText(tree, byId) : null, artifacts, untagged });
}
const result = {
  info,
  markInfo: await pdf.getMarkInfo(),
  viewerPreferences: await pdf.getViewerPreferences(),
  outline: outline(await pdf.getOutline()),
  pages,
};
process.stdout.write(JSON.stringify(result));
