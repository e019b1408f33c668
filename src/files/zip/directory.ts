import { damagedWorkbook, FileRefused, counted, size } from '../refusal';
import type { ZipLimits } from '../limits';

/** One part of a zip, as its central directory and local header agree it is. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated: the only methods Excel writes. */
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where its data starts in the archive. */
  dataStart: number;
}

const END = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const ENCRYPTED = 0x0001;
const HAS_DESCRIPTOR = 0x0008;
const STRONG_ENCRYPTION = 0x0040;
const ZIP64 = 0xffffffff;

export const tooLarge = (what: string, limitBytes: number) =>
  new FileRefused(
    `${what} unpacks to more than ${size(limitBytes)}, the most allowed: it may be damaged; save it again from Excel, or split it`,
  );

interface Central extends Omit<ZipEntry, 'dataStart'> {
  flags: number;
  nameBytes: Buffer;
  localOffset: number;
}

/** The end record: the last thing in the file, its comment running exactly to the end. */
function endRecord(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END && at + 22 + zip.readUInt16LE(at + 20) === zip.length) return at;
  }
  throw damagedWorkbook(zip.length < 22 ? 'too short to be a zip' : 'no end record where a zip has one');
}

function centralRecords(zip: Buffer, start: number, end: number, count: number): Central[] {
  const records: Central[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL)
      throw damagedWorkbook('a broken central directory');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (next > end) throw damagedWorkbook('a broken central directory');
    const record: Central = {
      flags,
      method: method as 0 | 8,
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      nameBytes: zip.subarray(at + 46, at + 46 + nameLength),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      localOffset: zip.readUInt32LE(at + 42),
    };
    if (flags & (ENCRYPTED | STRONG_ENCRYPTION)) throw damagedWorkbook('it is encrypted');
    if (method !== 0 && method !== 8) throw damagedWorkbook(`a part packed with method ${method}`);
    if ([record.size, record.compressedSize, record.localOffset].includes(ZIP64))
      throw damagedWorkbook('zip64 extensions');
    if (zip.readUInt16LE(at + 34) !== 0) throw damagedWorkbook('a multi-part archive');
    if (method === 0 && record.compressedSize !== record.size)
      throw damagedWorkbook('a stored part of two sizes');
    records.push(record);
    at = next;
  }
  if (at !== end) throw damagedWorkbook('bytes in the central directory that belong to no part');
  return records;
}

/** Where the part's data starts, once its local header is found to match the directory. */
function checkLocal(zip: Buffer, record: Central): number {
  const at = record.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL)
    throw damagedWorkbook('a part without its header');
  const flags = zip.readUInt16LE(at + 6);
  const nameLength = zip.readUInt16LE(at + 26);
  const dataStart = at + 30 + nameLength + zip.readUInt16LE(at + 28);
  const sizesLater = (flags & HAS_DESCRIPTOR) !== 0;
  const matches =
    (flags & (ENCRYPTED | HAS_DESCRIPTOR)) === (record.flags & (ENCRYPTED | HAS_DESCRIPTOR)) &&
    zip.readUInt16LE(at + 8) === record.method &&
    zip.subarray(at + 30, at + 30 + nameLength).equals(record.nameBytes) &&
    [
      [zip.readUInt32LE(at + 14), record.crc],
      [zip.readUInt32LE(at + 18), record.compressedSize],
      [zip.readUInt32LE(at + 22), record.size],
    ].every(([local, central]) => local === central || (sizesLater && local === 0));
  if (!matches) throw damagedWorkbook(`the header of ${record.name} does not match the directory`);
  return dataStart;
}

/** Where the part ends: after its data, and the data descriptor that follows when sizes come later. */
function partEnd(zip: Buffer, record: Central, dataStart: number): number {
  const dataEnd = dataStart + record.compressedSize;
  if (!(record.flags & HAS_DESCRIPTOR)) return dataEnd;
  const signed = dataEnd + 4 <= zip.length && zip.readUInt32LE(dataEnd) === DESCRIPTOR ? 4 : 0;
  const at = dataEnd + signed;
  if (
    at + 12 > zip.length ||
    zip.readUInt32LE(at) !== record.crc ||
    zip.readUInt32LE(at + 4) !== record.compressedSize ||
    zip.readUInt32LE(at + 8) !== record.size
  )
    throw damagedWorkbook(`the sizes after ${record.name} do not match the directory`);
  return at + 12;
}

/**
 * Reads a zip's directory, accounting for every byte: the parts lie back to back from the first byte, each
 * local header agrees with the directory, the directory follows the last part and the end record the
 * directory. Anything else (bytes before the first part or after the end, gaps, parts sharing data, zip64,
 * encryption, methods other than stored and deflate) is refused, as is a directory declaring more than the
 * limits. The sizes declared are checked again while unpacking (see entry.ts).
 */
export function readZipDirectory(zip: Buffer, limits: ZipLimits, what: string): Map<string, ZipEntry> {
  if (zip.length > limits.packedBytes)
    throw new FileRefused(`${what} is larger than ${size(limits.packedBytes)}, the most allowed: split it`);
  const end = endRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryStart = zip.readUInt32LE(end + 16);
  if (
    zip.readUInt16LE(end + 4) !== 0 ||
    zip.readUInt16LE(end + 6) !== 0 ||
    zip.readUInt16LE(end + 8) !== count
  )
    throw damagedWorkbook('a multi-part archive');
  if (count === 0xffff || directoryStart === ZIP64) throw damagedWorkbook('zip64 extensions');
  if (count > limits.entries) throw damagedWorkbook(`more than ${counted(limits.entries)} parts`);
  if (directoryStart + directorySize !== end)
    throw damagedWorkbook('bytes the directory does not account for');

  const records = centralRecords(zip, directoryStart, end, count);
  const entries = new Map<string, ZipEntry>();
  let declared = 0;
  let expected = 0;
  for (const record of [...records].sort((a, b) => a.localOffset - b.localOffset)) {
    if (record.localOffset !== expected)
      throw damagedWorkbook(
        record.localOffset < expected ? 'parts that overlap' : 'bytes that belong to no part',
      );
    const dataStart = checkLocal(zip, record);
    expected = partEnd(zip, record, dataStart);
    if (entries.has(record.name)) throw damagedWorkbook(`two parts named ${record.name}`);
    if (record.size > limits.entryBytes)
      throw tooLarge(`${what} (its part ${record.name})`, limits.entryBytes);
    declared += record.size;
    if (declared > limits.unpackedBytes) throw tooLarge(what, limits.unpackedBytes);
    const { name, method, crc, compressedSize, size } = record;
    entries.set(name, { name, method, crc, compressedSize, size, dataStart });
  }
  if (expected !== directoryStart) throw damagedWorkbook('bytes that belong to no part');
  return entries;
}
