import type { ColumnSpec, SheetSpec } from './formats';

/**
 * How a case list's headers are matched to the fields of a format, however a council's system words them.
 *
 * A column is matched in three tiers, the best first:
 *  1. its own pattern (`ColumnSpec.match`) on the header as it is: every header that matched before still
 *     matches, and wins;
 *  2. the same pattern on the header with its notes in brackets dropped and the sector's abbreviations
 *     spelled out ("CP Plan Start Dt" → "child protection plan start date");
 *  3. word overlap with the column's documented name and its synonyms (`ColumnSpec.aliases`), after
 *     abbreviations, synonyms, plurals and filler words ("of", "the", "child", "name"…), in any order:
 *     "Date CP plan started", "Unique Child ID", "Worker Name (allocated)".
 * Each header feeds at most one field in tiers 2 and 3; ties go to the higher score, then the first header.
 */

/** Lower case, punctuation and runs of spaces made single spaces: "Allocated  Team:" → "allocated team". */
export function normaliseHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Abbreviations used in children's social care, as whole words of a normalised header. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  cp: 'child protection',
  cpp: 'child protection plan',
  cin: 'child in need',
  cla: 'looked after child',
  lac: 'looked after child',
  uasc: 'unaccompanied asylum seeking child',
  dob: 'date of birth',
  no: 'number',
  num: 'number',
  nr: 'number',
  ref: 'reference',
  dt: 'date',
  s47: 'section 47',
  la: 'local authority',
  sw: 'social worker',
  yrs: 'years',
  yr: 'years',
};

/** Words that mean the same for matching (applied after abbreviations, before plurals are dropped). */
const SYNONYMS: Readonly<Record<string, string>> = {
  started: 'start',
  commenced: 'start',
  began: 'start',
  became: 'start',
  entered: 'start',
  ceased: 'end',
  ended: 'end',
  left: 'end',
  finished: 'end',
  disabled: 'disability',
  suitable: 'suitability',
  sex: 'gender',
};

/** Words that say nothing about which field a header is. */
const FILLERS = new Set(
  'a an the of to be been in is has have does do what their from for by on with at s child children young person name current code'.split(
    ' ',
  ),
);

const MATCH_AT_LEAST = 0.7;
const SCORE = { pattern: 3, expandedPattern: 2 } as const;

/** Longer headers are notes, not names: only their start is read for words. */
const WORDS_FROM = 200;

/** The header without anything in brackets (an unclosed bracket runs to the end), in one pass. */
function withoutNotes(header: string): string {
  let out = '';
  let depth = 0;
  for (const ch of header) {
    if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch) && depth > 0) depth -= 1;
    else if (depth === 0) out += ch;
    if (depth > 0) out += ' ';
  }
  return out;
}

