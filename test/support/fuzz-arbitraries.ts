import fc from 'fast-check';
import { HOSTILE_TEXT } from './fuzz';

/**
 * fast-check arbitraries for hostile request bodies and query values: any JSON, objects with prototype
 * keys and wrong types in the fields routes read, deep nesting, huge strings, any unicode (lone surrogates
 * and NUL included), JSON broken at any point, and bytes that are not text at all.
 */

export interface Body {
  type: string | undefined;
  body: string | Buffer;
}

/** Characters that have broken parsers and databases, among any other character. */
const ODD_CHARACTERS = ['\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\u202e', '\ufeff', '\u200b', '\\'];

export const unicodeText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      fc.constantFrom(...ODD_CHARACTERS),
    ),
    maxLength,
  });

/** A string of up to `max` characters: one character repeated, ASCII or not. */
export const hugeText = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min, max }), fc.constantFrom('x', '9', 'é', '😀', ' ', '\u0000', '\ud800'))
    .map(([length, character]) => character.repeat(Math.ceil(length / character.length)));

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: unicodeText() },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 1, arbitrary: hugeText(1000, 20_000) },
);

const edgeNumber = fc.constantFrom(0, -0, -1, 1.5, 2147483647, 2147483648, -2147483649, 2 ** 53 + 2, 1e308);

/** Any JSON value, with hostile strings and numbers at the edges among the ordinary ones. */
export const jsonValue = (ids: readonly number[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }) },
    { weight: 2, arbitrary: hostileText },
    { weight: 2, arbitrary: fc.oneof(edgeNumber, fc.constantFrom(...ids), fc.integer(), fc.double()) },
    fc.constantFrom(null, true, false, [], {}, ''),
  );

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A key a route might read, a key that reaches an object's prototype, or any text. */
const keyFrom = (fields: readonly string[]) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...fields) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 1, arbitrary: unicodeText(12) },
  );

/**
 * A JSON object as text, written member by member, so that `__proto__` is an own member (as JSON.parse
 * makes it) rather than an object's prototype, and a key can come twice.
 */
function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** JSON text of `value`; undefined and functions cannot occur, as values come from JSON arbitraries. */
const text = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** An object of known and hostile keys, nested a few levels (under the known keys as often as not). */
export function objectBody(fields: readonly string[], ids: readonly number[]): fc.Arbitrary<string> {
  const key = keyFrom(fields);
  const { node } = fc.letrec<{ node: string; member: readonly [string, string] }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
      { weight: 3, arbitrary: jsonValue(ids).map(text) },
      fc.array(tie('member'), { maxLength: 6 }).map(objectText),
      fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    ),
    member: fc.tuple(key, tie('node')),
  }));
  return fc.array(fc.tuple(key, node), { maxLength: 8 }).map(objectText);
}

/** A value nested `depth` arrays or objects deep, in a field a route reads. */
export function deepBody(fields: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      field: fc.constantFrom(...fields),
      depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 5000 })),
      open: fc.constantFrom('[', '{"a":', '{"__proto__":'),
    })
    .map(({ field, depth, open }) => {
      const close = open === '[' ? ']' : '}';
      return `{${JSON.stringify(field)}:${open.repeat(depth)}1${close.repeat(depth)}}`;
    });
}

/** Every known field at once, each holding a string of about `bytes / fields` characters. */
export function hugeBody(fields: readonly string[], limit: number): fc.Arbitrary<string> {
  return fc
    .record({
      bytes: fc.integer({ min: Math.floor(limit * 0.9), max: Math.ceil(limit * 1.1) }),
      count: fc.integer({ min: 1, max: Math.min(8, fields.length) }),
      character: fc.constantFrom('x', 'é', '😀'),
    })
    .map(({ bytes, count, character }) => {
      const each = Math.floor(bytes / count / Buffer.byteLength(character));
      return objectText(fields.slice(0, count).map((f) => [f, JSON.stringify(character.repeat(each))]));
    });
}

