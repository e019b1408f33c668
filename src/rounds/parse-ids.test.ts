import fc from 'fast-check';
import { parseIds } from './repository';

describe('parseIds', () => {
  it('reads a comma-separated list of ids into ascending order, whatever order they come in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { minLength: 1 }),
        (ids) => {
          expect(Array.from(parseIds(ids.join(',')))).toEqual([...ids].sort((a, b) => a - b));
        },
      ),
    );
  });
});
