import type { WorkbookLimits } from '../limits';
import { damagedWorkbook, FileRefused, counted, size } from '../refusal';
import { readZipDirectory, type ZipEntry } from '../zip/directory';
import { UnpackBudget, entryChunks } from '../zip/entry';
import { readSharedStrings } from './shared-strings';
import { sheetRows, type SheetRow } from './sheet';
import { readRelationships, readWorkbookPart, relationshipsPart, type Relationship } from './structure';
import { readDateStyles } from './styles';

export type { SheetRow } from './sheet';
export type { WorkbookCell } from './cells';

export interface SheetInfo {
  name: string;
  part: string;
}

/**
 * An XLSX workbook read from its zip by random access, so the order of its parts does not matter (Excel
 * often stores the sheets before the shared strings they use): the workbook's list of sheets, its shared
 * strings and its date formats first, then each sheet streamed a row at a time. Every limit is checked as
 * the file is read, and a refusal says what and where.
 */
export class Workbook {
  private cells = 0;

  private constructor(
    private readonly zip: Buffer,
    private readonly entries: Map<string, ZipEntry>,
    private readonly budget: UnpackBudget,
    private readonly limits: WorkbookLimits,
    readonly sheets: SheetInfo[],
    private readonly sharedStrings: string[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
  ) {}

  static async open(zip: Buffer, limits: WorkbookLimits): Promise<Workbook> {
    const entries = new Map(
      [...readZipDirectory(zip, limits, 'the workbook')].map(([name, entry]) => [name.toLowerCase(), entry]),
    );
    const budget = new UnpackBudget(limits.unpackedBytes, 'the workbook');
    const chunks = (part: string) => {
      const entry = entries.get(part.toLowerCase());
      return entry ? entryChunks(zip, entry, budget) : undefined;
    };
    const relationshipsOf = async (from: string): Promise<Relationship[]> => {
      const part = relationshipsPart(from);
      const found = chunks(part);
      return found ? readRelationships(found, from, part) : [];
    };

    const main =
      (await relationshipsOf('')).find((r) => r.kind === 'officeDocument')?.part ?? 'xl/workbook.xml';
    const mainChunks = chunks(main);
    if (!mainChunks) throw damagedWorkbook(`it has no workbook part`);
    const workbook = await readWorkbookPart(mainChunks, main);
    const related = await relationshipsOf(main);
    const partOf = (kind: string) => related.find((r) => r.kind === kind)?.part;

    const stringsPart = partOf('sharedStrings') ?? 'xl/sharedStrings.xml';
    const stringsChunks = chunks(stringsPart);
    const sharedStrings = stringsChunks ? await readSharedStrings(stringsChunks, limits, stringsPart) : [];
    const stylesPart = partOf('styles') ?? 'xl/styles.xml';
    const stylesChunks = chunks(stylesPart);
    const dateStyles = stylesChunks ? await readDateStyles(stylesChunks, stylesPart) : [];

    // Chart sheets and dialog sheets hold no cells: only worksheets are read.
    const sheets = workbook.sheets.flatMap(({ name, relationship }) => {
      const found = related.find((r) => r.id === relationship && r.kind === 'worksheet');
      return found ? [{ name, part: found.part }] : [];
    });
    return new Workbook(zip, entries, budget, limits, sheets, sharedStrings, dateStyles, workbook.date1904);
  }

  /** The sheet's rows, one at a time as they are read. */
  rows(sheet: SheetInfo): AsyncGenerator<SheetRow> {
    const entry = this.entries.get(sheet.part.toLowerCase());
    if (!entry) throw damagedWorkbook(`the sheet "${sheet.name}" is missing`);
    return sheetRows(entryChunks(this.zip, entry, this.budget), {
      name: sheet.name,
      part: sheet.part,
      limits: this.limits,
      sharedStrings: this.sharedStrings,
      dateStyles: this.dateStyles,
      date1904: this.date1904,
      countCell: (row) => {
        if (++this.cells > this.limits.cellsPerWorkbook)
          throw new FileRefused(
            `the workbook has more than ${counted(this.limits.cellsPerWorkbook)} cells, the most ${this.limits.what} may have`,
            { sheet: sheet.name, line: row },
          );
      },
    });
  }
}

/** Reads a stream whole into memory, refusing it once it is past `maxBytes`. */
export async function readAtMost(
  input: AsyncIterable<Buffer>,
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input) {
    length += chunk.length;
    if (length > maxBytes)
      throw new FileRefused(
        `${what} is larger than ${size(maxBytes)}, the most allowed: split it, or save it as CSV`,
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
