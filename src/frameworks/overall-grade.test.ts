import { normalise } from './normalise';
import { overallConstraint } from './overall-grade';
import type { FrameworkDocument } from './types';

const base: FrameworkDocument = {
  id: 'f',
  version: '1.0.0',
  title: 'F',
  description: 'D',
  jurisdiction: 'england',
  caseTypes: ['child-in-need'],
  sections: [
    { id: 'profile', title: 'Profile', graded: false, questions: [{ id: 'p1', type: 'text', text: 'x' }] },
    { id: 'assessment', title: 'Assessment', questions: [{ id: 'a1', type: 'text', text: 'x' }] },
    { id: 'risk', title: 'Risk and safety', questions: [{ id: 'r1', type: 'text', text: 'x' }] },
  ],
  overall: { rule: 'auditor-judgement' },
};
const ALL = ['outstanding', 'good', 'requires-improvement', 'inadequate'];
const framework = (overall: FrameworkDocument['overall']) => normalise({ ...base, overall });

describe('overallConstraint', () => {
  it('leaves the auditor free under auditor judgement', () => {
    expect(overallConstraint(framework({ rule: 'auditor-judgement' }), { risk: 'inadequate' })).toEqual({
      allowed: ALL,
    });
  });

  it('caps the overall grade at the worst capping section, and says why', () => {
    const capped = framework({ rule: 'capped-by-sections', cappedBy: ['risk'] });
    expect(overallConstraint(capped, { risk: 'requires-improvement', assessment: 'inadequate' })).toEqual({
      allowed: ['requires-improvement', 'inadequate'],
      explanation:
        'The overall grade cannot be better than Requires improvement to be good because Risk and safety is Requires improvement to be good.',
    });
    expect(overallConstraint(capped, { risk: 'outstanding' })).toEqual({ allowed: ALL });
    expect(overallConstraint(capped, {})).toEqual({ allowed: ALL });
  });

  it('names every section at the cap', () => {
    const capped = framework({ rule: 'capped-by-sections', cappedBy: ['risk', 'assessment'] });
    expect(overallConstraint(capped, { risk: 'good', assessment: 'good' }).explanation).toBe(
      'The overall grade cannot be better than Good because Assessment and Risk and safety is Good.',
    );
  });

  it('makes the overall grade the lowest section grade under lowest-section', () => {
    const lowest = framework({ rule: 'lowest-section' });
    expect(overallConstraint(lowest, { assessment: 'good', risk: 'requires-improvement' })).toEqual({
      allowed: ['requires-improvement'],
      computed: 'requires-improvement',
      explanation:
        'The overall grade is the lowest section grade: Requires improvement to be good, for Risk and safety.',
    });
  });

  it('ignores grades that are not on the scale', () => {
    expect(
      overallConstraint(framework({ rule: 'capped-by-sections', cappedBy: ['risk'] }), { risk: 'excellent' }),
    ).toEqual({
      allowed: ALL,
    });
  });
});
