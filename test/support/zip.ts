import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

/**
 * A small zip writer for tests: it builds archives entry by entry, so tests can make the damaged and hostile
 * ones real tools never write (lying sizes, bytes before the first entry, entries sharing data).
 */

export interface ZipPart {
  name: string;
  /** What the entry holds, deflated unless `stored`. */
  data: Buffer;
  /** The size and checksum of what `data` unpacks to. */
  size: number;
  crc: number;
  stored?: boolean;
}

/** A part from text or bytes, deflated. */
export function part(name: string, content: string | Buffer): ZipPart {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return { name, data: deflateRawSync(bytes), size: bytes.length, crc: crc32(bytes) };
}

/**
 * A part deflated from text made piece by piece, so a test can make one that unpacks to hundreds of
 * megabytes without ever holding it whole.
 */
export async function streamedPart(name: string, pieces: Iterable<string>): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level: 1 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let size = 0;
  let crc = 0;
  for (const piece of pieces) {
    const bytes = Buffer.from(piece);
    size += bytes.length;
    crc = crc32(bytes, crc);
    if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return { name, data: Buffer.concat(out), size, crc };
}

export interface ZipOptions {
  /** Bytes put before the first entry (the central directory's offsets are not shifted to match). */
  prepend?: Buffer;
  /** The unpacked sizes the headers declare, by entry name, in place of the real ones. */
  declaredSizes?: Record<string, number>;
  /** Entries whose central directory record points at another entry's local header and data. */
  sharing?: Record<string, string>;
}

/** A header: its signature, then fields written at their offsets (little-endian, 2 or 4 bytes). */
function header(length: number, signature: number, fields: [offset: number, bytes: 2 | 4, value: number][]) {
  const buffer = Buffer.alloc(length);
  buffer.writeUInt32LE(signature, 0);
  for (const [offset, bytes, value] of fields) {
    if (bytes === 2) buffer.writeUInt16LE(value, offset);
    else buffer.writeUInt32LE(value, offset);
  }
  return buffer;
}

/** The parts as a zip archive. */
export function zip(parts: ZipPart[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const size = options.declaredSizes?.[p.name] ?? p.size;
    const method = p.stored ? 0 : 8;
    const shared = options.sharing?.[p.name];
    if (shared === undefined) {
      offsets.set(p.name, offset);
      const local = header(30, 0x04034b50, [
        [4, 2, 20],
        [8, 2, method],
        [14, 4, p.crc],
        [18, 4, p.data.length],
        [22, 4, size],
        [26, 2, name.length],
      ]);
      locals.push(local, name, p.data);
    }
    const at = shared === undefined ? offset : (offsets.get(shared) ?? 0);
    const central = header(46, 0x02014b50, [
      [4, 2, 20],
      [6, 2, 20],
      [10, 2, method],
      [16, 4, p.crc],
      [20, 4, p.data.length],
      [24, 4, size],
      [28, 2, name.length],
      [42, 4, at],
    ]);
    centrals.push(central, name);
    if (shared === undefined) offset += 30 + name.length + p.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = header(22, 0x06054b50, [
    [8, 2, parts.length],
    [10, 2, parts.length],
    [12, 4, directory.length],
    [16, 4, offset],
  ]);
  return Buffer.concat([options.prepend ?? Buffer.alloc(0), ...locals, directory, end]);
}
