import { dateAndTime, longDate } from '../dates';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { answerLabel, conditionText, gradeLabel } from '../frameworks/labels';
import { ABUSE_LABELS, LEGAL_STATUS_LABELS, PLACEMENT_TYPE_LABELS, codeLabel } from '../cases/labels';
import { overallConstraint } from '../frameworks/overall-grade';
import { gradingOf, questionsInOrder } from '../frameworks/blocks';
import { DEFAULT_EVIDENCE_PROMPT } from '../frameworks/normalise';
import type { Framework, GradedBlock } from '../frameworks/types';
import type { FieldError } from '../errors';
import type { PageProblems } from './problems';
import type { AuditRecord, RevisionSummary } from './repository';
import {
  blockNotApplying,
  overallGrading,
  awaitsAnswers,
  isRelevant,
  overallProgress,
  sectionGrades,
  sectionProgress,
  type Answer,
  type AuditResponse,
  type Progress,
} from './response';
import type { AuditDetail } from './service';

const PROGRESS: Record<Progress, { text: string; colour?: string }> = {
  'not-started': { text: 'Not yet started', colour: 'blue' },
  'in-progress': { text: 'In progress', colour: 'light-blue' },
  completed: { text: 'Completed' },
};

const DOES_NOT_APPLY = { text: 'Does not apply', colour: 'grey' };
const WAITING = { text: 'Cannot start yet' };

const yesNo = (value: boolean | null) => (value === null ? undefined : value ? 'Yes' : 'No');

/** The case's imported profile as summary-list rows (blank facts left out). No names: the reference only. */
export function profileRows(audit: AuditRecord): { key: string; value: string }[] {
  const p = audit.profile;
  const rows: [string, string | number | null | undefined][] = [
    ['Case reference', p.caseRef],
    ['Case type', CASE_TYPE_LABELS[p.caseType] ?? p.caseType],
    ['Team', audit.teamName],
    ['Allocated worker', audit.workerName],
    ['Age', p.ageYears === null ? null : `${p.ageYears}`],
    ['Gender', p.gender],
    ['Ethnicity', p.ethnicity],
    ['Disability', p.disability],
    ['Legal status', p.legalStatus && codeLabel(LEGAL_STATUS_LABELS, p.legalStatus, false)],
    ['Category of abuse', p.categoryOfAbuse && codeLabel(ABUSE_LABELS, p.categoryOfAbuse, false)],
    ['Placement type', p.placementType && codeLabel(PLACEMENT_TYPE_LABELS, p.placementType, false)],
    ['Unaccompanied asylum-seeking child', yesNo(p.uasc)],
    ['Missing episodes (last 12 months)', p.missingEpisodes],
    ['Episode started', longDate(p.startDate)],
    ...Object.entries(p.attributes).map(([key, value]): [string, string] => [key, String(value)]),
  ];
  return rows
    .filter(
      (row): row is [string, string | number] => row[1] !== null && row[1] !== undefined && row[1] !== '',
    )
    .map(([key, value]) => ({ key, value: String(value) }));
}

/** Why a form posted after the audit was submitted saved nothing, and what to do instead. */
export function submittedNotice(detail: AuditDetail): string {
  const submitted = detail.revisions.filter((r) => r.status === 'submitted').at(-1);
  const when = submitted?.submittedAt ? ` on ${dateAndTime(submitted.submittedAt)}` : '';
  return `This audit was already submitted${when}, so nothing was changed. This is the submitted audit: to correct it, reopen it with a reason.`;
}

/** Revisions for their table: a content hash is shown by its first 12 characters, the whole on request. */
export function revisionRows(revisions: readonly RevisionSummary[]) {
  return revisions.map((r) => ({ ...r, shortHash: r.contentHash?.slice(0, 12) }));
}

const STAGE: Record<string, string> = {
  queued: 'Waiting for a moderator',
  graded: 'Moderator’s own grades recorded; outcome to agree',
  completed: 'Completed',
};

