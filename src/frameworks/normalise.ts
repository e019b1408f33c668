import { gradingOf } from './blocks';
import { isAnswerCondition, isCaseCondition } from './conditions';
import { BUILT_IN_SCALES, DEFAULT_SCALE } from './scales';
import type {
  Condition,
  Framework,
  FrameworkDocument,
  GradedBlock,
  NormalisedBlock,
  Overall,
  Question,
  Section,
} from './types';

export const DEFAULT_EVIDENCE_PROMPT = 'Comments / evidence';

/** Drops undefined fields, so that absent stays absent through JSON and spreadsheet round trips. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A condition with only the fields of its kind, nested conditions likewise. */
function condition(c: Condition): Condition {
  if ('all' in c) return { all: c.all.map(condition) };
  if ('any' in c) return { any: c.any.map(condition) };
  if ('not' in c) return { not: condition(c.not) };
  if (isCaseCondition(c))
    return compact({ case: c.case, equals: c.equals, in: c.in, atLeast: c.atLeast, atMost: c.atMost });
  return isAnswerCondition(c) ? compact({ ...c }) : c;
}

/**
 * The grading of a block in the normalised form: `graded` always (false: no grade), and `grading` only when
 * it says more than `graded` does, that is "optional". Documents written with graded or grading normalise
 * alike, and a document without the new fields normalises exactly as before.
 */
function blockGrading(block: GradedBlock): { graded: boolean; grading?: 'optional' } {
  const grading = gradingOf(block);
  return { graded: grading !== 'none', grading: grading === 'optional' ? 'optional' : undefined };
}

/** The overall grading in the normalised form: absent when required (the default). */
const overallGrading = (overall: Overall) => (overall.grading === 'required' ? undefined : overall.grading);

/**
 * Makes every default explicit and lists every scale in use (built-in ones included), in a fixed key order.
 * Defaults of the newer fields (parts, evidence, grading) are made explicit only where a document uses
 * them, so a document without them normalises (and hashes) exactly as before. Applying it twice changes
 * nothing.
 */
export function normalise(document: FrameworkDocument): Framework {
  const defaultScale = document.defaultScale ?? DEFAULT_SCALE;
  const used = new Set<string>([defaultScale, document.overall.scale ?? defaultScale]);
  for (const section of document.sections) {
    for (const block of [section, ...(section.parts ?? [])]) {
      if (gradingOf(block) !== 'none') used.add(block.scale ?? defaultScale);
      for (const question of block.questions)
        if (question.type === 'grade') used.add(question.scale ?? defaultScale);
    }
  }
  const own = document.scales ?? [];
  const ownIds = new Set(own.map((scale) => scale.id));
  const builtIns = BUILT_IN_SCALES.filter((scale) => used.has(scale.id) && !ownIds.has(scale.id));

  const question = (q: Question): Question & { required: boolean } =>
    compact({
      id: q.id,
      type: q.type,
      text: q.text,
      guidance: q.guidance,
      required: q.required ?? true,
      scale: q.type === 'grade' ? (q.scale ?? defaultScale) : undefined,
      options: q.options?.map((o) => ({ value: o.value, label: o.label })),
      min: q.min,
      max: q.max,
      integer: q.integer,
      relevantWhen: q.relevantWhen && condition(q.relevantWhen),
      prefill: q.prefill && compact({ from: q.prefill.from, values: q.prefill.values }),
      evidence: q.evidence,
      evidencePrompt: q.evidence ? (q.evidencePrompt ?? DEFAULT_EVIDENCE_PROMPT) : q.evidencePrompt,
      raisesAction: q.raisesAction && {
        answers: q.raisesAction.answers,
        action: q.raisesAction.action,
        difference: q.raisesAction.difference,
        workingDays: q.raisesAction.workingDays,
      },
    });
  const block = (b: GradedBlock): NormalisedBlock => {
    const grading = blockGrading(b);
    return compact({
      id: b.id,
      title: b.title,
      ...grading,
      scale: grading.graded ? (b.scale ?? defaultScale) : undefined,
      guidance: b.guidance,
      descriptors: b.descriptors,
      gradePrompt: b.gradePrompt,
      rationalePrompt: b.rationalePrompt,
      relevantWhen: b.relevantWhen && condition(b.relevantWhen),
      allowNotApplicable: b.allowNotApplicable || undefined,
      questions: b.questions.map(question),
    });
  };
  const section = (s: Section): Framework['sections'][number] => {
    const { id, title, ...rest } = block(s);
    return compact({
      id,
      title,
      kind: s.kind ?? 'standard',
      judgementArea: s.judgementArea,
      ...rest,
      parts: s.parts?.map(block),
      partsRule: s.parts ? (s.partsRule ?? 'auditor-judgement') : s.partsRule,
    });
  };

  return compact({
    id: document.id,
    version: document.version,
    title: document.title,
    description: document.description,
    jurisdiction: document.jurisdiction,
    caseTypes: document.caseTypes,
    defaultScale,
    rationaleRequired: document.rationaleRequired ?? true,
    scales: [...own, ...builtIns].map((scale) =>
      compact({ ...scale, levels: scale.levels.map((level) => compact({ ...level })) }),
    ),
    sections: document.sections.map(section),
    overall: compact({
      ...document.overall,
      grading: overallGrading(document.overall),
      scale: document.overall.scale ?? defaultScale,
    }),
    remediation: document.remediation,
    safeguardingConcern: document.safeguardingConcern,
    lookBack: document.lookBack && {
      recordMonths: document.lookBack.recordMonths,
      judgeMonths: document.lookBack.judgeMonths,
    },
    effectiveFrom: document.effectiveFrom,
  });
}
