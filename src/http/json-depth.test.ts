import fc from 'fast-check';
import { nestsDeeperThan } from './json-depth';

/** How deeply a parsed JSON value nests arrays and objects (a scalar is 0). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('nestsDeeperThan', () => {
  it('agrees with the parsed depth of any JSON, brackets inside strings included', () => {
    const text = fc.string({ unit: 'grapheme' }).map((s) => `${s}[{"\\"}]`);
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'medium', maxDepth: 8 },
        text,
        fc.integer(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 8 }), (value, max) => {
        return nestsDeeperThan(bytes(JSON.stringify(value, null, 1)), max) === depthOf(value) > max;
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('refuses 10,000 levels at once, and does not count brackets in strings or after escapes', () => {
    expect(nestsDeeperThan(bytes('['.repeat(10_000)), 32)).toBe(true);
    expect(nestsDeeperThan(bytes(`{"a":"${'['.repeat(100)}"}`), 1)).toBe(false);
    expect(nestsDeeperThan(bytes(`{"a":"\\"${'{'.repeat(100)}"}`), 1)).toBe(false);
    expect(nestsDeeperThan(bytes(`["\\\\",[[1]]]`), 2)).toBe(true);
  });
});
