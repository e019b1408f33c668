/** The framework format, as described by audit-frameworks/framework.schema.json. */

export const QUESTION_TYPES = [
  'grade',
  'yes-no-na',
  'single-choice',
  'multiple-choice',
  'text',
  'number',
  'date',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const CASE_TYPES = [
  'early-help',
  'child-in-need',
  'child-protection',
  'child-in-care',
  'care-leaver',
  'disabled-children',
  'front-door',
  'youth-justice',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const SECTION_KINDS = [
  'standard',
  'case-profile',
  'practitioner-conversation',
  'family-feedback',
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export const JUDGEMENT_AREAS = [
  'impact-of-leaders',
  'help-and-protection',
  'children-in-care',
  'care-leavers',
  'overall-effectiveness',
] as const;
export type JudgementArea = (typeof JUDGEMENT_AREAS)[number];

export const OVERALL_RULES = ['auditor-judgement', 'lowest-section', 'capped-by-sections'] as const;
export type OverallRule = (typeof OVERALL_RULES)[number];

export type Jurisdiction = 'england' | 'wales' | 'england-and-wales';

export interface Level {
  code: string;
  label: string;
  descriptor?: string;
  score?: number;
  notApplicable?: boolean;
}

export interface Scale {
  id: string;
  label: string;
  description?: string;
  /** Best first. */
  levels: Level[];
}

export interface Condition {
  question: string;
  equals?: string;
  in?: string[];
  includes?: string;
}

export interface Option {
  value: string;
  label: string;
}

/** The imported case fields a question can be pre-filled from. */
export const PREFILL_FIELDS = [
  'caseType',
  'ageYears',
  'disability',
  'legalStatus',
  'categoryOfAbuse',
  'placementType',
  'uasc',
  'missingEpisodes',
  'startDate',
] as const;
export type PrefillField = (typeof PREFILL_FIELDS)[number];

/** Where a question's answer is pre-filled from: an imported case field, its values mapped to answers. */
export interface Prefill {
  from: PrefillField;
  values?: Record<string, string>;
}

export interface Question {
  id: string;
  type: QuestionType;
  text: string;
  guidance?: string;
  required?: boolean;
  options?: Option[];
  scale?: string;
  min?: number;
  max?: number;
  integer?: boolean;
  relevantWhen?: Condition;
  prefill?: Prefill;
}

export interface Section {
  id: string;
  title: string;
  guidance?: string;
  kind?: SectionKind;
  judgementArea?: JudgementArea;
  graded?: boolean;
  scale?: string;
  descriptors?: Record<string, string>;
  questions: Question[];
}

export interface Overall {
  rule: OverallRule;
  scale?: string;
  cappedBy?: string[];
  guidance?: string;
  descriptors?: Record<string, string>;
}

export interface Trigger {
  on: 'overall' | 'section';
  sections?: string[];
  grades: string[];
  responseWorkingDays: number;
  completionWorkingDays: number;
}

/**
 * Whether a closed remediation record schedules a re-audit of the case: true (the default, see
 * reaudit.ts), false (none), or when it is due, in working days after the record closes.
 */
export type Reaudit = boolean | { afterWorkingDays: number };

export interface Remediation {
  triggers: Trigger[];
  reaudit?: Reaudit;
}

export interface FrameworkDocument {
  $schema?: string;
  id: string;
  version: string;
  title: string;
  description: string;
  jurisdiction: Jurisdiction;
  caseTypes: CaseType[];
  scales?: Scale[];
  defaultScale?: string;
  rationaleRequired?: boolean;
  sections: Section[];
  overall: Overall;
  remediation?: Remediation;
  safeguardingConcern?: { question: string; guidance?: string };
}

/**
 * A checked framework with every default made explicit: the scales it uses are all listed (built-in ones
 * included), and each section, question and the overall grade name their scale. This is what is stored,
 * hashed and exported, so a framework means the same thing whatever later versions of the code do.
 */
export interface Framework extends FrameworkDocument {
  scales: Scale[];
  defaultScale: string;
  rationaleRequired: boolean;
  sections: (Section & {
    kind: SectionKind;
    graded: boolean;
    questions: (Question & { required: boolean })[];
  })[];
  overall: Overall & { scale: string };
}

/** A problem with a framework: where (JSON pointer, or row and column for spreadsheets) and what. */
export interface FrameworkProblem {
  pointer: string;
  message: string;
}
