import fc from 'fast-check';

/**
 * Hostile input for every route: the fixed cases anyone would try first, and fast-check arbitraries for the
 * rest. Everything here is seeded, so a run is the same every time and a failure can be repeated.
 */

export const FUZZ_SEED = 20261125;

/** Path parameter values as they go on the wire (percent-encoding included). */
export const HOSTILE_IDS = [
  '2147483648',
  '-1',
  '1e20',
  '0',
  '-0',
  '1.5',
  '0x10',
  '%00',
  'a%00b',
  '..%2f',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%E0%A4%A', // malformed percent-encoding
  '%ED%A0%80', // a lone surrogate, encoded as UTF-8 would if it could
  '%C0%AE', // an overlong encoding of "."
  '%FF',
  '%20',
  '__proto__',
  'constructor',
  '9'.repeat(5000),
  'a'.repeat(5000),
];

/** Values that pass the text check, for each query parameter on its own: repeated, too long, out of range. */
export const HOSTILE_QUERY_VALUES = (name: string): string[] => [
  `${name}=1&${name}=2`,
  `${name}=${'x'.repeat(5000)}`,
  `${name}=2147483648`,
];

/** Hostile values for all the query parameters at once (each route meets the first it reads). */
export function hostileQueriesFor(names: readonly string[]): string[] {
  const every = (value: (name: string) => string) => names.map(value).join('&');
  return [
    every((n) => `${n}=a%00b`),
    every((n) => `${n}=%ED%A0%80`),
    every((n) => `${n}=%E0%A4%A`),
    every((n) => `${n}[]=1&${n}[x]=2`),
    every((n) => `${n}=${'9'.repeat(400)}`),
    every((n) => `${n}=-1`),
    every((n) => `${n}=1e308`),
  ];
}

/** Query strings that name no parameter in particular. */
export const HOSTILE_QUERIES = [
  '%00=1',
  '__proto__=1',
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  '&&&=&',
];

/** Text that has broken services before: NUL, lone surrogates, markup, SQL, templates, paths, number-like. */
export const HOSTILE_TEXT = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udc00',
  'a\ud83d',
  '\u202e\u2066',
  '\ufeff',
  '<script>alert(1)</script>',
  "'; drop table audit; --",
  '{{constructor.constructor}}',
  '${process.exit()}',
  '../../etc/passwd',
  '%00',
  '',
  ' ',
  '\r\n',
  '\\',
  '"',
  '1e308',
  '2147483648',
  '-0',
  'NaN',
  'null',
  'true',
  '2026-02-30',
  '9999-12-31',
  'x'.repeat(10000),
];

/** Numbers at the edges: beyond PostgreSQL's integer, beyond a double, negative zero, fractions, tiny. */
const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1.5,
  2147483647,
  2147483648,
  -2147483649,
  2 ** 53 + 2,
  1e308,
  -1e308,
  5e-324,
];

/**
 * Malformed bodies, sent as they are with the given content type: bad JSON, wrong top-level types, deep
 * nesting, NUL and lone surrogates in values and keys, prototype keys, numbers JSON allows but JavaScript
 * or PostgreSQL cannot hold, and bad forms.
 */
