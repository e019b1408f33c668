import { overallConstraint, scaleById } from '../frameworks/overall-grade';
import { rankedLevels } from '../frameworks/scales';
import { blocksOf, readsCaseFacts } from '../frameworks/blocks';
import type { Framework, Question } from '../frameworks/types';
import { pruneResponse, sectionGrades, type Answer, type AuditResponse } from '../audits/response';

/** How a made-up audit grades: a rank on the scale (0 = best) for each graded section. */
export type GradePicker = (sectionId: string, levels: number) => number;

/** How a made-up audit answers a yes / no question: "yes" unless it picks otherwise. */
export type YesNoPicker = (questionId: string) => 'yes' | 'no';

function answerFor(framework: Framework, question: Question, grade: GradePicker, yesNo: YesNoPicker): Answer {
  switch (question.type) {
    case 'grade': {
      const levels = rankedLevels(scaleById(framework, question.scale as string));
      const level = levels[Math.min(grade(question.id, levels.length), levels.length - 1)];
      return { grade: level?.code ?? '', rationale: 'Seen on the case file; see the section rationale.' };
    }
    case 'yes-no-na':
    case 'yes-no':
      return yesNo(question.id);
    case 'single-choice':
      return question.options?.[0]?.value ?? '';
    case 'multiple-choice':
      return question.options?.slice(0, 2).map((o) => o.value) ?? [];
    case 'text':
      return 'Recorded in the case file and discussed with the team manager.';
    case 'number':
      return question.min ?? 1;
    case 'date':
      return '2026-10-15';
  }
}

/**
 * A complete response to a framework that passes its submission schema: every question answered (those
 * that turn out not to apply are then dropped), every graded section graded as `grade` picks, and the
 * overall grade as good as the framework's rule allows up to the worst section grade.
 */
export function completeResponse(
  framework: Framework,
  grade: GradePicker,
  yesNo: YesNoPicker = () => 'yes',
): AuditResponse {
  const sections: NonNullable<AuditResponse['sections']> = {};
  const response: AuditResponse = { sections };
  // Parts first, so a section graded by the lowest-part rule is graded no better than its parts.
  const entries = blocksOf(framework);
  for (const { block, grading } of [...entries].sort((x, y) => Number(!x.parentId) - Number(!y.parentId))) {
    const answers = Object.fromEntries(
      block.questions.map((q) => [q.id, answerFor(framework, q, grade, yesNo)] as const),
    );
    const evidence = Object.fromEntries(
      block.questions.filter((q) => q.evidence).map((q) => [q.id, 'Case note of the visit, March.']),
    );
    const given = { answers, ...(Object.keys(evidence).length > 0 ? { evidence } : {}) };
    if (grading === 'none') {
      sections[block.id] = given;
      continue;
    }
    const levels = rankedLevels(scaleById(framework, block.scale ?? framework.defaultScale));
    const parts = 'parts' in block && block.partsRule === 'lowest-part' ? (block.parts ?? []) : [];
    const lowest = Math.max(
      grade(block.id, levels.length),
      ...parts.map((p) => levels.findIndex((l) => l.code === sections[p.id]?.grade)),
    );
    const level = levels[Math.min(lowest, levels.length - 1)];
    sections[block.id] = {
      grade: level?.code,
      rationale: `${level?.label ?? ''}: the evidence on file supports this grade.`,
      strengths: 'Visits are regular and the child’s views are recorded in their own words.',
      developments: 'Plans should say who does what by when.',
      ...given,
    };
  }
  const overallLevels = rankedLevels(scaleById(framework, framework.overall.scale));
  const worst = Math.max(
    0,
    ...Object.values(sectionGrades(response)).map((code) => overallLevels.findIndex((l) => l.code === code)),
  );
  const allowed = overallConstraint(framework, sectionGrades(response)).allowed;
  const wanted = overallLevels[worst]?.code as string;
  if ((framework.overall.grading ?? 'required') !== 'none')
    response.overall = {
      grade: allowed.includes(wanted) ? wanted : allowed[0],
      rationale: 'Taking the sections together, this is the child’s experience of help and protection.',
    };
  if (framework.safeguardingConcern) response.safeguardingConcern = { raised: false };
  // Which blocks a case condition leaves out depends on the case: the audit service prunes by its facts.
  return readsCaseFacts(framework) ? response : pruneResponse(framework, response);
}
