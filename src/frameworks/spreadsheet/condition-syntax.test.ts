import fc from 'fast-check';
import { CASE_FACTS, type CaseFact, type Condition } from '../types';
import { parseCondition, printCondition } from './condition-syntax';

const parsed = (text: string, questions: string[] = []) => parseCondition(text, new Set(questions));

describe('the condition syntax reads', () => {
  it.each<[string, Condition]>([
    // The forms of the first layout read exactly as before.
    ['seen-alone = no', { question: 'seen-alone', equals: 'no' }],
    ['seen-alone=no', { question: 'seen-alone', equals: 'no' }],
    ['  quality in good, outstanding ', { question: 'quality', in: ['good', 'outstanding'] }],
    ['quality in good,outstanding', { question: 'quality', in: ['good', 'outstanding'] }],
    ['agencies includes police', { question: 'agencies', includes: 'police' }],
    // Combinations, with not binding tighter than and, and than or.
    [
      'police-involved = yes and health-involved = no',
      {
        all: [
          { question: 'police-involved', equals: 'yes' },
          { question: 'health-involved', equals: 'no' },
        ],
      },
    ],
    [
      'a = yes or b = yes and not c = yes',
      {
        any: [
          { question: 'a', equals: 'yes' },
          { all: [{ question: 'b', equals: 'yes' }, { not: { question: 'c', equals: 'yes' } }] },
        ],
      },
    ],
    [
      '(a = yes OR b = yes) AND NOT (c = yes)',
      {
        all: [
          {
            any: [
              { question: 'a', equals: 'yes' },
              { question: 'b', equals: 'yes' },
            ],
          },
          { not: { question: 'c', equals: 'yes' } },
        ],
      },
    ],
    ['category in neglect, emotional-abuse', { question: 'category', in: ['neglect', 'emotional-abuse'] }],
    // Case facts by their plain names.
    ['case type = child-in-care', { case: 'caseType', equals: 'child-in-care' }],
    ['Case Type in child-in-care, care-leaver', { case: 'caseType', in: ['child-in-care', 'care-leaver'] }],
    ['age >= 10', { case: 'ageYears', atLeast: 10 }],
    ['age<=17', { case: 'ageYears', atMost: 17 }],
    ['age between 10 and 17', { case: 'ageYears', atLeast: 10, atMost: 17 }],
    ['age = 16', { case: 'ageYears', equals: '16' }],
    ['disability = yes', { case: 'disability', equals: 'yes' }],
    ['uasc = no', { case: 'uasc', equals: 'no' }],
    ['legal status = Section 20', { case: 'legalStatus', equals: 'Section 20' }],
    [
      'category of abuse in "Drugs and alcohol", Neglect',
      { case: 'categoryOfAbuse', in: ['Drugs and alcohol', 'Neglect'] },
    ],
    ['placement type = "U1, foster"', { case: 'placementType', equals: 'U1, foster' }],
    ['missing episodes >= 1', { case: 'missingEpisodes', atLeast: 1 }],
    ['case age >= 10', { case: 'ageYears', atLeast: 10 }],
    ['not (case type = early-help)', { not: { case: 'caseType', equals: 'early-help' } }],
    ['any of (a = yes)', { any: [{ question: 'a', equals: 'yes' }] }],
    [
      'all of (a = yes and b = no)',
      {
        all: [
          {
            all: [
              { question: 'a', equals: 'yes' },
              { question: 'b', equals: 'no' },
            ],
          },
        ],
      },
    ],
    ['q = "say ""hello"""', { question: 'q', equals: 'say "hello"' }],
    // Words that are keywords elsewhere are question ids before an operator.
    ['not = yes', { question: 'not', equals: 'yes' }],
    ['case in a, b', { question: 'case', in: ['a', 'b'] }],
    ['category = x', { question: 'category', equals: 'x' }],
  ])('%s', (text, condition) => {
    expect(parsed(text)).toEqual({ ok: true, condition });
  });

  it('reads a one-word name that is a question id of the framework as the question, and "case …" as the fact', () => {
    expect(parsed('disability = yes', ['disability'])).toEqual({
      ok: true,
      condition: { question: 'disability', equals: 'yes' },
    });
    expect(parsed('case disability = yes', ['disability'])).toEqual({
      ok: true,
      condition: { case: 'disability', equals: 'yes' },
    });
    expect(printCondition({ case: 'disability', equals: 'yes' }, new Set(['disability']))).toBe(
      'case disability = yes',
    );
  });
});

