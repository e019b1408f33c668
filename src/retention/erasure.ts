/**
 * What pseudonymisation does to a child's case content, as pure functions over plain data: free text is
 * replaced by a marker, while grades, yes/no answers, choices and numbers stay, so that statistics built on
 * them stay honest; a case reference anywhere in an audit event's summary becomes the pseudonym.
 */

/** What erased free text reads as, wherever it was. */
export const ERASED = '[erased under the retention policy]';

/** Pseudonyms start with this: a child whose reference does has been pseudonymised already. */
export const PSEUDONYM_PREFIX = 'erased-';

export const isPseudonym = (caseRef: string): boolean => caseRef.startsWith(PSEUDONYM_PREFIX);

/** Free text that is there, as the marker; nothing stays nothing. */
export const erasedText = <T extends string | null | undefined>(text: T): T | typeof ERASED =>
  typeof text === 'string' && text !== '' ? ERASED : text;

/** Answers whose string is a code counted in statistics, kept even where the question's type is unknown. */
const CODES = new Set(['yes', 'no', 'na']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The free-text fields of a section response (rationale, strengths, areas to develop). */
const SECTION_TEXT = ['rationale', 'strengths', 'developments'];

/**
 * An answer with its free text erased. `type` is the question's type in the framework, when known: text
 * and date answers are erased (a date on a child's file is about the child); a grade answer keeps its grade
 * and loses its rationale; yes/no, choices and numbers stay. With no type known, any string but a yes/no
 * code is erased, as it may be free text.
 */
export function erasedAnswer(answer: Json, type: string | undefined): Json {
  if (isObject(answer))
    return {
      ...answer,
      ...('rationale' in answer ? { rationale: erasedText(answer.rationale as string) } : {}),
    };
  if (typeof answer !== 'string') return answer;
  if (type === 'text' || type === 'date') return erasedText(answer);
  if (type !== undefined) return answer;
  return CODES.has(answer) ? answer : erasedText(answer);
}

/**
 * An audit response with its free text erased and its shape kept: each section's rationale, strengths and
 * areas to develop, the reasons given for differences from the case list, free-text and date answers, the
 * overall rationale and the safeguarding concern's details. `questionTypes` maps question ids to their
 * type in the response's framework.
 */
export function erasedResponse(response: unknown, questionTypes: ReadonlyMap<string, string>): unknown {
  if (!isObject(response)) return response;
  const result: JsonObject = { ...response };
  if (isObject(response.sections)) {
    const sections: JsonObject = {};
    for (const [id, section] of Object.entries(response.sections)) {
      if (!isObject(section)) {
        sections[id] = section;
        continue;
      }
      const erased: JsonObject = { ...section };
      for (const key of SECTION_TEXT) if (key in section) erased[key] = erasedText(section[key] as string);
      if (isObject(section.answers))
        erased.answers = Object.fromEntries(
          Object.entries(section.answers).map(([q, a]) => [q, erasedAnswer(a, questionTypes.get(q))]),
        );
      if (isObject(section.differences))
        erased.differences = Object.fromEntries(
          Object.entries(section.differences).map(([q, why]) => [q, erasedText(why as string)]),
        );
      sections[id] = erased;
    }
    result.sections = sections;
  }
  if (isObject(response.overall) && 'rationale' in response.overall)
    result.overall = { ...response.overall, rationale: erasedText(response.overall.rationale as string) };
  if (isObject(response.safeguardingConcern) && 'details' in response.safeguardingConcern)
    result.safeguardingConcern = {
      ...response.safeguardingConcern,
      details: erasedText(response.safeguardingConcern.details as string),
    };
  return result;
}

/** Keys of an audit event's summary that hold free text someone wrote about the case. */
const SUMMARY_TEXT = new Set([
  'reason',
  'note',
  'notes',
  'details',
  'comment',
  'comments',
  'rationale',
  'response',
  'description',
  'evidence',
]);
/** Keys of an audit event's summary that name the child. */
const SUMMARY_REF = new Set(['caseRef', 'case_ref', 'caseReference']);

/** A code rather than text (a moderation's reason `inadequate`): kept where free text would be erased. */
const CODE = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * An audit event's summary with the child taken out and its shape kept: every key stays, a case reference
 * (under any of its keys, or inside any string) becomes the pseudonym, and free text about the case (a
 * reason, a note) becomes the marker unless it is a code. Ids, statuses, grades and counts stay.
 */
export function scrubbedSummary(summary: unknown, caseRef: string, pseudonym: string): unknown {
  const walk = (value: Json, key: string | undefined): Json => {
    if (typeof value === 'string') {
      if (key !== undefined && SUMMARY_REF.has(key)) return pseudonym;
      if (key !== undefined && SUMMARY_TEXT.has(key)) return CODE.test(value) ? value : erasedText(value);
      return caseRef !== '' ? value.split(caseRef).join(pseudonym) : value;
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(summary as Json, undefined);
}
