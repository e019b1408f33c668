import semver from 'semver';
import type { Framework } from '../frameworks/types';

/**
 * The columns of an export of audit results: a fixed set describing each audit, then the framework's own
 * structure (docs/exports.md). Pure: a framework's versions in, columns out; an audit in, its cells out.
 */

/**
 * The layout of the file, written in every row's `export_schema` column. Raise it whenever a fixed column
 * is added, removed, renamed or moved, a framework column's name or place is worked out differently, or a
 * value is written in another form; docs/exports.md describes each version.
 */
export const EXPORT_SCHEMA = '1';

/** A cell: text (neutralised as it is written), a number, or empty. */
export type Cell = string | number | null;

/** One submitted audit as the export reads it: its latest submitted revision. */
export interface ExportAudit {
  auditId: number;
  caseRef: string;
  team: string;
  caseType: string;
  /** The round's name; null for a re-audit, which belongs to a remediation record rather than a round. */
  round: string | null;
  frameworkId: string;
  frameworkVersion: string;
  /** The UK date it was submitted (YYYY-MM-DD). */
  submittedOn: string;
  /** Whether a moderation of this revision was completed. */
  moderated: boolean;
  /** Grades by section id (and `overall`): those agreed at moderation where moderated, else the auditor's. */
  grades: Readonly<Record<string, string>>;
  /** The auditor's own overall grade, before any moderation. */
  auditorOverallGrade: string | null;
  /** Answers by section id and question id, as the response holds them. */
  answers: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface Column {
  /** The heading: stable, written in the header row. */
  key: string;
  /** What the column holds, in words (the workbook's Columns sheet). */
  description: string;
  value(audit: ExportAudit): Cell;
}

/**
 * An answer as a cell: text as given, a list joined with "; ", true and false as yes and no, a number as a
 * number, anything else (a graded question's grade and rationale) as JSON.
 */
export function answerCell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map((item) => String(answerCell(item) ?? '')).join('; ');
  return JSON.stringify(value);
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** The columns every export starts with, in this order. */
export const FIXED_COLUMNS: readonly Column[] = [
  {
    key: 'export_schema',
    description: `The layout of this file: ${EXPORT_SCHEMA}`,
    value: () => EXPORT_SCHEMA,
  },
  { key: 'audit_id', description: 'The audit’s number in Case Audit', value: (a) => a.auditId },
  { key: 'case_reference', description: 'The case reference', value: (a) => a.caseRef },
  { key: 'team', description: 'The case’s team', value: (a) => a.team },
  { key: 'case_type', description: 'The case type (its code)', value: (a) => a.caseType },
  {
    key: 'round',
    description: 'The audit round, or "Re-audit" for a re-audit after remediation',
    value: (a) => a.round ?? 'Re-audit',
  },
  { key: 'framework_id', description: 'The framework', value: (a) => a.frameworkId },
  {
    key: 'framework_version',
    description: 'The framework version the audit was made with',
    value: (a) => a.frameworkVersion,
  },
  { key: 'submitted_on', description: 'The day it was submitted (UK)', value: (a) => a.submittedOn },
  {
    key: 'moderated',
    description: 'yes when a moderation of it was completed',
    value: (a) => yesNo(a.moderated),
  },
  {
    key: 'overall_grade',
    description: 'The overall grade: agreed at moderation, else the auditor’s',
    value: (a) => a.grades.overall ?? null,
  },
  {
    key: 'auditor_overall_grade',
    description: 'The auditor’s own overall grade',
    value: (a) => a.auditorOverallGrade,
  },
];

/** The framework's own columns of one version, in its order: each graded section's grade, then its questions. */
function versionColumns(framework: Framework): Column[] {
  return framework.sections.flatMap((section) => [
    ...(section.graded
      ? [
          {
            key: `section_grade:${section.id}`,
            description: `${section.title}: grade (agreed at moderation, else the auditor’s)`,
            value: (a: ExportAudit) => a.grades[section.id] ?? null,
          },
        ]
      : []),
    // A part's answers follow its section's own, under the part's id.
    ...[section, ...(section.parts ?? [])].flatMap((block) =>
      block.questions.map((question) => ({
        key: `answer:${block.id}:${question.id}`,
        description: `${block.title}: ${question.text}`,
        value: (a: ExportAudit) => answerCell(a.answers[block.id]?.[question.id]),
      })),
    ),
  ]);
}

/**
 * Every column of an export of these versions of one framework: the fixed columns, then the newest
 * version's columns in its order, then those only older versions had (newer versions' first, each in its
 * own order). The same versions give the same columns, whichever audits the file holds.
 */
export function exportColumns(versions: readonly Framework[]): Column[] {
  const newestFirst = [...versions].sort((a, b) => semver.rcompare(a.version, b.version));
  const columns = new Map<string, Column>();
  for (const framework of newestFirst)
    for (const column of versionColumns(framework))
      if (!columns.has(column.key)) columns.set(column.key, column);
  return [...FIXED_COLUMNS, ...columns.values()];
}

/** An audit's row: a cell for each column. */
export function cellsOf(audit: ExportAudit, columns: readonly Column[]): Cell[] {
  return columns.map((column) => column.value(audit));
}
