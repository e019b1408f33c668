import semver from 'semver';
import { JUDGEMENT_AREA_LABELS } from '../frameworks/labels';
import type { Framework, JudgementArea, Section } from '../frameworks/types';
import type { Distribution, FrameworkOf, Proportion } from './figures';
import type { AnswerCount } from './repository';

/** A yes / no question answered "no" in some audits: a gap in practice the board should see. */
export interface Gap {
  questionId: string;
  text: string;
  /** "No" answers out of yes and no answers (not applicable left out). */
  no: Proportion;
}

export interface SectionThemes {
  frameworkId: string;
  sectionId: string;
  title: string;
  judgementArea: JudgementArea | null;
  /** The questions most often answered "no", worst first. */
  gaps: Gap[];
}

const ENGAGEMENT_KINDS = ['practitioner-conversation', 'family-feedback'] as const;
const SKIPPED_KINDS = new Set<string>(['case-profile', ...ENGAGEMENT_KINDS]);

/** Yes and no answers of each yes / no question, by framework, section and question. */
function yesNo(answers: readonly AnswerCount[]): Map<string, { yes: number; no: number }> {
  const counts = new Map<string, { yes: number; no: number }>();
  for (const a of answers) {
    if (a.answer !== 'yes' && a.answer !== 'no') continue;
    const key = `${a.frameworkId}/${a.sectionId}/${a.questionId}`;
    const count = counts.get(key) ?? { yes: 0, no: 0 };
    count[a.answer] += a.count;
    counts.set(key, count);
  }
  return counts;
}

/** Each framework once (its newest version in the counts), for its sections and questions. */
function frameworksIn(answers: readonly AnswerCount[], frameworkOf: FrameworkOf): Framework[] {
  const newest = new Map<string, string>();
  for (const a of answers)
    if (semver.gt(a.frameworkVersion, newest.get(a.frameworkId) ?? '0.0.0'))
      newest.set(a.frameworkId, a.frameworkVersion);
  return [...newest].map(([id, version]) => frameworkOf(id, version));
}

/**
 * Learning themes: for each section that judges practice, its yes / no questions most often answered
 * "no", worst first (`perSection` of them, only those answered "no" at least once).
 */
export function learningThemes(
  answers: readonly AnswerCount[],
  frameworkOf: FrameworkOf,
  perSection = 3,
): SectionThemes[] {
  const counts = yesNo(answers);
  return frameworksIn(answers, frameworkOf).flatMap((framework) =>
    framework.sections
      .filter((s) => !SKIPPED_KINDS.has(s.kind ?? 'standard'))
      .map((section) => ({
        frameworkId: framework.id,
        sectionId: section.id,
        title: section.title,
        judgementArea: section.judgementArea ?? null,
        gaps: section.questions
          .filter((q) => q.type === 'yes-no-na')
          .map((q): Gap => {
            const c = counts.get(`${framework.id}/${section.id}/${q.id}`) ?? { yes: 0, no: 0 };
            return { questionId: q.id, text: q.text, no: { count: c.no, of: c.yes + c.no } };
          })
          .filter((g) => g.no.count > 0)
          .sort((a, b) => b.no.count / b.no.of - a.no.count / a.no.of || b.no.of - a.no.of)
          .slice(0, perSection),
      })),
  );
}

/** The first yes / no question of a section: "was a conversation held?", "was feedback sought?". */
const firstYesNo = (section: Section | undefined) => section?.questions.find((q) => q.type === 'yes-no-na');

/**
 * How often the auditor spoke with the practitioner, and sought the family's view: the "yes" answers to
 * the first yes / no question of the framework's practitioner-conversation and family-feedback sections,
 * out of yes and no answers.
 */
export function engagement(
  answers: readonly AnswerCount[],
  frameworkOf: FrameworkOf,
): { practitionerConversation: Proportion; familyFeedback: Proportion } {
  const counts = yesNo(answers);
  const rate = (kind: (typeof ENGAGEMENT_KINDS)[number]): Proportion => {
    const total = { count: 0, of: 0 };
    for (const framework of frameworksIn(answers, frameworkOf)) {
      const section = framework.sections.find((s) => s.kind === kind);
      const question = firstYesNo(section);
      if (!section || !question) continue;
      const c = counts.get(`${framework.id}/${section.id}/${question.id}`) ?? { yes: 0, no: 0 };
      total.count += c.yes;
      total.of += c.yes + c.no;
    }
    return total;
  };
  return {
    practitionerConversation: rate('practitioner-conversation'),
    familyFeedback: rate('family-feedback'),
  };
}

/**
 * Inspection readiness: what the audits say about each ILACS judgement area, from the sections that
 * inform it: their grades together, and their gaps.
 */
export function inspectionReadiness(
  sections: readonly { frameworkId: string; sectionId: string; title: string; distribution: Distribution }[],
  themes: readonly SectionThemes[],
  frameworkOf: (id: string) => Framework | undefined,
): {
  area: JudgementArea;
  label: string;
  sections: { title: string; distribution: Distribution; gaps: Gap[] }[];
}[] {
  const areas = new Map<JudgementArea, { title: string; distribution: Distribution; gaps: Gap[] }[]>();
  for (const s of sections) {
    const area = frameworkOf(s.frameworkId)?.sections.find((x) => x.id === s.sectionId)?.judgementArea;
    if (!area) continue;
    const gaps =
      themes.find((t) => t.frameworkId === s.frameworkId && t.sectionId === s.sectionId)?.gaps ?? [];
    areas.set(area, [...(areas.get(area) ?? []), { title: s.title, distribution: s.distribution, gaps }]);
  }
  return (Object.keys(JUDGEMENT_AREA_LABELS) as JudgementArea[])
    .filter((area) => areas.has(area))
    .map((area) => ({ area, label: JUDGEMENT_AREA_LABELS[area], sections: areas.get(area) ?? [] }));
}