/** The audit's moderation for admins: each grade as the auditor, the moderator and the outcome have it. */
export function moderationView(detail: AuditDetail) {
  if (!detail.moderation) return undefined;
  const { framework } = detail.framework;
  const { record, grades } = detail.moderation;
  const label = (scale: string, code: string | null | undefined) =>
    code ? gradeLabel(framework, scale, code) : '';
  const items = [
    ...framework.sections
      .filter((s) => s.graded)
      .map((s) => ({ id: s.id, title: s.title, scale: s.scale as string })),
    { id: 'overall', title: 'Overall', scale: framework.overall.scale },
  ];
  return {
    status: STAGE[record.status] ?? record.status,
    moderatorName: record.moderatorName,
    blind: record.blind,
    summary: record.summary,
    rows: items.map((item) => {
      const grade = grades.find((g) => g.sectionId === item.id);
      return {
        title: item.title,
        auditor: label(item.scale, grade?.auditorGrade),
        own: label(item.scale, grade?.moderatorGrade),
        notes: grade?.moderatorNotes ?? '',
        agreed: label(item.scale, grade?.agreedGrade),
        reason: grade?.reason ?? '',
      };
    }),
  };
}

/** The task list: each section with its status, then the overall grade and the check-and-submit step. */
export function taskList(detail: AuditDetail) {
  const { framework } = detail.framework;
  const response = detail.response;
  const base = `/audits/${detail.audit.id}`;
  const sections = framework.sections.map((section) => {
    const why = blockNotApplying(framework, response, section.id);
    if (
      why === 'condition' &&
      section.relevantWhen &&
      awaitsAnswers(framework, response, section.relevantWhen)
    )
      return {
        title: section.title,
        hint: `Asked when ${conditionText(framework, section.relevantWhen)}: answer the earlier sections first`,
        status: WAITING,
        // It does not hold up submission (an answer left out means it does not apply), nor count as done.
        done: true,
        waiting: true,
      };
    if (why === 'condition')
      return {
        title: section.title,
        hint: section.relevantWhen && `Only asked when ${conditionText(framework, section.relevantWhen)}`,
        status: DOES_NOT_APPLY,
        done: true,
      };
    const progress = sectionProgress(framework, section, response);
    const grade = response.sections?.[section.id]?.grade;
    return {
      title: section.title,
      href: `${base}/sections/${section.id}`,
      hint:
        why === 'marked'
          ? 'Marked as not applying'
          : grade && `Graded ${gradeLabel(framework, section.scale ?? framework.defaultScale, grade)}`,
      status: PROGRESS[progress],
      done: progress === 'completed',
    };
  });
  const grading = overallGrading(framework);
  const overall = overallProgress(framework, response);
  const ready = sections.every((s) => s.done) && overall === 'completed';
  const steps = grading === 'none' ? 0 : 1;
  return {
    sections,
    overall:
      grading === 'none'
        ? undefined
        : {
            href: `${base}/overall`,
            hint: grading === 'optional' ? 'Optional' : undefined,
            status: PROGRESS[overall],
          },
    check: {
      href: `${base}/check`,
      status: ready ? { text: 'Ready to submit', colour: 'green' } : { text: 'Cannot start yet' },
    },
    completedCount:
      sections.filter((s) => s.done && !('waiting' in s)).length +
      (steps === 1 && overall === 'completed' ? 1 : 0),
    total: sections.length + steps,
  };
}

function answerText(framework: Framework, questionId: string, answer: Answer | undefined): string {
  const question = questionsInOrder(framework).find((q) => q.id === questionId);
  if (answer === undefined) return '';
  if (Array.isArray(answer)) return answer.map((a) => answerLabel(framework, question, a)).join(', ');
  if (typeof answer === 'object') {
    const grade = answer.grade ? answerLabel(framework, question, answer.grade) : '';
    return [grade, answer.rationale].filter(Boolean).join(': ');
  }
  if (typeof answer === 'number') return String(answer);
  return question?.type === 'date' ? longDate(answer) : answerLabel(framework, question, answer);
}

