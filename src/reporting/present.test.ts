import { distribution, WITHHELD } from './present';

const levels = (...counts: number[]) => ({
  scaleId: 'ofsted',
  scaleLabel: 'Ofsted',
  levels: counts.map((count, i) => ({ code: `l${i}`, label: `Level ${i}`, count })),
});
const shown = (d: ReturnType<typeof distribution>) => d.levels.map((l) => l.display);

describe('a distribution as reports show it', () => {
  it('withholds counts of one to four', () => {
    expect(shown(distribution(levels(0, 7, 2, 3), 12))).toEqual(['0', '7', 'fewer than 5', 'fewer than 5']);
  });

  it('withholds the next smallest too when a lone small count could be worked out from the total', () => {
    // 1 + 7 + 12 + 11 = 31: with only the 1 withheld, 31 − 7 − 12 − 11 would give it away.
    expect(shown(distribution(levels(1, 7, 12, 11), 31))).toEqual(['fewer than 5', WITHHELD, '12', '11']);
  });

  it('withholds nothing more when nothing is small', () => {
    expect(shown(distribution(levels(5, 7, 0, 11), 23))).toEqual(['5', '7', '0', '11']);
  });
});
