import { gradingOf } from '../frameworks/blocks';
import type { Framework, GradedBlock, Question } from '../frameworks/types';
import { DEFAULT_EVIDENCE_PROMPT } from '../frameworks/normalise';
import type { Field, FieldErrors } from '../http/form-fields';
import { many, one, type FormValues } from '../http/form-values';
import { gradeChoices } from './form';
import type { FrameworkSection, SectionResponse } from './response';

/**
 * Form field names of a block's own fields: a section's are bare (grade, rationale, na…), a part's carry
 * its id (part-1a-grade), so a section's page holds its parts' fields beside its own.
 */
export const blockField = (section: FrameworkSection, block: GradedBlock, name: string) =>
  block.id === section.id ? name : `part-${block.id}-${name}`;

/** The evidence box under an answer. */
export const evidenceField = (questionId: string) => `evidence-${questionId}`;

/** A question's comment or evidence box, when it has one: its prompt as the label, required or optional. */
export function evidenceBox(question: Question, value: string | undefined): Field | undefined {
  if (!question.evidence) return undefined;
  return {
    kind: 'textarea',
    name: evidenceField(question.id),
    label: question.evidencePrompt ?? DEFAULT_EVIDENCE_PROMPT,
    labelSize: 's',
    hint: question.evidence === 'required' ? 'Required once you have answered.' : 'Optional.',
    rows: 3,
    value: value ?? '',
  };
}

/**
 * "This section does not apply" for a block that allows it: a checkbox revealing the reason box (both are
 * in the page without JavaScript, and the server reads them whatever the script did).
 */
export function notApplicableField(
  section: FrameworkSection,
  block: GradedBlock,
  given: SectionResponse | undefined,
): Field | undefined {
  if (!block.allowNotApplicable) return undefined;
  const what = block.id === section.id ? 'section' : 'part';
  return {
    kind: 'checkboxes',
    name: blockField(section, block, 'na'),
    legend: `Does this ${what} apply to this case?`,
    legendSize: 's',
    small: true,
    items: [
      {
        value: 'yes',
        text: `This ${what} does not apply`,
        checked: given?.notApplicable !== undefined,
        conditional: [
          {
            kind: 'textarea',
            name: blockField(section, block, 'na-reason'),
            label: `Why does this ${what} not apply?`,
            hint: 'Nothing else in it needs an answer once you say why.',
            rows: 3,
            value: given?.notApplicable?.reason ?? '',
          },
        ],
      },
    ],
  };
}

/** The fields for a graded block's own judgement: grade, rationale, strengths, areas for development. */
export function judgementFields(
  framework: Framework,
  section: FrameworkSection,
  block: GradedBlock,
  given: SectionResponse | undefined,
): Field[] {
  const grading = gradingOf(block);
  if (grading === 'none') return [];
  const name = (n: string) => blockField(section, block, n);
  const optional = grading === 'optional';
  return [
    {
      kind: 'radios',
      name: name('grade'),
      legend: block.gradePrompt ?? `Grade for ${block.title.toLowerCase()}`,
      legendSize: block.id === section.id ? 'm' : 's',
      hint: [
        optional ? 'Optional.' : undefined,
        'The descriptor under each grade says what it looks like for this section.',
      ]
        .filter(Boolean)
        .join(' '),
      items: gradeChoices(framework, block.scale ?? framework.defaultScale, given?.grade, block.descriptors),
    },
    {
      kind: 'textarea',
      name: name('rationale'),
      label: block.rationalePrompt ?? 'Why this grade',
      labelSize: 's',
      hint: framework.rationaleRequired
        ? 'Give the evidence from the case file that supports the grade.'
        : 'Optional.',
      value: given?.rationale ?? '',
    },
    {
      kind: 'textarea',
      name: name('strengths'),
      label: 'What is working well',
      labelSize: 's',
      hint: 'Optional.',
      value: given?.strengths ?? '',
    },
    {
      kind: 'textarea',
      name: name('developments'),
      label: 'Areas for development',
      labelSize: 's',
      hint: 'Optional.',
      value: given?.developments ?? '',
    },
  ];
}

/** A block's own judgement, "not applicable" mark and evidence from its page's form. */
export function blockExtrasFromForm(
  section: FrameworkSection,
  block: GradedBlock,
  values: FormValues,
  result: SectionResponse,
  errors: FieldErrors,
): void {
  const name = (n: string) => blockField(section, block, n);
  if (gradingOf(block) !== 'none')
    for (const key of ['grade', 'rationale', 'strengths', 'developments'] as const) {
      const value = one(values, name(key));
      if (value) result[key] = value;
    }
  const evidence: Record<string, string> = {};
  for (const question of block.questions) {
    const text = question.evidence ? one(values, evidenceField(question.id)) : '';
    if (text) evidence[question.id] = text;
  }
  if (Object.keys(evidence).length > 0) result.evidence = evidence;
  if (block.allowNotApplicable && many(values, name('na')).includes('yes')) {
    const reason = one(values, name('na-reason'));
    result.notApplicable = { reason };
    if (!reason) errors[name('na-reason')] = `Say why ${block.title.toLowerCase()} does not apply`;
  }
}
