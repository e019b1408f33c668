import type { AttributeValues, CaseImport } from '../../cases/repository';
import type { FrameworkSummary } from '../../frameworks/service';
import type { CaseType } from '../../frameworks/types';
import type { Field, FieldErrors } from '../../http/form-fields';
import type { FormValues } from '../../http/form-values';
import type { Team } from '../../organisation/types';
import type { User } from '../../users/user';
import type { RoundDraft } from './draft';

/** What the journey's pages look up, each at most once per request. */
export interface Lookups {
  frameworks(): Promise<FrameworkSummary[]>;
  frameworkCaseTypes(id: string, version: string): Promise<CaseType[]>;
  /** Imports that were not refused, newest first. */
  imports(): Promise<CaseImport[]>;
  teams(): Promise<Team[]>;
  attributes(importId: number): Promise<AttributeValues>;
  auditors(): Promise<User[]>;
}

export type Parsed = { change: Partial<RoundDraft> } | { errors: FieldErrors };

/** Shown instead of the question when it cannot be answered yet. */
export interface Blocked {
  text: string;
  href: string;
  linkText: string;
}

/** One page of the round-planning journey: one question, its answer kept in the draft. */
export interface Step {
  slug: string;
  /** The question, short, as the check-answers page lists it. */
  label: string;
  /** The page title (the question). */
  title: string;
  /** Whether the page shows what the plan gives so far. */
  previewed?: boolean;
  /** Not asked for this draft (its answer follows from others). */
  skip?: (draft: RoundDraft) => boolean;
  answered: (draft: RoundDraft) => boolean;
  blocked?: (look: Lookups) => Promise<Blocked | undefined>;
  /** The form values that show the draft's answer. */
  values: (draft: RoundDraft, look: Lookups) => FormValues | Promise<FormValues>;
  fields: (values: FormValues, look: Lookups, draft: RoundDraft) => Field[] | Promise<Field[]>;
  parse: (values: FormValues, look: Lookups, draft: RoundDraft) => Parsed | Promise<Parsed>;
  /** The answer in words, for the check-answers page. */
  summary: (draft: RoundDraft, look: Lookups) => string | Promise<string>;
}

export const checked = (values: FormValues, name: string, value: string): boolean => {
  const v = values[name];
  return Array.isArray(v) ? v.includes(value) : v === value;
};

export const listInWords = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** A refused answer: the field and what to do about it. */
export const invalid = (name: string, message: string): Parsed => ({ errors: { [name]: message } });
