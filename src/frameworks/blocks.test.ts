import { blocksOf, gradingOf, questionsInOrder } from './blocks';
import type { Section } from './types';

const q = (id: string) => ({ id, type: 'text' as const, text: id });
const sections: Section[] = [
  {
    id: 's1',
    title: 'One',
    questions: [q('a')],
    parts: [
      { id: 'p1', title: 'Part', grading: 'optional', questions: [q('b')] },
      { id: 'p2', title: 'Part', graded: false, questions: [q('c')] },
    ],
  },
  { id: 's2', title: 'Two', graded: false, grading: 'required', questions: [q('d')] },
];

describe('blocks', () => {
  it('flattens sections and parts in order, with parents and grading', () => {
    expect(blocksOf({ sections }).map((e) => [e.block.id, e.parentId, e.grading])).toEqual([
      ['s1', undefined, 'required'],
      ['p1', 's1', 'optional'],
      ['p2', 's1', 'none'],
      ['s2', undefined, 'required'],
    ]);
  });

  it('lists questions: a section, then its parts, then the next section', () => {
    expect(questionsInOrder({ sections }).map((x) => x.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([
    [{}, 'required'],
    [{ graded: true }, 'required'],
    [{ graded: false }, 'none'],
    [{ graded: false, grading: 'optional' }, 'optional'],
  ] as const)('grading of %j is %s', (block, grading) => {
    expect(gradingOf({ id: 'x', title: 'x', questions: [], ...block })).toBe(grading);
  });
});
