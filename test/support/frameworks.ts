import type { FrameworkDocument } from '../../src/frameworks/types';

/** A small framework that uses every question type, relevance conditions, a cap and remediation. */
export function sampleFramework(overrides: Partial<FrameworkDocument> = {}): FrameworkDocument {
  return {
    id: 'sample-audit',
    version: '1.0.0',
    title: 'Sample audit',
    description: 'A small framework for tests.',
    jurisdiction: 'england',
    caseTypes: ['child-in-need', 'child-in-care'],
    sections: [
      {
        id: 'profile',
        title: 'Case profile',
        kind: 'case-profile',
        graded: false,
        questions: [
          { id: 'in-care', type: 'yes-no-na', text: 'Is the child in care?' },
          {
            id: 'placement',
            type: 'single-choice',
            text: 'What kind of placement?',
            options: [
              { value: 'foster', label: 'Foster care' },
              { value: 'residential', label: "Children's home" },
            ],
            relevantWhen: { question: 'in-care', equals: 'yes' },
          },
          { id: 'notes', type: 'text', text: 'Anything else?', required: false },
        ],
      },
      {
        id: 'assessment',
        title: 'Assessment and analysis',
        judgementArea: 'help-and-protection',
        descriptors: { good: 'Thorough and current.', inadequate: 'Missing or out of date.' },
        questions: [
          { id: 'seen-alone', type: 'yes-no-na', text: 'Was the child seen alone?' },
          { id: 'quality', type: 'grade', text: 'How good is the analysis?' },
          {
            id: 'agencies',
            type: 'multiple-choice',
            text: 'Which agencies contributed?',
            options: [
              { value: 'health', label: 'Health' },
              { value: 'school', label: 'School' },
              { value: 'police', label: 'Police' },
            ],
          },
          {
            id: 'police-detail',
            type: 'text',
            text: 'What did the police add?',
            relevantWhen: { question: 'agencies', includes: 'police' },
          },
          {
            id: 'visits',
            type: 'number',
            text: 'How many visits in the last 3 months?',
            min: 0,
            max: 50,
            integer: true,
          },
          { id: 'completed', type: 'date', text: 'When was the assessment completed?', required: false },
        ],
      },
      {
        id: 'risk',
        title: 'Risk and safety',
        questions: [
          { id: 'risk-analysis', type: 'text', text: 'How well is risk understood?' },
          {
            id: 'why-not-alone',
            type: 'text',
            text: 'Why was the child not seen alone?',
            relevantWhen: { question: 'seen-alone', equals: 'no' },
          },
        ],
      },
    ],
    overall: { rule: 'capped-by-sections', cappedBy: ['risk'] },
    remediation: {
      triggers: [
        { on: 'overall', grades: ['inadequate'], responseWorkingDays: 5, completionWorkingDays: 20 },
      ],
    },
    safeguardingConcern: { question: 'Is the child at immediate risk?' },
    ...overrides,
  };
}

/** A complete, valid submission for sampleFramework(). */
export function completeResponse(): Record<string, unknown> {
  return {
    sections: {
      profile: { answers: { 'in-care': 'yes', placement: 'foster' } },
      assessment: {
        grade: 'good',
        rationale: 'Thorough assessment, updated after each incident.',
        strengths: 'Clear analysis.',
        answers: {
          'seen-alone': 'yes',
          quality: { grade: 'good', rationale: 'Analysis weighs history and current risk.' },
          agencies: ['health', 'school'],
          visits: 6,
          completed: '2026-10-01',
        },
      },
      risk: {
        grade: 'good',
        rationale: 'Risks named and managed.',
        answers: { 'risk-analysis': 'Well understood.' },
      },
    },
    overall: { grade: 'good', rationale: 'Good practice across the file.' },
    safeguardingConcern: { raised: false },
  };
}
