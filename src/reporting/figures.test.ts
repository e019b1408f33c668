import { median } from './figures';
import type { Framework } from '../frameworks/types';
import { BUILT_IN_SCALES } from '../frameworks/scales';
import { figuresOf } from './figures';
import { viewsOf } from './views';
import { gradeCount } from '../../test/support/grade-counts';

describe('median', () => {
  it.each([
    [[], null],
    [[4], 4],
    [[9, 1, 5], 5],
    [[1, 2, 3, 10], 2.5],
  ])('of %j is %p', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

const FRAMEWORK = {
  id: 'f',
  version: '1.0.0',
  defaultScale: 'ofsted',
  scales: BUILT_IN_SCALES,
  overall: { rule: 'auditor-judgement', scale: 'ofsted' },
  sections: [{ id: 's1', title: 'Section one', graded: true, questions: [] }],
} as unknown as Framework;

const row = gradeCount;

describe('figures of grade counts', () => {
  // Ten audits: 2 outstanding, 4 good, 3 requires improvement, 1 inadequate. Three were moderated: one
  // upheld (good, moderator good), one downgraded (auditor good, agreed RI, moderator RI) and one upgraded
  // (auditor RI, agreed good, moderator outstanding).
  const counts = [
    row({ grade: 'outstanding', count: 2 }),
    row({ grade: 'good', count: 3 }),
    row({ grade: 'good', moderated: true, auditorGrade: 'good', moderatorGrade: 'good' }),
    row({ grade: 'requires-improvement', count: 2 }),
    row({
      grade: 'requires-improvement',
      moderated: true,
      auditorGrade: 'good',
      moderatorGrade: 'requires-improvement',
    }),
    row({
      grade: 'good',
      moderated: true,
      auditorGrade: 'requires-improvement',
      moderatorGrade: 'outstanding',
      count: 0,
    }),
    row({ grade: 'inadequate', count: 1 }),
    row({ sectionId: 's1', grade: 'good', count: 10 }),
  ];
  const figures = figuresOf({ grades: viewsOf(counts), planCounts: [], teams: [] }, () => FRAMEWORK);

  it('count the agreed overall grades and the headline measures', () => {
    expect(figures.overall.distributions[0]?.levels.map((l) => l.count)).toEqual([2, 4, 3, 1]);
    expect(figures.overall.goodOrBetter).toEqual({ count: 6, of: 10 });
    expect(figures.overall.inadequate).toEqual({ count: 1, of: 10 });
    expect(figures.bySection[0]?.distribution.levels.map((l) => l.count)).toEqual([0, 10, 0, 0]);
  });

  it('count moderation outcomes against the agreed grade, and agreement against the moderator’s own', () => {
    expect(figures.moderation).toMatchObject({ moderated: 2, upheld: 1, downgraded: 1, upgraded: 0 });
    expect(figures.moderation.agreement).toMatchObject({ pairs: 2, agreed: 1, downgraded: 1 });
  });
});
