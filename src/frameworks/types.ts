/** The framework format, as described by audit-frameworks/framework.schema.json. */

export const QUESTION_TYPES = [
  'grade',
  'yes-no-na',
  'yes-no',
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

/** A condition on an earlier answer: it equals a value, is one of several, or (multiple choice) includes one. */
export interface AnswerCondition {
  question: string;
  equals?: string;
  in?: string[];
  includes?: string;
}

/** The case facts a condition may test, taken from the case list at validation time. */
export const CASE_FACTS = [
  'caseType',
  'ageYears',
  'disability',
  'legalStatus',
  'categoryOfAbuse',
  'placementType',
  'uasc',
  'missingEpisodes',
] as const;
export type CaseFact = (typeof CASE_FACTS)[number];

/**
 * A condition on the case profile: a fact equals a value or is one of several (flags as "yes" / "no"),
 * or a number is at least / at most a bound (age bands). A fact the case list does not hold never matches.
 */
export interface CaseCondition {
  case: CaseFact;
  equals?: string;
  in?: string[];
  atLeast?: number;
  atMost?: number;
}

/** Conditions combine: all of several, any of several, or not one. */
export type Condition =
  AnswerCondition | CaseCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

/**
 * An answer that raises a recommended action. When the question's answer is (or, for multiple choice,
 * includes) one of `answers`, remediation opens an action as it does for a grade trigger.
 */
export interface RaisesAction {
  answers: string[];
  action: string;
  /** The intended difference for the child. */
  difference: string;
  workingDays: number;
}

/** Grading of a section, part or the overall judgement: required (the default), optional, or none at all. */
export type Grading = 'required' | 'optional' | 'none';

export interface Option {
  value: string;
  label: string;
}

/** The imported case fields a question can be pre-filled from: the case facts, and the start date. */
export const PREFILL_FIELDS = [...CASE_FACTS, 'startDate'] as const;
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
  /** A comment or evidence box under the answer: optional, or required once the question is answered. */
  evidence?: 'optional' | 'required';
  /** The evidence box's label, by default "Comments / evidence". */
  evidencePrompt?: string;
  raisesAction?: RaisesAction;
}

/** What a section and a part share: questions, an optional grade, relevance and "not applicable". */
export interface GradedBlock {
  id: string;
  title: string;
  guidance?: string;
  /** false: no grade at all (kept from the first format; same as grading "none"). */
  graded?: boolean;
  /** Overrides graded when present: "optional" lets the auditor leave the grade out. */
  grading?: Grading;
  scale?: string;
  descriptors?: Record<string, string>;
  /** The question asked for the grade, e.g. "Overall, what is the quality of the early help?" */
  gradePrompt?: string;
  /** The label of the rationale box. */
  rationalePrompt?: string;
  /** The block applies only when this holds; otherwise it is skipped and needs no answers. */
  relevantWhen?: Condition;
  /** The auditor may mark the block "not applicable", giving a reason. */
  allowNotApplicable?: boolean;
  questions: Question[];
}

/** A part of a section (1a, 1b…): questions and optionally its own grade. Parts do not nest. */
export type Part = GradedBlock;

/** How a section's grade relates to its parts' grades. */
export const PARTS_RULES = ['auditor-judgement', 'lowest-part'] as const;
export type PartsRule = (typeof PARTS_RULES)[number];

export interface Section extends GradedBlock {
  kind?: SectionKind;
  judgementArea?: JudgementArea;
  parts?: Part[];
  /** With parts: the section's grade is the auditor's judgement (default) or no better than its lowest part. */
  partsRule?: PartsRule;
}

export interface Overall {
  /** Required unless grading is "none". */
  rule?: OverallRule;
  grading?: Grading;
  scale?: string;
  cappedBy?: string[];
  guidance?: string;
  descriptors?: Record<string, string>;
  gradePrompt?: string;
  rationalePrompt?: string;
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
  /** How far back the auditor reads the record, and the period the judgement is on, in months. */
  lookBack?: { recordMonths: number; judgeMonths: number };
  /** The date this version takes effect (YYYY-MM-DD), shown to the auditor. */
  effectiveFrom?: string;
}

/**
 * A section or part as normalised: `graded` always says whether it has a grade; `grading` appears only as
 * "optional" (the grade may be left out), never "required" or "none", which `graded` already says.
 */
export type NormalisedBlock = GradedBlock & {
  graded: boolean;
  grading?: 'optional';
  questions: (Question & { required: boolean })[];
};

/**
 * A checked framework with every default made explicit: the scales it uses are all listed (built-in ones
 * included), and each section, question and the overall grade name their scale. This is what is stored,
 * hashed and exported, so a framework means the same thing whatever later versions of the code do.
 */
export interface Framework extends FrameworkDocument {
  scales: Scale[];
  defaultScale: string;
  rationaleRequired: boolean;
  sections: (NormalisedBlock & Section & { kind: SectionKind; parts?: NormalisedBlock[] })[];
  overall: Overall & { scale: string };
}

/** A problem with a framework: where (JSON pointer, or row and column for spreadsheets) and what. */
export interface FrameworkProblem {
  pointer: string;
  message: string;
}
