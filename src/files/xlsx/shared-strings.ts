import type { WorkbookLimits } from '../limits';
import { FileRefused, counted } from '../refusal';
import { StringItem } from './string-item';
import { readXml } from './xml';

/**
 * The workbook's shared-string table: the text of most text cells, which sheets refer to by number. It is
 * held whole (sheets may use any string at any time), so it is bounded in count and in characters.
 */
export async function readSharedStrings(
  chunks: AsyncIterable<Buffer>,
  limits: WorkbookLimits,
  part: string,
): Promise<string[]> {
  const strings: string[] = [];
  let characters = 0;
  const item = new StringItem(limits.cellCharacters, () => `shared string ${counted(strings.length + 1)}`);
  await readXml(
    chunks,
    {
      open(name) {
        if (name === 'si' && strings.length >= limits.sharedStrings)
          throw new FileRefused(
            `the workbook has more than ${counted(limits.sharedStrings)} different texts (shared strings), the most ${limits.what} may have`,
          );
        item.open(name);
      },
      close(name) {
        if (name !== 'si') return item.close(name);
        const text = item.take();
        characters += text.length;
        if (characters > limits.sharedStringCharacters)
          throw new FileRefused(
            `the workbook's texts (shared strings) hold more than ${counted(limits.sharedStringCharacters)} characters, the most ${limits.what} may have`,
          );
        strings.push(text);
      },
      text: (text) => item.text(text),
    },
    part,
  );
  return strings;
}
