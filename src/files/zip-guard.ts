import { createInflateRaw } from 'node:zlib';

/** A workbook (a zip) that would expand past the limit: damaged, or built to exhaust the server. */
export class ZipTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(
      `the workbook expands to more than ${Math.round(limitBytes / 1048576)} MB when unpacked: it may be damaged; save it again from Excel, or split it`,
    );
    this.name = 'ZipTooLarge';
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The entries listed in a zip's central directory, or undefined when it has none that can be read. */
function entriesOf(zip: Buffer): Entry[] | undefined {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) !== EOCD) continue;
    const count = zip.readUInt16LE(i + 10);
    let offset = zip.readUInt32LE(i + 16);
    const entries: Entry[] = [];
    for (let e = 0; e < count; e++) {
      if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL) return undefined;
      entries.push({
        method: zip.readUInt16LE(offset + 10),
        compressedSize: zip.readUInt32LE(offset + 20),
        localOffset: zip.readUInt32LE(offset + 42),
      });
      offset +=
        46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    }
    return entries;
  }
  return undefined;
}

/** Inflates a deflated entry, counting what comes out and throwing away the bytes, up to `budget`. */
function inflatedSize(data: Buffer, budget: number, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) {
        inflate.destroy();
        reject(new ZipTooLarge(limit));
      }
    });
    inflate.on('end', () => resolve(size));
    inflate.on('error', reject);
    inflate.end(data);
  });
}

/**
 * Checks that a zip (an XLSX workbook) unpacks to at most `limitBytes`, by unpacking it once and counting,
 * rather than trusting the sizes it declares. Throws ZipTooLarge when it would not; a file that is not a
 * zip is left for the workbook reader to refuse.
 */
export async function checkUnzippedSize(zip: Buffer, limitBytes: number): Promise<void> {
  const entries = entriesOf(zip);
  if (!entries) return;
  let total = 0;
  for (const entry of entries) {
    const at = entry.localOffset;
    if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) continue;
    const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    const data = zip.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) total += data.length;
    else if (entry.method === 8) total += await inflatedSize(data, limitBytes - total, limitBytes);
    if (total > limitBytes) throw new ZipTooLarge(limitBytes);
  }
}
