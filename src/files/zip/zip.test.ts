import { part, zip, type ZipPart } from '../../../test/support/zip';
import type { ZipLimits } from '../limits';
import { FileRefused } from '../refusal';
import { readZipDirectory } from './directory';
import { UnpackBudget, entryChunks } from './entry';

const LIMITS: ZipLimits = {
  packedBytes: 10_000_000,
  unpackedBytes: 1_000_000,
  entryBytes: 600_000,
  entries: 10,
};
const parts = () => [part('a.xml', '<a>first</a>'), part('b.xml', Buffer.alloc(5000, 'b'))];

const directory = (archive: Buffer, limits = LIMITS) => readZipDirectory(archive, limits, 'the workbook');

async function unpack(archive: Buffer, name: string, budget = new UnpackBudget(1_000_000, 'the workbook')) {
  const entry = directory(archive).get(name);
  if (!entry) throw new Error(`no ${name}`);
  const chunks: Buffer[] = [];
  for await (const chunk of entryChunks(archive, entry, budget)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof FileRefused) return err.message;
    throw err;
  }
  throw new Error('not refused');
}

const DAMAGED = /^the workbook is damaged or not a real Excel file \(.+\): save it again from Excel/;

describe('the zip directory', () => {
  it('lists the parts of an archive it can account for byte by byte, stored or deflated', async () => {
    const stored: ZipPart = { ...part('c.txt', 'plain'), data: Buffer.from('plain'), stored: true };
    const archive = zip([...parts(), stored]);
    expect([...directory(archive).keys()]).toEqual(['a.xml', 'b.xml', 'c.txt']);
    expect((await unpack(archive, 'a.xml')).toString()).toBe('<a>first</a>');
    expect((await unpack(archive, 'c.txt')).toString()).toBe('plain');
  });

  it('refuses bytes before the first part, after the end record, or between parts', () => {
    const archive = zip(parts());
    expect(refusal(() => directory(Buffer.concat([Buffer.from('MZ'), archive])))).toMatch(DAMAGED);
    expect(refusal(() => directory(Buffer.concat([archive, Buffer.from('trailing')])))).toMatch(DAMAGED);
    expect(refusal(() => directory(zip(parts(), { prepend: Buffer.from('PK') })))).toMatch(DAMAGED);
  });

  it('refuses parts that share data, and headers that disagree with the directory', () => {
    const shared = zip([...parts(), part('c.xml', '<a>first</a>')], { sharing: { 'c.xml': 'a.xml' } });
    expect(refusal(() => directory(shared))).toMatch(DAMAGED);
    const archive = zip(parts());
    const renamed = Buffer.from(archive);
    renamed.write('x', 30); // the first local header's name: a.xml → x.xml
    expect(refusal(() => directory(renamed))).toMatch(/the header of a\.xml does not match the directory/);
  });

  it('refuses encryption, zip64 and methods other than stored and deflate', () => {
    const archive = zip(parts());
    const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const encrypted = Buffer.from(archive);
    encrypted.writeUInt16LE(1, central + 8);
    expect(refusal(() => directory(encrypted))).toMatch(/it is encrypted/);
    const bzip2 = Buffer.from(archive);
    bzip2.writeUInt16LE(12, central + 10);
    expect(refusal(() => directory(bzip2))).toMatch(/method 12/);
    const zip64 = Buffer.from(archive);
    zip64.writeUInt32LE(0xffffffff, central + 24);
    expect(refusal(() => directory(zip64))).toMatch(/zip64/);
  });

  it('refuses an archive whose declared sizes pass the limits before unpacking anything', () => {
    const big = part('big.xml', Buffer.alloc(700_000));
    expect(refusal(() => directory(zip([big])))).toMatch(
      /^the workbook \(its part big\.xml\) unpacks to more than 600,000 bytes/,
    );
    const two = [part('a.xml', Buffer.alloc(550_000)), part('b.xml', Buffer.alloc(550_000))];
    expect(refusal(() => directory(zip(two)))).toMatch(/^the workbook unpacks to more than 1,000,000 bytes/);
    expect(refusal(() => directory(zip(parts()), { ...LIMITS, entries: 1 }))).toMatch(/more than 1 parts/);
    expect(refusal(() => directory(zip(parts()), { ...LIMITS, packedBytes: 100 }))).toMatch(/is larger than/);
  });

  it('counts what actually unpacks: a part larger than it says, or with another checksum, is refused', async () => {
    const lying = zip(parts(), { declaredSizes: { 'b.xml': 100 } });
    await expect(unpack(lying, 'b.xml')).rejects.toThrow(/b\.xml unpacks to more than it says/);
    const corrupt = zip([{ ...part('b.xml', Buffer.alloc(5000, 'b')), crc: 1 }]);
    await expect(unpack(corrupt, 'b.xml')).rejects.toThrow(/b\.xml is not what its checksum says/);
    await expect(unpack(zip(parts()), 'b.xml', new UnpackBudget(1000, 'the workbook'))).rejects.toThrow(
      /^the workbook unpacks to more than/,
    );
  });
});