/** JSON text broken: cut short, a character put in or replaced, or a byte that is not UTF-8. */
export function brokenText(valid: fc.Arbitrary<string>): fc.Arbitrary<string | Buffer> {
  return fc
    .record({
      valid,
      at: fc.nat(),
      how: fc.constantFrom('cut', 'insert', 'replace', 'byte'),
      character: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', 'x', ' '),
      byte: fc.integer({ min: 0x80, max: 0xff }),
    })
    .map(({ valid: whole, at, how, character, byte }) => {
      const i = whole.length === 0 ? 0 : at % whole.length;
      if (how === 'cut') return whole.slice(0, i);
      if (how === 'insert') return whole.slice(0, i) + character + whole.slice(i);
      if (how === 'replace') return whole.slice(0, i) + character + whole.slice(i + 1);
      const bytes = Buffer.from(whole);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
    });
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'application/JSON',
];
const OTHER_TYPES = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'multipart/form-data',
];

/** Request bodies for a JSON endpoint: mostly JSON of every kind, some of it broken or sent mislabelled. */
export function jsonBodies(
  fields: readonly string[],
  ids: readonly number[],
  limit: number,
): fc.Arbitrary<Body> {
  const object = objectBody(fields, ids);
  const body: fc.Arbitrary<string | Buffer> = fc.oneof(
    { weight: 8, arbitrary: object },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).map(text) },
    { weight: 2, arbitrary: deepBody(fields) },
    { weight: 3, arbitrary: brokenText(object) },
    { weight: 1, arbitrary: hugeBody(fields, limit) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  );
  const type = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...JSON_TYPES) },
    { weight: 1, arbitrary: fc.constantFrom(...OTHER_TYPES) },
  );
  return fc.record({ type, body });
}

/** A form body of known and hostile names, each sent once or more, with hostile values. */
export function formBodies(
  fields: readonly string[],
  ids: readonly number[],
  limit: number,
): fc.Arbitrary<Body> {
  const name = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...fields) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, 'a[b]', 'a[]', '_idempotency') },
    { weight: 1, arbitrary: unicodeText(12) },
  );
  const value = fc.oneof(
    { weight: 4, arbitrary: hostileText },
    { weight: 2, arbitrary: fc.constantFrom(...ids.map(String), '', 'on', 'true', '-1', '1e308') },
  );
  const encode = (s: string) => encodeURIComponent(s.toWellFormed());
  const pairs = fc
    .array(fc.tuple(name, value), { maxLength: 12 })
    .map((list) => list.map(([n, v]) => `${encode(n)}=${encode(v)}`).join('&'));
  const body: fc.Arbitrary<string | Buffer> = fc.oneof(
    { weight: 8, arbitrary: pairs },
    // Percent-encoding that decodes to no text, or to no character at all.
    { weight: 2, arbitrary: brokenPercent(fields) },
    { weight: 1, arbitrary: hugeText(limit - 1000, limit + 1000).map((v) => `${fields[0] ?? 'a'}=${v}`) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  );
  return fc.record({ type: fc.constant('application/x-www-form-urlencoded'), body });
}

/** `name=value` pairs whose percent-encoding is broken or decodes to bytes that are not UTF-8. */
export function brokenPercent(names: readonly string[]): fc.Arbitrary<string> {
  const broken = fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%C0%AE', '%FF', '%00', '%%', '%zz', '+%2B');
  return fc
    .array(fc.tuple(fc.constantFrom(...names), broken, fc.boolean()), { minLength: 1, maxLength: 4 })
    .map((list) => list.map(([n, b, inName]) => (inName ? `${n}${b}=1` : `${n}=a${b}b`)).join('&'));
}

/** Hostile values for one query parameter, as they go on the wire. */
export function queryValues(ids: readonly number[]): fc.Arbitrary<string> {
  const encode = (s: string) => encodeURIComponent(s.toWellFormed());
  return fc.oneof(
    { weight: 4, arbitrary: hostileText.map(encode) },
    { weight: 2, arbitrary: fc.oneof(edgeNumber.map(String), fc.constantFrom(...ids.map(String))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%C0%AE', '%FF', 'a%00b', '%zz', '..%2F..%2F'),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => encode(text(v))) },
  );
}
