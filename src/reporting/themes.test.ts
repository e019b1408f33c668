import type { Framework } from '../frameworks/types';
import { engagement, learningThemes } from './themes';
import type { AnswerCount } from './repository';

/** A small framework: one practice section with three yes / no questions, and the two engagement sections. */
const FRAMEWORK = {
  id: 'f',
  version: '1.0.0',
  sections: [
    {
      id: 'visits',
      title: 'Visits',
      judgementArea: 'help-and-protection',
      questions: [
        { id: 'seen', type: 'yes-no-na', text: 'Was the child seen alone?' },
        { id: 'recorded', type: 'yes-no-na', text: 'Was the visit recorded within 24 hours?' },
        { id: 'plan', type: 'yes-no-na', text: 'Did the visit follow the plan?' },
        { id: 'notes', type: 'text', text: 'Notes' },
      ],
    },
    {
      id: 'pc',
      title: 'Practitioner',
      kind: 'practitioner-conversation',
      questions: [{ id: 'held', type: 'yes-no-na', text: 'Held?' }],
    },
    {
      id: 'ff',
      title: 'Family',
      kind: 'family-feedback',
      questions: [{ id: 'sought', type: 'yes-no-na', text: 'Sought?' }],
    },
  ],
} as unknown as Framework;

const count = (sectionId: string, questionId: string, answer: string, n: number): AnswerCount => ({
  frameworkId: 'f',
  frameworkVersion: '1.0.0',
  sectionId,
  questionId,
  answer,
  count: n,
});

const ANSWERS = [
  // Seen alone: 2 no of 10 (20%). Recorded: 6 no of 8, 2 not applicable (75%). Plan: never no.
  count('visits', 'seen', 'yes', 8),
  count('visits', 'seen', 'no', 2),
  count('visits', 'recorded', 'yes', 2),
  count('visits', 'recorded', 'no', 6),
  count('visits', 'recorded', 'na', 2),
  count('visits', 'plan', 'yes', 10),
  count('pc', 'held', 'yes', 7),
  count('pc', 'held', 'no', 3),
  count('ff', 'sought', 'yes', 4),
  count('ff', 'sought', 'na', 6),
];

describe('learning themes', () => {
  it('list each section’s questions most often answered no, worst first, leaving out not applicable', () => {
    const [visits, ...rest] = learningThemes(ANSWERS, () => FRAMEWORK);
    expect(rest).toEqual([]);
    expect(visits?.gaps).toEqual([
      { questionId: 'recorded', text: 'Was the visit recorded within 24 hours?', no: { count: 6, of: 8 } },
      { questionId: 'seen', text: 'Was the child seen alone?', no: { count: 2, of: 10 } },
    ]);
  });

  it('keep the number asked for', () => {
    expect(learningThemes(ANSWERS, () => FRAMEWORK, 1)[0]?.gaps.map((g) => g.questionId)).toEqual([
      'recorded',
    ]);
  });
});

describe('engagement', () => {
  it('counts yes answers to the first question of the practitioner and family sections', () => {
    expect(engagement(ANSWERS, () => FRAMEWORK)).toEqual({
      practitionerConversation: { count: 7, of: 10 },
      familyFeedback: { count: 4, of: 4 },
    });
  });
});
