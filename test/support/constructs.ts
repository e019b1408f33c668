import type { FrameworkDocument } from '../../src/frameworks/types';

/** A small framework using every newer construct: agencies asked about, sections that apply or not, parts. */
export const constructsFramework = (): FrameworkDocument => ({
  id: 'constructs',
  version: '1.0.0',
  title: 'Constructs',
  description: 'Every newer construct of the format.',
  jurisdiction: 'england',
  caseTypes: ['child-in-need'],
  lookBack: { recordMonths: 12, judgeMonths: 6 },
  effectiveFrom: '2027-01-01',
  sections: [
    {
      id: 'profile',
      title: 'Agencies',
      grading: 'none',
      questions: [
        { id: 'police', type: 'yes-no', text: 'Were the police involved?' },
        { id: 'school', type: 'yes-no', text: 'Was a school involved?' },
      ],
    },
    {
      id: 'police-work',
      title: 'Police',
      relevantWhen: { question: 'police', equals: 'yes' },
      questions: [
        {
          id: 'police-shared',
          type: 'yes-no',
          text: 'Did the police share information?',
          evidence: 'required',
          raisesAction: { answers: ['no'], action: 'Share', difference: 'Safer', workingDays: 10 },
        },
      ],
    },
    {
      id: 'education',
      title: 'Education',
      allowNotApplicable: true,
      grading: 'optional',
      relevantWhen: {
        all: [
          { question: 'school', equals: 'yes' },
          { case: 'ageYears', atLeast: 5 },
        ],
      },
      questions: [
        { id: 'attendance', type: 'yes-no-na', text: 'Was attendance followed up?', evidence: 'optional' },
      ],
    },
    {
      id: 'help',
      title: 'Help and protection',
      partsRule: 'lowest-part',
      questions: [{ id: 'help-q', type: 'text', text: 'What stands out?', required: false }],
      parts: [
        {
          id: 'early',
          title: 'Early help',
          questions: [{ id: 'early-q', type: 'text', text: 'What help?' }],
        },
        {
          id: 'plan',
          title: 'Plan',
          grading: 'none',
          questions: [{ id: 'plan-q', type: 'yes-no', text: 'A plan?' }],
        },
      ],
    },
  ],
  overall: { rule: 'lowest-section', grading: 'optional' },
});
