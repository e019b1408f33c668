import { constructsFramework } from '../../test/audits/constructs-framework';
import { previewOf } from './preview';

describe('the preview of a framework with the newer constructs', () => {
  const preview = previewOf(constructsFramework());
  const section = (id: string) => preview.sections.find((s) => s.id === id)!;

  test.each([
    ['visits', 'The auditor may mark it not applicable, saying why.'],
    ['visits', 'Grade asked as: “How good were the visits?”'],
    ['care', 'Only applies when the case type is child-in-care and the child’s age is at least 10.'],
    ['practice', 'The section’s grade can be no better than its lowest part.'],
  ])('says of %s: %s', (id, note) => {
    expect(section(id).notes).toContain(note);
  });

  it('lists parts with their questions, evidence and raised actions', () => {
    expect(section('practice').parts.map((p) => p.title)).toEqual(['3a Assessment', '3b Joint working']);
    expect(section('practice').parts[1]?.notes).toContain('The grade is optional.');
    expect(section('visits').questions[0]?.evidence).toBe('Where in the record (required)');
    expect(section('visits').questions[0]?.raisesAction).toMatch(/^Answered No: recommends/);
    expect(preview.period).toHaveLength(2);
    expect(preview.overallGrading).toBe('The overall grade is optional.');
  });
});
