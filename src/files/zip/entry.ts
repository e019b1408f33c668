import { Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { damagedWorkbook, FileRefused } from '../refusal';
import { tooLarge, type ZipEntry } from './directory';

/** What may still be unpacked from one archive, whichever parts it is spent on. */
export class UnpackBudget {
  private used = 0;
  constructor(
    readonly limitBytes: number,
    private readonly what: string,
  ) {}

  spend(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limitBytes) throw tooLarge(this.what, this.limitBytes);
  }
}

const SLICE = 65_536;

/** The compressed bytes in slices, so the inflater is fed only as fast as its output is read. */
function* slices(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += SLICE) yield data.subarray(at, at + SLICE);
}

/**
 * A part's content, chunk by chunk, as it is unpacked. Every byte is counted as it comes out: more than the
 * directory declared, or a different checksum at the end, and the archive is refused as damaged, so sizes a
 * file lies about cannot slip past the limits checked against them.
 */
export async function* entryChunks(
  zip: Buffer,
  entry: ZipEntry,
  budget: UnpackBudget,
): AsyncGenerator<Buffer> {
  const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  const source = Readable.from(slices(data), { objectMode: false });
  const chunks = entry.method === 8 ? source.pipe(createInflateRaw()) : source;
  let size = 0;
  let crc = 0;
  try {
    for await (const chunk of chunks as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > entry.size) throw damagedWorkbook(`${entry.name} unpacks to more than it says`);
      budget.spend(chunk.length);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw damagedWorkbook(`${entry.name} cannot be unpacked`);
  } finally {
    source.destroy();
    chunks.destroy();
  }
  if (size !== entry.size || crc >>> 0 !== entry.crc)
    throw damagedWorkbook(`${entry.name} is not what its checksum says`);
}
