import fc from 'fast-check';
import { fieldView, type Field } from './form-fields';

const GROUPS = ['radios', 'checkboxes', 'fieldset'];

/**
 * Every id a field's view puts on an element, nested fields and choices included (a group of choices or a
 * fieldset renders no element with its own `id`: its first choice or field carries it).
 */
function idsOf(view: Record<string, unknown>): string[] {
  const ids: string[] = [];
  const visit = (v: Record<string, unknown>) => {
    for (const key of ['id', 'hintId', 'errorId', 'conditionalId'] as const)
      if (typeof v[key] === 'string' && !(key === 'id' && GROUPS.includes(v.kind as string)))
        ids.push(v[key]);
    for (const list of ['items', 'parts', 'fields', 'conditional'] as const)
      if (Array.isArray(v[list])) (v[list] as Record<string, unknown>[]).forEach(visit);
  };
  visit(view);
  return ids;
}

const choices = (name: string, hints: boolean): Field => ({
  kind: 'radios',
  name,
  legend: 'Grade',
  hint: 'Choose the grade that fits best',
  items: ['outstanding', 'good', 'requires-improvement', 'inadequate'].map((value) => ({
    value,
    text: value,
    ...(hints ? { hint: `What ${value} looks like` } : {}),
    conditional: [{ kind: 'textarea', name: `${name}-${value}-why`, label: 'Why?' }],
  })),
});

describe('form field ids', () => {
  it('never give a choice’s hint the id of the question’s hint (WCAG 1.3.1)', () => {
    const view = fieldView(choices('grade', true), { grade: 'Choose a grade' });
    const ids = idsOf(view);
    expect(new Set(ids).size).toBe(ids.length);
    const items = view.items as { id: string; hintId: string }[];
    expect(items[0]).toMatchObject({ id: 'grade', hintId: 'grade-item-hint' });
    expect(view.describedBy).toBe('grade-hint grade-error');
  });

  it('are unique for any question names and choices', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/), fc.boolean(), (name, hints) => {
        const ids = idsOf(fieldView(choices(name, hints), { [name]: 'x' }));
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});