export function malformedBodies(fields: readonly string[]): { type: string; body: string | Buffer }[] {
  const json = (body: string) => ({ type: 'application/json', body });
  const form = (body: string) => ({ type: 'application/x-www-form-urlencoded', body });
  const everyField = (value: string) => `{${fields.map((f) => `${JSON.stringify(f)}:${value}`).join(',')}}`;
  return [
    json('{'),
    json('{"version":'),
    json('not json'),
    json(''),
    json('{"a":1}}'),
    json('[]'),
    json('[1,2,3]'),
    json('"text"'),
    json('42'),
    json('null'),
    json('true'),
    json(`${'['.repeat(10000)}${']'.repeat(10000)}`),
    json(`${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`),
    json(`{"a":${'['.repeat(10000)}`),
    json('{"text":"a\\u0000b"}'),
    json('{"a\\u0000b":1}'),
    json('{"text":"\\ud800"}'),
    json('{"\\udc00":1}'),
    json(`{"nested":{"list":[1,{"deep":"\\ud800x"}]}}`),
    json('{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}}}'),
    json('{"version":1e400,"id":-0,"n":123456789012345678901234567890}'),
    ...['null', 'true', '-0', '1e308', '2147483648', '-1', '"x"', '""', '[]', '{}', '[[[[["x"]]]]]']
      .concat('"a\\u0000b"', JSON.stringify('x'.repeat(2000)))
      .map((value) => json(everyField(value))),
    {
      type: 'application/json',
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    },
    { type: 'application/json; charset=utf-16', body: '{"a":1}' },
    { type: 'application/json; charset=latin1', body: '{"a":1}' },
    { type: 'text/plain', body: 'text' },
    form('a=%00'),
    form('%00=1'),
    form('a=%ED%A0%80'),
    form('a=%E0%A4%A'),
    form(fields.map((f) => `${encodeURIComponent(f)}=1&${encodeURIComponent(f)}=2`).join('&')),
    form(fields.map((f) => `${encodeURIComponent(f)}=${'9'.repeat(400)}`).join('&')),
    form('__proto__=1&constructor=x'),
    form(Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&')),
  ];
}

/** A body limit as the configuration writes it (`1mb`, `500kb`), in bytes. */
export function limitInBytes(limit: string): number {
  const [, amount, unit] = /^(\d+)(b|kb|mb)$/.exec(limit) ?? [];
  return Number(amount) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit as 'b' | 'kb' | 'mb'];
}

/** A JSON object of about `bytes` bytes: one string as long as the body limit allows, in every field. */
export function hugeBody(fields: readonly string[], bytes: number): string {
  const share = Math.floor((bytes - 16 * (fields.length + 1)) / Math.max(fields.length, 1));
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f, 'x'.repeat(share)])));
}

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 24 }), fc.constantFrom(...HOSTILE_TEXT));

/** Values of every JSON type, with hostile text and edge numbers, nested a few levels under the given keys. */
export function jsonBodies(keys: readonly string[], ids: readonly number[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...keys) },
    fc.constantFrom('__proto__', 'constructor', 'prototype'),
    text,
  );
  const leaf = fc.oneof(
    text,
    fc.constantFrom(...EDGE_NUMBERS, ...ids),
    fc.integer({ min: -2, max: 10 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  }));
  return fc.oneof({ weight: 4, arbitrary: fc.dictionary(key, value, { maxKeys: 6 }) }, value);
}

/**
 * Form bodies and query strings: the given names (and others), each sent once or several times, with
 * hostile text (made well-formed, as percent-encoding cannot carry a lone surrogate).
 */
export function urlencoded(fields: readonly string[]): fc.Arbitrary<string> {
  const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fields) }, text);
  const value = fc.oneof(text, fc.constantFrom(...EDGE_NUMBERS.map(String)));
  return fc
    .array(fc.tuple(name, value), { maxLength: 8 })
    .map((pairs) =>
      pairs
        .map(([n, v]) => `${encodeURIComponent(n.toWellFormed())}=${encodeURIComponent(v.toWellFormed())}`)
        .join('&'),
    );
}

/** Draws `runs` values from an arbitrary, the same ones on every run. */
export function draw<T>(arbitrary: fc.Arbitrary<T>, runs: number, seed = FUZZ_SEED): T[] {
  return fc.sample(arbitrary, { seed, numRuns: runs });
}

/** A route's path with each `:param` replaced as given, written as it is (already percent-encoded). */
export function pathWith(pattern: string, value: (param: string) => string): string {
  return pattern.replace(/:(\w+)/g, (_whole, name: string) => value(name));
}

/** Every property name a JSON Schema mentions, so that generated bodies use the names routes look for. */
export function propertyNames(schema: unknown): string[] {
  const names = new Set<string>();
  const stack: unknown[] = [schema];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next !== 'object' || next === null) continue;
    const properties = (next as { properties?: unknown }).properties;
    if (typeof properties === 'object' && properties !== null)
      for (const name of Object.keys(properties)) names.add(name);
    stack.push(...Object.values(next));
  }
  return [...names];
}