/** A section's or part's rows for reading: whether it applies, its judgement, answers and evidence. */
function blockRows(framework: Framework, block: GradedBlock, response: AuditResponse) {
  const given = response.sections?.[block.id];
  const why = blockNotApplying(framework, response, block.id);
  if (why === 'condition')
    return [
      {
        key: 'Does not apply',
        value: block.relevantWhen ? `Only asked when ${conditionText(framework, block.relevantWhen)}` : '',
      },
    ];
  if (why === 'marked') return [{ key: 'Does not apply', value: given?.notApplicable?.reason ?? '' }];
  const scale = block.scale ?? framework.defaultScale;
  return [
    ...(gradingOf(block) !== 'none'
      ? [
          { key: 'Grade', value: given?.grade ? gradeLabel(framework, scale, given.grade) : 'Not graded' },
          { key: block.rationalePrompt ?? 'Why this grade', value: given?.rationale ?? '' },
          { key: 'What is working well', value: given?.strengths ?? '' },
          { key: 'Areas for development', value: given?.developments ?? '' },
        ]
      : []),
    ...block.questions
      .filter((q) => isRelevant(framework, response, q))
      .flatMap((q) => [
        { key: q.text, value: answerText(framework, q.id, given?.answers?.[q.id]) },
        ...(q.evidence
          ? [{ key: q.evidencePrompt ?? DEFAULT_EVIDENCE_PROMPT, value: given?.evidence?.[q.id] ?? '' }]
          : []),
      ]),
  ];
}

/**
 * The whole response for reading: each section's grade, rationale, strengths, areas for development and
 * answers, with links to change them (for the auditor) and errors (from a refused submission) beside them.
 */
export function responseSummary(
  framework: Framework,
  response: AuditResponse,
  options: { base?: string; problems?: readonly PageProblems[] } = {},
) {
  const errorsIn = (id: string) =>
    options.problems?.find((p) => p.id === id)?.problems.map((p) => p.message) ?? [];
  const sections = framework.sections.map((section) => {
    const given = response.sections?.[section.id];
    const rows = [
      ...blockRows(framework, section, response),
      ...(section.parts ?? []).flatMap((part) =>
        blockRows(framework, part, response).map((row) => ({ ...row, key: `${part.title}: ${row.key}` })),
      ),
    ];
    const progress = PROGRESS[sectionProgress(framework, section, response)].text;
    return {
      id: section.id,
      title: section.title,
      status:
        section.graded && given?.grade
          ? `${gradeLabel(framework, section.scale as string, given.grade)} (${progress.toLowerCase()})`
          : progress,
      href: options.base && `${options.base}/sections/${section.id}`,
      rows,
      errors: errorsIn(section.id),
    };
  });
  const grades = sectionGrades(response);
  const constraint = overallConstraint(framework, grades);
  return {
    sections,
    overall: {
      href: options.base && `${options.base}/overall`,
      grade: response.overall?.grade
        ? gradeLabel(framework, framework.overall.scale, response.overall.grade)
        : 'Not graded',
      rationale: response.overall?.rationale ?? '',
      explanation: constraint.explanation,
      errors: errorsIn('overall'),
    },
  };
}

/** The address of an audit's page: a section's, or the overall grade's. */
export const pageOf = (base: string, id: string) =>
  id === 'overall' ? `${base}/overall` : `${base}/sections/${id}`;

/**
 * The check page's error summary: each page of the audit that is not complete, with what it needs first,
 * linked to that question on its page (which then shows what is missing); then anything else the
 * submission check refused (a stale page, say), linked to the submit button.
 */
export function errorLinks(base: string, pages: readonly PageProblems[], errors: readonly FieldError[]) {
  const links = pages.map((page) => {
    const [first, ...rest] = page.problems;
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    return {
      field: page.id,
      href: `${pageOf(base, page.id)}?from=check#${first?.target ?? ''}`,
      message: `${page.title} is not complete: ${first?.message ?? ''}${more}`,
    };
  });
  const others = errors
    .filter((e) => !/^\/(sections|overall)(\/|$)/.test(e.field))
    .map((e) => ({ field: 'submit-audit', href: '#submit-audit', message: e.message }));
  return [...links, ...others];
}
