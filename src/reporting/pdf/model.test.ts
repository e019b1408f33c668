import { sectionsOf, type Block } from './model';

const heading = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
const paragraph = (text: string): Block => ({ kind: 'paragraph', text });

describe('the sections of a pack', () => {
  it('begin at each level-1 heading, with anything before the first in a section of its own', () => {
    const blocks = [
      paragraph('a'),
      heading(1, 'One'),
      heading(2, 'Two'),
      paragraph('b'),
      heading(1, 'Three'),
    ];
    expect(sectionsOf({ title: 't', subject: 's', author: 'a', sections: blocks })).toEqual([
      [blocks[0]],
      [blocks[1], blocks[2], blocks[3]],
      [blocks[4]],
    ]);
  });

  it('are none for an empty pack', () => {
    expect(sectionsOf({ title: 't', subject: 's', author: 'a', sections: [] })).toEqual([]);
  });
});
