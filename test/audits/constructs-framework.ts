import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { Services } from '../../src/services';
import { normalise } from '../../src/frameworks/normalise';
import type { Framework, FrameworkDocument } from '../../src/frameworks/types';

/**
 * A framework using the newer constructs, written inline: a section that applies only to children in care
 * aged 10 or more, one the auditor may mark not applicable, a section with parts (lowest-part rule, one
 * part optional, one applying only on an answer), evidence boxes, yes / no questions, an answer that raises
 * an action, an optional overall grade, look-back and effective date.
 */
export const CONSTRUCTS_DOCUMENT: FrameworkDocument = {
  id: 'constructs-test',
  version: '1.0.0',
  title: 'Constructs test framework',
  description: 'Every newer construct, for tests.',
  jurisdiction: 'england',
  caseTypes: ['child-in-need', 'child-protection', 'child-in-care'],
  rationaleRequired: false,
  lookBack: { recordMonths: 12, judgeMonths: 6 },
  effectiveFrom: '2027-01-01',
  sections: [
    {
      id: 'visits',
      title: 'Visits',
      allowNotApplicable: true,
      gradePrompt: 'How good were the visits?',
      rationalePrompt: 'What shows it',
      questions: [
        {
          id: 'seen-alone',
          type: 'yes-no',
          text: 'Was the child seen alone?',
          required: true,
          evidence: 'required',
          evidencePrompt: 'Where in the record',
          raisesAction: {
            answers: ['no'],
            action: 'See the child alone within the next visit.',
            difference: 'The child can say what life is like without an adult present.',
            workingDays: 10,
          },
        },
      ],
    },
    {
      id: 'care',
      title: 'Care planning',
      relevantWhen: {
        all: [
          { case: 'caseType', equals: 'child-in-care' },
          { case: 'ageYears', atLeast: 10 },
        ],
      },
      questions: [{ id: 'plan', type: 'yes-no', text: 'Is there a care plan?', required: true }],
    },
    {
      id: 'practice',
      title: 'Practice',
      partsRule: 'lowest-part',
      questions: [{ id: 'police', type: 'yes-no', text: 'Were the police involved?', required: true }],
      parts: [
        {
          id: 'practice-a',
          title: '3a Assessment',
          questions: [
            {
              id: 'assessed',
              type: 'yes-no',
              text: 'Assessed on time?',
              required: true,
              evidence: 'optional',
            },
          ],
        },
        {
          id: 'practice-b',
          title: '3b Joint working',
          grading: 'optional',
          relevantWhen: { question: 'police', equals: 'yes' },
          questions: [{ id: 'strategy', type: 'yes-no', text: 'Strategy meeting held?', required: true }],
        },
      ],
    },
  ],
  overall: {
    rule: 'auditor-judgement',
    grading: 'optional',
    gradePrompt: 'Overall, how good is the practice?',
  },
};

export const constructsFramework = (changes: Partial<FrameworkDocument> = {}): Framework =>
  normalise({ ...CONSTRUCTS_DOCUMENT, ...changes });

/** Loads the framework as an upload would, so rounds can use it. */
export async function loadConstructsFramework(services: Services): Promise<void> {
  const data = Buffer.from(JSON.stringify(CONSTRUCTS_DOCUMENT));
  const loaded = await services.frameworks.load(data, 'constructs.json', 'upload', SYSTEM_ACTOR);
  if (loaded.outcome !== 'created') throw new Error(`the test framework did not load: ${loaded.outcome}`);
}
