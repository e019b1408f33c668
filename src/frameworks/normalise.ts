import { BUILT_IN_SCALES, DEFAULT_SCALE } from './scales';
import type { Framework, FrameworkDocument, Question, Section } from './types';

/** Drops undefined fields, so that absent stays absent through JSON and spreadsheet round trips. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Makes every default explicit and lists every scale in use (built-in ones included), in a fixed key order.
 * Applying it twice changes nothing.
 */
export function normalise(document: FrameworkDocument): Framework {
  const defaultScale = document.defaultScale ?? DEFAULT_SCALE;
  const used = new Set<string>([defaultScale, document.overall.scale ?? defaultScale]);
  for (const section of document.sections) {
    if (section.graded ?? true) used.add(section.scale ?? defaultScale);
    for (const question of section.questions)
      if (question.type === 'grade') used.add(question.scale ?? defaultScale);
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
      relevantWhen: q.relevantWhen && compact({ ...q.relevantWhen }),
      prefill: q.prefill && compact({ from: q.prefill.from, values: q.prefill.values }),
    });
  const section = (s: Section): Framework['sections'][number] => {
    const graded = s.graded ?? true;
    return compact({
      id: s.id,
      title: s.title,
      kind: s.kind ?? 'standard',
      judgementArea: s.judgementArea,
      graded,
      scale: graded ? (s.scale ?? defaultScale) : undefined,
      guidance: s.guidance,
      descriptors: s.descriptors,
      questions: s.questions.map(question),
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
    overall: compact({ ...document.overall, scale: document.overall.scale ?? defaultScale }),
    remediation: document.remediation,
    safeguardingConcern: document.safeguardingConcern,
  });
}