/** The header with notes in brackets dropped and abbreviations spelled out, normalised. */
export function expandHeader(header: string, keepNotes = false): string {
  const start = header.slice(0, WORDS_FROM);
  const text = (keepNotes ? start : withoutNotes(start)).replace(/#/g, ' number ');
  return normaliseHeader(text)
    .split(' ')
    .map((word) => ABBREVIATIONS[word] ?? word)
    .join(' ');
}

function stem(word: string): string {
  const w = SYNONYMS[word] ?? word;
  if (w.length > 4 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

/** The words that identify a field: expanded, synonyms and plurals folded, fillers dropped. */
export function headerWords(expanded: string): Set<string> {
  return new Set(
    expanded
      .split(' ')
      .filter((w) => w && !FILLERS.has(w))
      .map(stem),
  );
}

/**
 * Word overlap (shared words over all words), where the list's own topic words ("looked after" on the
 * children-in-care list) count neither for nor against when only one side has them.
 */
function overlap(header: Set<string>, field: Set<string>, context: Set<string>): number {
  let shared = 0;
  let all = 0;
  for (const w of header) {
    if (field.has(w)) shared += 1;
    else if (!context.has(w)) all += 1;
  }
  for (const w of field) if (!header.has(w) && !context.has(w)) all += 1;
  return shared === 0 ? 0 : shared / (shared + all);
}

const fieldWords = new WeakMap<ColumnSpec, Set<string>[]>();
function wordsOf(column: ColumnSpec): Set<string>[] {
  let words = fieldWords.get(column);
  if (!words) {
    words = [column.name, ...(column.aliases ?? [])].map((a) => headerWords(expandHeader(a)));
    fieldWords.set(column, words);
  }
  return words;
}

const contextWords = new WeakMap<SheetSpec, Set<string>>();
function contextOf(spec: SheetSpec): Set<string> {
  let words = contextWords.get(spec);
  if (!words) {
    words = headerWords(expandHeader((spec.context ?? []).join(' ')));
    contextWords.set(spec, words);
  }
  return words;
}

export interface HeaderMatch {
  /** The field's documented name. */
  field: string;
  column: ColumnSpec;
  /** The header as written, and its position. */
  header: string;
  index: number;
  /** 3: its own pattern; 2: its pattern once abbreviations are spelled out; up to 1: word overlap. */
  score: number;
}

interface PreparedHeader {
  normalised: string;
  expanded: string;
  /** Its words without, then with, its notes in brackets. */
  variants: Set<string>[];
}

function prepare(header: string): PreparedHeader {
  const expanded = expandHeader(header);
  return {
    normalised: normaliseHeader(header),
    expanded,
    variants: [headerWords(expanded), headerWords(expandHeader(header, true))],
  };
}

function score(header: PreparedHeader, column: ColumnSpec, spec: SheetSpec): number {
  if (column.match.test(header.normalised)) return SCORE.pattern;
  if (column.match.test(header.expanded)) return SCORE.expandedPattern;
  const context = contextOf(spec);
  let best = 0;
  for (const words of header.variants)
    for (const field of wordsOf(column)) best = Math.max(best, overlap(words, field, context));
  return best >= MATCH_AT_LEAST ? best : 0;
}

/** How well a header fits a column of a sheet (0: not at all). */
export function headerScore(header: string, column: ColumnSpec, spec: SheetSpec): number {
  return score(prepare(header), column, spec);
}

/**
 * Which header feeds which field of a sheet, in the order of the sheet's columns. A column's own pattern
 * takes the first header it fits, as it always has; the other columns then take the remaining headers by best
 * score, the first header winning a tie, each header going to one field at most.
 */
export function matchHeaders(headers: readonly string[], spec: SheetSpec): HeaderMatch[] {
  const found = new Map<ColumnSpec, HeaderMatch>();
  const taken = new Set<number>();
  const prepared = headers.map(prepare);
  for (const column of spec.columns) {
    const index = prepared.findIndex((h) => column.match.test(h.normalised));
    if (index < 0) continue;
    found.set(column, {
      field: column.name,
      column,
      header: headers[index] as string,
      index,
      score: SCORE.pattern,
    });
    taken.add(index);
  }
  const candidates: HeaderMatch[] = [];
  spec.columns.forEach((column) => {
    if (found.has(column)) return;
    headers.forEach((header, index) => {
      if (taken.has(index) || !header.trim()) return;
      const fit = score(prepared[index] as PreparedHeader, column, spec);
      if (fit > 0) candidates.push({ field: column.name, column, header, index, score: fit });
    });
  });
  const order = new Map(spec.columns.map((c, i) => [c, i]));
  candidates.sort(
    (a, b) =>
      b.score - a.score || a.index - b.index || (order.get(a.column) ?? 0) - (order.get(b.column) ?? 0),
  );
  for (const candidate of candidates) {
    if (found.has(candidate.column) || taken.has(candidate.index)) continue;
    found.set(candidate.column, candidate);
    taken.add(candidate.index);
  }
  return spec.columns.flatMap((c) => {
    const match = found.get(c);
    return match ? [match] : [];
  });
}
