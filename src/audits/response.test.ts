import type { Framework } from '../frameworks/types';
import { missingInSection, overallProgress, pruneResponse, sectionProgress } from './response';

const framework = {
  id: 'f',
  version: '1.0.0',
  title: 'F',
  description: '',
  jurisdiction: 'england',
  caseTypes: ['child-in-need'],
  defaultScale: 'ofsted',
  rationaleRequired: true,
  scales: [
    {
      id: 'ofsted',
      label: 'Ofsted',
      levels: ['outstanding', 'good', 'requires-improvement', 'inadequate'].map((code) => ({
        code,
        label: code,
      })),
    },
  ],
  sections: [
    {
      id: 'risk',
      title: 'Risk',
      kind: 'standard',
      graded: true,
      scale: 'ofsted',
      questions: [
        { id: 'seen', type: 'yes-no-na', text: 'Seen?', required: true },
        {
          id: 'why',
          type: 'text',
          text: 'Why not?',
          required: true,
          relevantWhen: { question: 'seen', equals: 'no' },
        },
        { id: 'note', type: 'text', text: 'Note', required: false },
      ],
    },
  ],
  overall: { rule: 'capped-by-sections', cappedBy: ['risk'], scale: 'ofsted' },
} as Framework;
const risk = framework.sections[0] as Framework['sections'][number];

describe('audit responses', () => {
  it('drops answers to questions that no longer apply, blank answers and empty sections', () => {
    const pruned = pruneResponse(framework, {
      sections: {
        risk: { grade: 'good', rationale: ' ', answers: { seen: 'yes', why: 'left over', note: '' } },
      },
      overall: { grade: '', rationale: '' },
    });
    expect(pruned).toEqual({ sections: { risk: { grade: 'good', answers: { seen: 'yes' } } } });
    expect(pruneResponse(framework, { sections: { risk: { answers: { note: '' } } } })).toEqual({});
  });

  it('says what a section still needs, following relevance', () => {
    expect(missingInSection(framework, risk, {})).toEqual(['grade', 'rationale', 'seen']);
    const answered = { sections: { risk: { grade: 'good', rationale: 'r', answers: { seen: 'no' } } } };
    expect(missingInSection(framework, risk, answered)).toEqual(['why']);
    expect(sectionProgress(framework, risk, answered)).toBe('in-progress');
    expect(sectionProgress(framework, risk, {})).toBe('not-started');
    const done = { sections: { risk: { grade: 'good', rationale: 'r', answers: { seen: 'yes' } } } };
    expect(sectionProgress(framework, risk, done)).toBe('completed');
  });

  it('counts the overall grade complete only within the cap and with a rationale', () => {
    const capped = { sections: { risk: { grade: 'requires-improvement' } } };
    expect(overallProgress(framework, capped)).toBe('not-started');
    expect(overallProgress(framework, { ...capped, overall: { grade: 'good', rationale: 'r' } })).toBe(
      'in-progress',
    );
    expect(
      overallProgress(framework, { ...capped, overall: { grade: 'requires-improvement', rationale: 'r' } }),
    ).toBe('completed');
  });
});
