import { deflateRawSync } from 'node:zlib';
import { checkUnzippedSize, ZipTooLarge } from './zip-guard';

/** A zip of one deflated entry, declaring whatever uncompressed size it is told to (zips can lie). */
function zipOf(content: Buffer, declaredSize = content.length): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const data = deflateRawSync(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

describe('the unpacked-size guard for workbooks', () => {
  it('lets a workbook through that unpacks within the limit', async () => {
    await expect(checkUnzippedSize(zipOf(Buffer.alloc(1000, 'a')), 2000)).resolves.toBeUndefined();
  });

  it('refuses a small file that unpacks past the limit, even when it declares a small size', async () => {
    const bomb = zipOf(Buffer.alloc(20 * 1048576), 100);
    expect(bomb.length).toBeLessThan(100_000);
    await expect(checkUnzippedSize(bomb, 10 * 1048576)).rejects.toThrow(ZipTooLarge);
    await expect(checkUnzippedSize(bomb, 10 * 1048576)).rejects.toThrow(
      'the workbook expands to more than 10 MB when unpacked',
    );
  });

  it('leaves what is not a zip to the workbook reader', async () => {
    await expect(checkUnzippedSize(Buffer.from('not a zip at all'), 10)).resolves.toBeUndefined();
  });
});