describe('a malformed condition is reported with what was expected where', () => {
  it.each([
    ['police-involved', 'expected "=", "in" or "includes" after "police-involved" at character 16 (the end)'],
    [
      'police-involved yes',
      'expected "=", "in" or "includes" after "police-involved" at character 17 ("yes")',
    ],
    ['q =', 'expected an answer after "=" at character 4 (the end)'],
    ['q = yes and', 'expected a condition after "and" at character 12 (the end)'],
    ['q = yes or or', 'expected "=", "in" or "includes" after "or" at character 14 (the end)'],
    ['q = yes and = no', 'expected a condition after "and" at character 13 ("=")'],
    ['= yes', 'expected a condition at character 1 ("=")'],
    ['not', 'expected a condition after "not" at character 4 (the end)'],
    [
      '(q = yes',
      'expected "and", "or" or ")" after "yes" at character 9 (the end); the "(" at character 1 is not closed',
    ],
    ['q = yes)', 'the ")" at character 8 closes no "(" before it'],
    [
      'q = a, b',
      'expected "and", "or" or the end after "a" at character 6 (","); to give several answers, write "in a, b"',
    ],
    ['q in a,', 'expected an answer after "," at character 8 (the end)'],
    ['q in a,, b', 'expected an answer after "," at character 8 (",")'],
    ['q = "yes', 'the quote at character 5 is not closed'],
    ['q >= 3', '">=" at character 3 compares a number (age or missing episodes), not an answer'],
    ['age >= ten', 'expected a number after ">=" at character 8 ("ten")'],
    ['age between 10 17', 'expected "and" after "10" at character 16 ("17")'],
    ['age > 10', 'expected "=", "in", ">=", "<=" or "between" after "age" at character 5 (">")'],
    ['disability >= 1', '">=" at character 12 compares only age or missing episodes, not disability'],
    ['case type includes x', '"includes" at character 11 is for multiple-choice answers, not case facts'],
    ['case type child-in-care', 'expected "=" or "in" after "case type" at character 11 ("child-in-care")'],
    [
      'case colour = red',
      '"colour" at character 6 is not a case fact: use case type, age, disability, legal status, category of abuse, placement type, uasc or missing episodes',
    ],
    ['q = drugs and alcohol', 'expected "=", "in" or "includes" after "alcohol" at character 22 (the end)'],
  ])('%s', (text, message) => {
    expect(parsed(text)).toEqual({ ok: false, message });
  });
});

const QUESTION_IDS = [
  'q',
  'seen-alone',
  'age',
  'disability',
  'uasc',
  'not',
  'and',
  'or',
  'in',
  'case',
  'all',
  'any',
  'of',
  'between',
  'category',
  'missing',
];
const ANSWERS = ['yes', 'no', 'na', 'good', 'and', 'or', 'not', 'in', 'between', 'all', 'of'];

const answer = fc.constantFrom(...ANSWERS);
const factValue = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.constantFrom(
    'Section 20',
    'Drugs and alcohol',
    'a, b',
    ' padded ',
    'say "hi"',
    '(x)',
    'x = y',
    'a>=b',
    'OR',
    'not',
  ),
  fc
    .array(
      fc.constantFrom('a', ' ', '\t', '\n', '"', ',', '(', ')', '=', '<', '>', 'and', 'or', 'not', 'é'),
      { minLength: 1 },
    )
    .map((parts) => parts.join('')),
);
const number = fc.oneof(
  fc.nat(),
  fc.nat().map((n) => n / 4),
);
const values = <T>(item: fc.Arbitrary<T>) => fc.uniqueArray(item, { minLength: 1, maxLength: 3 });

const answerCondition = fc.oneof(
  fc.record({ question: fc.constantFrom(...QUESTION_IDS), equals: answer }),
  fc.record({ question: fc.constantFrom(...QUESTION_IDS), in: values(answer) }),
  fc.record({ question: fc.constantFrom(...QUESTION_IDS), includes: answer }),
);
const fact = fc.constantFrom<CaseFact>(...CASE_FACTS);
const numberFact = fc.constantFrom<CaseFact>('ageYears', 'missingEpisodes');
const caseCondition = fc.oneof(
  fc.record({ case: fact, equals: factValue }),
  fc.record({ case: fact, in: values(factValue) }),
  fc.record({ case: numberFact, atLeast: number }),
  fc.record({ case: numberFact, atMost: number }),
  fc.record({ case: numberFact, atLeast: number, atMost: number }),
);
const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    answerCondition,
    caseCondition,
    fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ),
}));

function questionsOf(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(questionsOf);
  if ('any' in c) return c.any.flatMap(questionsOf);
  if ('not' in c) return questionsOf(c.not);
  return 'question' in c ? [c.question] : [];
}

describe('printing a condition', () => {
  it('gives text that parses back to the identical condition', () => {
    fc.assert(
      fc.property(condition, fc.subarray(QUESTION_IDS), (c, others) => {
        const questions = new Set([...questionsOf(c), ...others]);
        const text = printCondition(c, questions);
        expect(parseCondition(text, questions)).toEqual({ ok: true, condition: c });
      }),
      { numRuns: 2000 },
    );
  });

  it.each<[Condition, string]>([
    [{ question: 'seen-alone', equals: 'no' }, 'seen-alone = no'],
    [{ question: 'quality', in: ['good', 'outstanding'] }, 'quality in good, outstanding'],
    [{ question: 'agencies', includes: 'police' }, 'agencies includes police'],
    [
      {
        all: [
          { question: 'a', equals: 'yes' },
          {
            any: [
              { case: 'ageYears', atLeast: 10 },
              { case: 'disability', equals: 'yes' },
            ],
          },
        ],
      },
      'a = yes and (age >= 10 or disability = yes)',
    ],
    [
      { not: { case: 'legalStatus', in: ['Section 20', 'Care order, interim'] } },
      'not (legal status in Section 20, "Care order, interim")',
    ],
    [{ case: 'missingEpisodes', atLeast: 1, atMost: 3 }, 'missing episodes between 1 and 3'],
  ])('%j as %s', (c, text) => {
    expect(printCondition(c)).toBe(text);
  });
});
