import { gradeCount } from '../../test/support/grade-counts';
import { mergeViews, sumBy, viewsOf } from './views';

const row = gradeCount;

describe('grade counts as the figures group them', () => {
  it('adds rows up by their keys, in the keys’ order with nulls last', () => {
    expect(
      sumBy(
        [
          { a: 'y', b: null, count: 1 },
          { a: 'x', b: 2, count: 2 },
          { a: 'y', b: null, count: 3 },
          { a: 'y', b: 1, count: 4 },
        ],
        ['a', 'b'],
      ),
    ).toEqual([
      { a: 'x', b: 2, count: 2 },
      { a: 'y', b: 1, count: 4 },
      { a: 'y', b: null, count: 4 },
    ]);
  });

  it('splits counts by team and case type into the whole, by team and by case type', () => {
    const views = viewsOf([
      row({ teamId: 1, count: 2 }),
      row({ teamId: 2, caseType: 'child-protection', count: 3 }),
      row({ teamId: 2, sectionId: 'plan', grade: 'inadequate', count: 5 }),
    ]);
    expect(views.whole.map((r) => [r.sectionId, r.grade, r.count])).toEqual([
      ['overall', 'good', 5],
      ['plan', 'inadequate', 5],
    ]);
    expect(views.byTeam.map((r) => [r.teamId, r.count])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(views.byCaseType.map((r) => [r.caseType, r.count])).toEqual([
      ['child-in-need', 2],
      ['child-protection', 3],
    ]);
  });

  it('gives the same views whichever parts the counts were read in', () => {
    const rows = [row({ count: 2 }), row({ teamId: 2, count: 1 }), row({ moderated: true, count: 4 })];
    expect(mergeViews([viewsOf(rows.slice(0, 1)), viewsOf(rows.slice(1))])).toEqual(viewsOf(rows));
  });
});
