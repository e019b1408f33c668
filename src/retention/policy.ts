import { CASE_TYPE_LABELS } from '../cases/labels';

/**
 * The retention policy as plain data and pure functions: which class each child's record falls in, and the
 * day it falls due for pseudonymisation. Nothing here reads the clock or the database: "today" and the
 * facts of each child are passed in, so every rule can be worked by hand in a test.
 */

/** How a class counts: until a birthday (age), or a number of years after retention runs from (years). */
export type RetentionBasis = 'age' | 'years';

export interface RetentionClass {
  /** A case type, or `adoption`. */
  code: string;
  basis: RetentionBasis;
  /** The birthday kept until (age), or the years kept (years). */
  years: number;
  /** Age basis only: years kept after retention runs from when the list gives no age. */
  unknownAgeYears: number | null;
}

/** The class of children placed for adoption, or freed for it: kept longest, whatever their case type. */
export const ADOPTION = 'adoption';

/** SSDA903 legal statuses that make a record an adoption record: placement order, freeing order. */
export const ADOPTION_LEGAL_STATUSES: readonly string[] = ['E1', 'D1'];
/** SSDA903 placement types that do too: placed for adoption, with consent or under an order. */
export const ADOPTION_PLACEMENT_TYPES: readonly string[] = ['A3', 'A4', 'A5', 'A6'];

/** Every class, in the order pages list them: the case types, then adoption. */
export const CLASS_CODES: readonly string[] = [...Object.keys(CASE_TYPE_LABELS), ADOPTION];

export const classLabel = (code: string): string =>
  code === ADOPTION ? 'Adoption' : (CASE_TYPE_LABELS[code] ?? code);

/**
 * The defaults (also seeded by the migration): children in care and care leavers to the 75th birthday,
 * child protection 35 years, adoption 100 years, every other case type to the 25th birthday. Where the age
 * is unknown, an age class keeps the record as many years as the birthday's number: a child is never
 * older than 0 on the list, so that is never earlier than the birthday itself.
 */
export const DEFAULT_CLASSES: readonly RetentionClass[] = CLASS_CODES.map((code) => {
  if (code === 'child-protection') return { code, basis: 'years', years: 35, unknownAgeYears: null };
  if (code === ADOPTION) return { code, basis: 'years', years: 100, unknownAgeYears: null };
  const years = code === 'child-in-care' || code === 'care-leaver' ? 75 : 25;
  return { code, basis: 'age', years, unknownAgeYears: years };
});

/** One appearance of a child on an imported case list. */
export interface ListEntry {
  caseType: string;
  /** Age in whole years on the list's date, if the list gives it. */
  ageYears: number | null;
  legalStatus: string | null;
  placementType: string | null;
  /** The day the list was imported (YYYY-MM-DD): the day the age was true. */
  listDate: string;
}

/** What retention needs to know about one child (one case reference), across every list they are on. */
export interface ChildFacts {
  caseRef: string;
  entries: readonly ListEntry[];
  /** The latest day anything was recorded in an audit of the child (YYYY-MM-DD), if ever audited. */
  lastAuditDate: string | null;
  /** An audit not yet submitted or cancelled, a moderation or a remediation record still open. */
  openWork: boolean;
}

export interface ChildDue {
  caseRef: string;
  /** The class that keeps the record longest: the one whose due date this is. */
  classCode: string;
  /** The day retention runs from (YYYY-MM-DD). */
  runsFrom: string;
  /** The first day the record may be pseudonymised (YYYY-MM-DD). */
  dueDate: string;
}

/**
 * A day `years` years after (or before, when negative) an ISO date. 29 February in a year that has none
 * becomes 1 March: the later day, so a record is never pseudonymised early.
 */
export function addYears(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const date = new Date(0);
  // 29 February of a common year rolls over to 1 March, which is what is wanted.
  date.setUTCFullYear(year, m - 1, d);
  return date.toISOString().slice(0, 10);
}

const later = (a: string, b: string) => (a > b ? a : b);

/** The class one list entry falls in: adoption by its legal status or placement, otherwise its case type. */
export function classOf(entry: Pick<ListEntry, 'caseType' | 'legalStatus' | 'placementType'>): string {
  if (entry.legalStatus && ADOPTION_LEGAL_STATUSES.includes(entry.legalStatus)) return ADOPTION;
  if (entry.placementType && ADOPTION_PLACEMENT_TYPES.includes(entry.placementType)) return ADOPTION;
  return entry.caseType;
}

/**
 * The day retention runs from: the later of the last list the child is on and the last day anything was
 * recorded in an audit of them. There is no closure date in the data, so the last list the child is on
 * stands for "the case was still open then"; an audit after it keeps the record at least as long again.
 */
export function runsFrom(facts: Pick<ChildFacts, 'entries' | 'lastAuditDate'>): string {
  const lastList = facts.entries.reduce((max, e) => later(max, e.listDate), '0000-01-01');
  return facts.lastAuditDate ? later(lastList, facts.lastAuditDate) : lastList;
}

/**
 * The day one entry's class lets the record go. Years classes: that many years after retention runs from.
 * Age classes: the birthday numbered `years`, for the latest birth date the age on the list allows (a child
 * aged A on day D may have turned A that very day, so their Nth birthday is at the latest D plus N - A
 * years); never before retention runs from; with no age, `unknownAgeYears` after retention runs from.
 */
export function entryDueDate(entry: ListEntry, rule: RetentionClass, from: string): string {
  if (rule.basis === 'years') return addYears(from, rule.years);
  if (entry.ageYears === null || entry.ageYears < 0)
    return addYears(from, rule.unknownAgeYears ?? rule.years);
  return later(addYears(entry.listDate, rule.years - entry.ageYears), from);
}

/**
 * When a child's records fall due: the latest day any of their entries' classes allows (the longest
 * retention wins), or undefined when they cannot fall due (work on them is still open, or they are on no
 * list). A class missing from `classes` counts as its default.
 */
export function childDue(facts: ChildFacts, classes: readonly RetentionClass[]): ChildDue | undefined {
  if (facts.openWork || facts.entries.length === 0) return undefined;
  const from = runsFrom(facts);
  let best: { classCode: string; dueDate: string } | undefined;
  for (const entry of facts.entries) {
    const code = classOf(entry);
    const rule = classes.find((c) => c.code === code) ??
      DEFAULT_CLASSES.find((c) => c.code === code) ?? {
        code,
        basis: 'years',
        years: 100,
        unknownAgeYears: null,
      };
    const dueDate = entryDueDate(entry, rule, from);
    if (!best || dueDate > best.dueDate) best = { classCode: code, dueDate };
  }
  return best && { caseRef: facts.caseRef, runsFrom: from, ...best };
}

/** Whether a child is due on `today`: their due date has come. */
export const isDue = (due: ChildDue | undefined, today: string): due is ChildDue =>
  due !== undefined && due.dueDate <= today;

/** A class in words: "Until the 75th birthday (75 years if the age is unknown)", "35 years". */
export function describeClass(rule: Pick<RetentionClass, 'basis' | 'years' | 'unknownAgeYears'>): string {
  if (rule.basis === 'years') return `${rule.years} years after retention runs from`;
  return `Until the ${ordinal(rule.years)} birthday (${rule.unknownAgeYears ?? rule.years} years after retention runs from if the age is unknown)`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
