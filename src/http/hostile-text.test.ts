import fc from 'fast-check';
import { fieldName, findUnstorableText, isStorableText, jsonPointer } from './hostile-text';

describe('isStorableText', () => {
  it('refuses NUL and lone surrogates, and takes everything else Unicode has', () => {
    for (const bad of ['a\u0000b', '\u0000', '\ud800', 'x\udc00', 'a\ud83d', '\udc00\ud800'])
      expect(isStorableText(bad)).toBe(false);
    for (const good of ['', 'plain', 'emoji 😀', 'Cymraeg: ŵŷ', '\u202e', '\ufeff', '\u0001'])
      expect(isStorableText(good)).toBe(true);
  });
});

describe('findUnstorableText', () => {
  it('names a bad value or key by its JSON pointer, escaping ~ and /', () => {
    expect(findUnstorableText({ a: [1, { b: 'x\u0000' }] }, jsonPointer)).toBe('/a/1/b');
    expect(findUnstorableText({ 'a/b': { '~c': '\ud800' } }, jsonPointer)).toBe('/a~1b/~0c');
    expect(findUnstorableText({ ok: 1, ['k\u0000']: 1 }, jsonPointer)).toBe('/k\ufffd');
  });

  it('reports the first problem in document order', () => {
    expect(findUnstorableText({ a: '\u0000', b: '\u0000' }, jsonPointer)).toBe('/a');
    expect(findUnstorableText(['ok', ['\ud800'], '\u0000'], jsonPointer)).toBe('/1/0');
  });

  it('names form and query fields by their name, repeated or not', () => {
    expect(findUnstorableText({ name: 'ok', reason: ['fine', 'a\u0000'] }, fieldName)).toBe('reason');
    expect(findUnstorableText({ ['bad\u0000']: 'x' }, fieldName)).toBe('bad\ufffd');
  });

  it('walks any depth without recursion', () => {
    let deep: unknown = 'a\u0000b';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorableText(deep, jsonPointer)).toBe('/0'.repeat(200_000));
  });

  it('finds nothing in well-formed JSON, and finds a NUL put anywhere in it', () => {
    const json = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value).toWellFormed()) as unknown);
    fc.assert(
      fc.property(json, (value) => findUnstorableText(value, jsonPointer) === undefined),
      { seed: 7, numRuns: 300 },
    );
    fc.assert(
      fc.property(json, fc.string(), (value, text) => {
        const body = { value, hidden: { deeper: [`${text}\u0000`] } };
        return findUnstorableText(body, jsonPointer) !== undefined;
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('passes over numbers, booleans, null and buffers', () => {
    expect(findUnstorableText({ a: 1, b: true, c: null, d: Buffer.from([0]) }, jsonPointer)).toBeUndefined();
  });
});
