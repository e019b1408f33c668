import { scaleById } from './overall-grade';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { answerLabel, conditionText, gradeLabel, periodText, relevanceText } from './labels';
import { gradingOf } from './blocks';
import { DEFAULT_EVIDENCE_PROMPT } from './normalise';
import { JUDGEMENT_AREA_LABELS } from './labels';
import { YES_NO_NA_LABELS } from './scales';
import { reauditWorkingDays } from './reaudit';
import type { Framework, GradedBlock, Question, QuestionType } from './types';

const TYPE_LABELS: Record<QuestionType, string> = {
  grade: 'Grade',
  'yes-no-na': 'Yes, no or not applicable',
  'yes-no': 'Yes or no',
  'single-choice': 'Choose one',
  'multiple-choice': 'Choose all that apply',
  text: 'Written answer',
  number: 'Number',
  date: 'Date',
};

const JURISDICTION_LABELS: Record<string, string> = {
  england: 'England',
  wales: 'Wales',
  'england-and-wales': 'England and Wales',
};

function descriptorsOf(
  framework: Framework,
  scaleId: string,
  descriptors: Record<string, string> | undefined,
) {
  return scaleById(framework, scaleId)
    .levels.filter((level) => descriptors?.[level.code])
    .map((level) => ({ label: level.label, text: descriptors?.[level.code] as string }));
}

function overallRuleText(framework: Framework): string {
  const { rule, cappedBy = [] } = framework.overall;
  if (rule === 'lowest-section') return 'The overall grade is the lowest of the section grades.';
  if (rule === 'auditor-judgement')
    return 'The overall grade is the auditor’s judgement across the sections.';
  const titles = cappedBy.map((id) => framework.sections.find((s) => s.id === id)?.title ?? id);
  return `The overall grade is the auditor’s judgement, but it cannot be better than the grade for ${titles.join(' or ')}.`;
}

function triggerText(
  framework: Framework,
  trigger: NonNullable<Framework['remediation']>['triggers'][number],
): string {
  const scaleId =
    trigger.on === 'overall'
      ? framework.overall.scale
      : (framework.sections.find((s) => s.id === trigger.sections?.[0])?.scale ?? framework.defaultScale);
  const grades = trigger.grades.map((code) => gradeLabel(framework, scaleId, code)).join(' or ');
  const where =
    trigger.on === 'overall'
      ? 'An overall grade of'
      : trigger.sections
        ? `A grade for ${trigger.sections.map((id) => framework.sections.find((s) => s.id === id)?.title ?? id).join(', ')} of`
        : 'Any section graded';
  return `${where} ${grades}: management response within ${trigger.responseWorkingDays} working days; actions completed within ${trigger.completionWorkingDays} working days.`;
}

/** When the case is audited again after its remediation record closes, in words. */
function reauditText(framework: Framework): string | undefined {
  if (!framework.remediation) return undefined;
  const days = reauditWorkingDays(framework);
  return days === undefined
    ? 'No re-audit is scheduled when a record closes.'
    : `When every action is verified and the record closes, a re-audit of the case is due ${days} working days later.`;
}

/** What the preview page shows: the framework as an auditor will meet it, with its rules in words. */
export function previewOf(framework: Framework) {
  let number = 0;
  return {
    jurisdiction: JURISDICTION_LABELS[framework.jurisdiction],
    caseTypes: framework.caseTypes.map((t) => CASE_TYPE_LABELS[t] ?? t),
    rationaleRequired: framework.rationaleRequired,
    overallRule: overallRuleText(framework),
    overallGuidance: framework.overall.guidance,
    overallDescriptors: descriptorsOf(framework, framework.overall.scale, framework.overall.descriptors),
    triggers: (framework.remediation?.triggers ?? []).map((t) => triggerText(framework, t)),
    reaudit: reauditText(framework),
    safeguardingConcern: framework.safeguardingConcern,
    scales: framework.scales.map((scale) => ({
      id: scale.id,
      label: scale.label,
      description: scale.description,
      levels: scale.levels,
    })),
    period: periodText(framework),
    overallGrading:
      framework.overall.grading === 'none'
        ? 'There is no overall grade.'
        : framework.overall.grading === 'optional'
          ? 'The overall grade is optional.'
          : undefined,
    sections: framework.sections.map((section, s) => ({
      id: section.id,
      number: s + 1,
      title: section.title,
      guidance: section.guidance,
      graded: section.graded,
      judgementArea: section.judgementArea ? JUDGEMENT_AREA_LABELS[section.judgementArea] : undefined,
      scaleLabel: section.scale ? scaleById(framework, section.scale).label : undefined,
      descriptors: section.scale ? descriptorsOf(framework, section.scale, section.descriptors) : [],
      notes: [
        ...blockNotes(framework, section),
        ...(section.partsRule === 'lowest-part'
          ? ['The section’s grade can be no better than its lowest part.']
          : []),
      ],
      questions: section.questions.map((q) => questionView(framework, q, (number += 1))),
      parts: (section.parts ?? []).map((part) => ({
        id: part.id,
        title: part.title,
        guidance: part.guidance,
        notes: blockNotes(framework, part),
        questions: part.questions.map((q) => questionView(framework, q, (number += 1))),
      })),
    })),
  };
}

/** What a section or part says about itself beyond its questions: grading, prompts, when it applies. */
function blockNotes(framework: Framework, block: GradedBlock): string[] {
  const grading = gradingOf(block);
  return [
    grading === 'optional' ? 'The grade is optional.' : undefined,
    grading === 'none' && block.grading ? 'Not graded.' : undefined,
    block.gradePrompt ? `Grade asked as: “${block.gradePrompt}”` : undefined,
    block.rationalePrompt ? `Rationale asked as: “${block.rationalePrompt}”` : undefined,
    block.relevantWhen ? `Only applies when ${conditionText(framework, block.relevantWhen)}.` : undefined,
    block.allowNotApplicable ? 'The auditor may mark it not applicable, saying why.' : undefined,
  ].filter((n): n is string => n !== undefined);
}

/** A question as the preview lists it: its type, answers, limits, relevance, evidence and raised action. */
function questionView(framework: Framework, question: Question, number: number) {
  const raises = question.raisesAction;
  return {
    id: question.id,
    number,
    text: question.text,
    guidance: question.guidance,
    typeLabel: TYPE_LABELS[question.type],
    required: question.required,
    options:
      question.type === 'grade' && question.scale
        ? scaleById(framework, question.scale).levels.map((l) => l.label)
        : question.type === 'yes-no-na'
          ? Object.values(YES_NO_NA_LABELS)
          : question.type === 'yes-no'
            ? ['Yes', 'No']
            : question.options?.map((o) => o.label),
    limits:
      question.type === 'number'
        ? [
            question.integer ? 'whole number' : undefined,
            question.min !== undefined ? `at least ${question.min}` : undefined,
            question.max !== undefined ? `at most ${question.max}` : undefined,
          ]
            .filter(Boolean)
            .join(', ')
        : undefined,
    relevance: relevanceText(framework, question.relevantWhen),
    evidence: question.evidence
      ? `${question.evidencePrompt ?? DEFAULT_EVIDENCE_PROMPT} (${question.evidence})`
      : undefined,
    raisesAction: raises
      ? `Answered ${raises.answers.map((a) => answerLabel(framework, question, a)).join(' or ')}: recommends “${raises.action}” (intended difference: ${raises.difference}) within ${raises.workingDays} working days.`
      : undefined,
  };
}
