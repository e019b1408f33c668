import type { Framework } from '../frameworks/types';
import { answerCell, cellsOf, exportColumns, FIXED_COLUMNS, type ExportAudit } from './columns';

type Sections = { id: string; graded?: boolean; questions: string[] }[];

/** A framework version with just what columns are made from: sections, their grading and question ids. */
const version = (v: string, sections: Sections) =>
  ({
    id: 'f',
    version: v,
    sections: sections.map((s) => ({
      id: s.id,
      title: s.id.toUpperCase(),
      kind: 'standard',
      graded: s.graded ?? true,
      questions: s.questions.map((q) => ({ id: q, type: 'text', text: `Question ${q}`, required: true })),
    })),
  }) as unknown as Framework;

const FIXED = [
  'export_schema',
  'audit_id',
  'case_reference',
  'team',
  'case_type',
  'round',
  'framework_id',
  'framework_version',
  'submitted_on',
  'moderated',
  'overall_grade',
  'auditor_overall_grade',
];

const keys = (versions: Framework[]) => exportColumns(versions).map((c) => c.key);

describe('export columns', () => {
  it('start with the fixed columns, in their documented order', () => {
    expect(FIXED_COLUMNS.map((c) => c.key)).toEqual(FIXED);
    expect(keys([version('1.0.0', [])])).toEqual(FIXED);
  });

  it('follow the framework: each graded section’s grade, then its questions, in order', () => {
    const v1 = version('1.0.0', [
      { id: 'profile', graded: false, questions: ['age', 'type'] },
      { id: 'visits', questions: ['seen', 'notes'] },
    ]);
    expect(keys([v1]).slice(FIXED.length)).toEqual([
      'answer:profile:age',
      'answer:profile:type',
      'section_grade:visits',
      'answer:visits:seen',
      'answer:visits:notes',
    ]);
  });

  it('put every version in one set: the newest version’s order, then what only older ones had', () => {
    const v1 = version('1.0.0', [
      { id: 'visits', questions: ['seen', 'gone', 'notes'] },
      { id: 'old', questions: ['x'] },
    ]);
    const v2 = version('1.2.0', [
      { id: 'visits', questions: ['notes', 'seen'] },
      { id: 'new', questions: ['y'] },
    ]);
    const v3 = version('1.10.0', [{ id: 'new', questions: ['y', 'z'] }]);
    const expected = [
      'section_grade:new',
      'answer:new:y',
      'answer:new:z',
      // Only in 1.2.0, in its order.
      'section_grade:visits',
      'answer:visits:notes',
      'answer:visits:seen',
      // Only in 1.0.0.
      'answer:visits:gone',
      'section_grade:old',
      'answer:old:x',
    ];
    // Versions are ordered as versions (1.10.0 is newer than 1.2.0), whatever order they come in.
    expect(keys([v1, v2, v3]).slice(FIXED.length)).toEqual(expected);
    expect(keys([v3, v1, v2]).slice(FIXED.length)).toEqual(expected);
  });

  it('write an audit’s values in its columns', () => {
    const v1 = version('1.0.0', [
      { id: 'profile', graded: false, questions: ['age', 'who'] },
      { id: 'visits', questions: ['seen', 'notes'] },
    ]);
    const audit: ExportAudit = {
      auditId: 7,
      caseRef: 'DS1',
      team: 'North',
      caseType: 'child-in-need',
      round: null,
      frameworkId: 'f',
      frameworkVersion: '1.0.0',
      submittedOn: '2026-03-04',
      moderated: true,
      grades: { overall: 'good', visits: 'requires-improvement' },
      auditorOverallGrade: 'inadequate',
      answers: { profile: { age: 12, who: ['mother', 'school'] }, visits: { seen: 'yes' } },
    };
    expect(cellsOf(audit, exportColumns([v1]))).toEqual([
      '1',
      7,
      'DS1',
      'North',
      'child-in-need',
      'Re-audit',
      'f',
      '1.0.0',
      '2026-03-04',
      'yes',
      'good',
      'inadequate',
      12,
      'mother; school',
      'requires-improvement',
      'yes',
      null,
    ]);
    expect(cellsOf({ ...audit, round: 'March round', moderated: false }, FIXED_COLUMNS).slice(5, 10)).toEqual(
      ['March round', 'f', '1.0.0', '2026-03-04', 'no'],
    );
  });

  it.each([
    ['text', '=HYPERLINK("x")', '=HYPERLINK("x")'],
    ['a number', 3.5, 3.5],
    ['a list', ['a', 'b', 3], 'a; b; 3'],
    ['an empty list', [], ''],
    ['true', true, 'yes'],
    ['false', false, 'no'],
    ['a graded answer', { grade: 'good', rationale: 'Seen.' }, '{"grade":"good","rationale":"Seen."}'],
    ['nothing', undefined, null],
    ['null', null, null],
  ])('write an answer of %s as a cell', (_what, answer, cell) => {
    expect(answerCell(answer)).toEqual(cell);
  });
});
