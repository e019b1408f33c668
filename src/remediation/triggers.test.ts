import { normalise } from '../frameworks/normalise';
import type { FrameworkDocument, Trigger } from '../frameworks/types';
import { obligationOf } from './triggers';

const framework = (triggers?: Trigger[]) =>
  normalise({
    id: 'f',
    version: '1.0.0',
    title: 'F',
    description: 'D',
    jurisdiction: 'england',
    caseTypes: ['child-in-need'],
    sections: [
      { id: 'assessment', title: 'Assessment', questions: [{ id: 'a1', type: 'text', text: 'x' }] },
      { id: 'risk', title: 'Risk', questions: [{ id: 'r1', type: 'text', text: 'x' }] },
    ],
    overall: { rule: 'auditor-judgement' },
    ...(triggers ? { remediation: { triggers } } : {}),
  } satisfies FrameworkDocument);

const SHIPPED: Trigger[] = [
  { on: 'overall', grades: ['inadequate'], responseWorkingDays: 5, completionWorkingDays: 20 },
  { on: 'overall', grades: ['requires-improvement'], responseWorkingDays: 10, completionWorkingDays: 40 },
  { on: 'section', grades: ['inadequate'], responseWorkingDays: 5, completionWorkingDays: 20 },
];
const grades = (overall: string, assessment = 'good', risk = 'good') => [
  { sectionId: 'assessment', grade: assessment },
  { sectionId: 'risk', grade: risk },
  { sectionId: 'overall', grade: overall },
];

describe('the obligation an audit’s grades put on the team', () => {
  it('is none when no trigger is met, or the framework has none', () => {
    expect(obligationOf(framework(SHIPPED), grades('good'))).toBeUndefined();
    expect(obligationOf(framework(), grades('inadequate', 'inadequate'))).toBeUndefined();
  });

  it('asks for a response when a grade is the worst of its scale, with that trigger’s timescales', () => {
    expect(obligationOf(framework(SHIPPED), grades('inadequate'))).toEqual({
      findings: [{ on: 'overall', sectionId: 'overall', grade: 'inadequate', worst: true }],
      responseWorkingDays: 5,
      completionWorkingDays: 20,
      responseRequired: true,
    });
  });

  it('leaves the response optional for requires improvement', () => {
    expect(obligationOf(framework(SHIPPED), grades('requires-improvement'))).toMatchObject({
      responseWorkingDays: 10,
      completionWorkingDays: 40,
      responseRequired: false,
    });
  });

  it('takes the shortest timescales when several triggers are met, listing the overall finding first', () => {
    const found = obligationOf(framework(SHIPPED), grades('requires-improvement', 'good', 'inadequate'));
    expect(found).toEqual({
      findings: [
        { on: 'overall', sectionId: 'overall', grade: 'requires-improvement', worst: false },
        { on: 'section', sectionId: 'risk', grade: 'inadequate', worst: true },
      ],
      responseWorkingDays: 5,
      completionWorkingDays: 20,
      responseRequired: true,
    });
  });

  it('applies a section trigger to the sections it lists only', () => {
    const onRisk: Trigger[] = [
      {
        on: 'section',
        sections: ['risk'],
        grades: ['inadequate'],
        responseWorkingDays: 3,
        completionWorkingDays: 10,
      },
    ];
    expect(obligationOf(framework(onRisk), grades('good', 'inadequate', 'good'))).toBeUndefined();
    expect(obligationOf(framework(onRisk), grades('good', 'good', 'inadequate'))?.findings).toEqual([
      { on: 'section', sectionId: 'risk', grade: 'inadequate', worst: true },
    ]);
  });
});
