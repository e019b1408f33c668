import { WORKBOOK_STRUCTURE } from '../limits';
import { damagedWorkbook } from '../refusal';
import { attribute, readXml } from './xml';

/** Excel's built-in number formats that show dates or times (their codes are not written in the file). */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/**
 * A format code that shows a date or time: y, m, d, h or s (or b, the Buddhist year) outside quoted text,
 * [colour] and [$-locale] codes, and the characters after \, _ and * (shown as they are, padding, repeats).
 */
export function isDateFormat(code: string): boolean {
  return /[ymdhsb]/i.test(
    code
      .replace(/\[[^\]]*]/g, '')
      .replace(/"[^"]*"/g, '')
      .replace(/[\\_*]./g, ''),
  );
}

/**
 * Which cell formats (the `s` of a cell, an index into cellXfs) show a date: a number in such a cell is a
 * date, as Excel shows it.
 */
export async function readDateStyles(chunks: AsyncIterable<Buffer>, part: string): Promise<boolean[]> {
  const codes = new Map<number, string>();
  const formatIds: number[] = [];
  let section: 'numFmts' | 'cellXfs' | undefined;
  await readXml(
    chunks,
    {
      open(name, attributes) {
        if (name === 'numFmts' || name === 'cellXfs') section = name;
        else if (name === 'numFmt' && section === 'numFmts') {
          codes.set(Number(attribute(attributes, 'numFmtId')), attribute(attributes, 'formatCode') ?? '');
          if (codes.size > WORKBOOK_STRUCTURE.cellFormats) throw damagedWorkbook(`styles`);
        } else if (name === 'xf' && section === 'cellXfs') {
          formatIds.push(Number(attribute(attributes, 'numFmtId') ?? 0));
          if (formatIds.length > WORKBOOK_STRUCTURE.cellFormats) throw damagedWorkbook(`styles`);
        }
      },
      close(name) {
        if (name === section) section = undefined;
      },
      text() {},
    },
    part,
  );
  return formatIds.map((id) => {
    const code = codes.get(id);
    return code === undefined ? BUILT_IN_DATE_FORMATS.has(id) : isDateFormat(code);
  });
}
