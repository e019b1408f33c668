import { WORKBOOK_STRUCTURE } from '../limits';
import { damagedWorkbook } from '../refusal';
import { attribute, readXml } from './xml';

/** A relationship of one part to another: its id, its kind ("worksheet", "sharedStrings"…) and the part. */
export interface Relationship {
  id: string;
  kind: string;
  part: string;
}

/** A part name from a relationship's target, relative to the folder of the part that names it. */
export function resolvePart(from: string, target: string): string {
  const segments = target.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

/** The relationships part of `from` (its "_rels/….rels"), which says where the parts it refers to are. */
export function relationshipsPart(from: string): string {
  const slash = from.lastIndexOf('/');
  return `${from.slice(0, slash + 1)}_rels/${from.slice(slash + 1)}.rels`;
}

export async function readRelationships(
  chunks: AsyncIterable<Buffer>,
  from: string,
  part: string,
): Promise<Relationship[]> {
  const relationships: Relationship[] = [];
  await readXml(
    chunks,
    {
      open(name, attributes) {
        if (name !== 'Relationship' || attribute(attributes, 'TargetMode') === 'External') return;
        if (relationships.length >= WORKBOOK_STRUCTURE.relationships) throw damagedWorkbook(`${part}`);
        relationships.push({
          id: attribute(attributes, 'Id') ?? '',
          kind: (attribute(attributes, 'Type') ?? '').split('/').pop() ?? '',
          part: resolvePart(from, attribute(attributes, 'Target') ?? ''),
        });
      },
      close() {},
      text() {},
    },
    part,
  );
  return relationships;
}

export interface WorkbookPart {
  /** Sheets in the order the workbook shows them, with the relationship that says where each is. */
  sheets: { name: string; relationship: string }[];
  /** Dates count from 1904 (old Mac workbooks), not 1900. */
  date1904: boolean;
}

export async function readWorkbookPart(chunks: AsyncIterable<Buffer>, part: string): Promise<WorkbookPart> {
  const workbook: WorkbookPart = { sheets: [], date1904: false };
  await readXml(
    chunks,
    {
      open(name, attributes) {
        if (name === 'workbookPr') {
          const value = attribute(attributes, 'date1904');
          workbook.date1904 = value === '1' || value === 'true';
        } else if (name === 'sheet') {
          if (workbook.sheets.length >= WORKBOOK_STRUCTURE.sheets)
            throw damagedWorkbook(`more than ${WORKBOOK_STRUCTURE.sheets} sheets`);
          workbook.sheets.push({
            name: attribute(attributes, 'name') ?? '',
            relationship: attribute(attributes, 'id') ?? '',
          });
        }
      },
      close() {},
      text() {},
    },
    part,
  );
  return workbook;
}
