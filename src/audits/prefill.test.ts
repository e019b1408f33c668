import type { Framework, Question } from '../frameworks/types';
import { agreeingWithCaseList, differencesIn, importedAnswer } from './prefill';
import type { CaseProfile } from './repository';

const profile: CaseProfile = {
  caseRef: 'C1',
  caseType: 'child-in-care',
  ageYears: 17,
  gender: null,
  ethnicity: null,
  disability: 'unknown',
  legalStatus: 'C2',
  categoryOfAbuse: null,
  placementType: 'U4',
  uasc: true,
  missingEpisodes: 0,
  startDate: '2025-03-14',
  attributes: {},
};

const choice = (id: string, values: string[], prefill: Question['prefill']): Question => ({
  id,
  type: 'single-choice',
  text: id,
  options: values.map((value) => ({ value, label: value.toUpperCase() })),
  prefill,
});

describe('importedAnswer', () => {
  it.each<[string, Question, unknown]>([
    [
      'a choice, as it is',
      choice('t', ['child-in-care', 'care-leaver'], { from: 'caseType' }),
      'child-in-care',
    ],
    ['a choice the question does not offer', choice('t', ['care-leaver'], { from: 'caseType' }), undefined],
    [
      'a code through the map',
      choice('l', ['care-order', 'section-20'], { from: 'legalStatus', values: { C2: 'care-order' } }),
      'care-order',
    ],
    [
      'a code the map leaves out',
      choice('p', ['kinship'], { from: 'placementType', values: { U1: 'kinship' } }),
      undefined,
    ],
    ['a flag as yes or no', { id: 'u', type: 'yes-no-na', text: 'u', prefill: { from: 'uasc' } }, 'yes'],
    [
      '"unknown" as nothing',
      { id: 'd', type: 'yes-no-na', text: 'd', prefill: { from: 'disability' } },
      undefined,
    ],
    ['a date', { id: 's', type: 'date', text: 's', prefill: { from: 'startDate' } }, '2025-03-14'],
    [
      'a number within its limits',
      { id: 'a', type: 'number', text: 'a', min: 16, max: 25, integer: true, prefill: { from: 'ageYears' } },
      17,
    ],
    [
      'a number outside them',
      { id: 'a', type: 'number', text: 'a', min: 18, prefill: { from: 'ageYears' } },
      undefined,
    ],
    [
      'a multiple choice as a list of one',
      { ...choice('m', ['child-in-care'], { from: 'caseType' }), type: 'multiple-choice' },
      ['child-in-care'],
    ],
    ['a question with no pre-fill', choice('n', ['x'], undefined), undefined],
  ])('gives %s', (_name, question, expected) => {
    expect(importedAnswer(question, profile)).toEqual(expected);
  });
});

describe('differences from the case list', () => {
  const caseType = choice('t', ['child-in-care', 'care-leaver'], { from: 'caseType' });
  const inCare: Question = { id: 'c', type: 'yes-no-na', text: 'c', prefill: { from: 'uasc' } };
  const why: Question = { id: 'w', type: 'text', text: 'w', relevantWhen: { question: 'c', equals: 'yes' } };
  const framework = {
    sections: [{ id: 's', title: 'Profile', questions: [caseType, inCare, why] }],
    scales: [],
  } as unknown as Framework;
  const section = framework.sections[0] as Framework['sections'][number];

  it('are the answers given that the case list contradicts, with a reason once confirmed', () => {
    const response = { sections: { s: { answers: { t: 'care-leaver', c: 'yes' } } } };
    expect(differencesIn(framework, section, response, profile)).toEqual([
      { questionId: 't', questionText: 't', imported: 'CHILD-IN-CARE' },
    ]);
    const confirmed = {
      sections: { s: { answers: { t: 'care-leaver' }, differences: { t: 'Left care.' } } },
    };
    expect(differencesIn(framework, section, confirmed, profile)).toEqual([
      { questionId: 't', questionText: 't', imported: 'CHILD-IN-CARE', reason: 'Left care.' },
    ]);
    expect(differencesIn(framework, section, { sections: { s: { answers: {} } } }, profile)).toEqual([]);
  });

  it('agreeing with the case list answers what it can, leaving a question others depend on alone', () => {
    const response = { sections: { s: { answers: { t: 'care-leaver', c: 'no' } } } };
    expect(agreeingWithCaseList(framework, response, profile).sections?.s?.answers).toEqual({
      t: 'child-in-care',
      c: 'no',
    });
  });
});
