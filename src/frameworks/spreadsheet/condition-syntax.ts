import type { CaseCondition, CaseFact, Condition } from '../types';

/**
 * The condition syntax of the spreadsheet layout's "relevant when" cells, e.g.
 * `police-involved = yes and (age >= 10 or not (case type in child-in-care, care-leaver))`.
 *
 * A simple condition is a question id or a case fact's plain name, an operator and its answer(s):
 * `q = a`, `q in a, b`, `q includes a`, `age >= 10`, `age <= 17`, `age between 10 and 17`. They combine
 * with `not`, `and` and `or` (binding in that order) and parentheses; `all of (…)` and `any of (…)` make a
 * group of one. A value with a comma, bracket, quote, `=`, `<`, `>` or the word and / or is written in
 * double quotes (a quote inside doubled). Keywords and case facts' names are read in any case.
 *
 * The printer's output parses back to the identical condition object.
 */

/** The plain names of the case facts, as the syntax writes them. */
export const CASE_FACT_NAMES: Record<CaseFact, string> = {
  caseType: 'case type',
  ageYears: 'age',
  disability: 'disability',
  legalStatus: 'legal status',
  categoryOfAbuse: 'category of abuse',
  placementType: 'placement type',
  uasc: 'uasc',
  missingEpisodes: 'missing episodes',
};

/** The facts that compare as numbers (>=, <=, between). */
const NUMBER_FACTS: ReadonlySet<CaseFact> = new Set<CaseFact>(['ageYears', 'missingEpisodes']);

/**
 * The question ids of the framework. A one-word name that is one of them (such as a question with the id
 * `disability`) means the question; the case fact is then written `case disability`.
 */
export type QuestionIds = ReadonlySet<string>;
const NONE: QuestionIds = new Set();

export type ParsedCondition = { ok: true; condition: Condition } | { ok: false; message: string };

// ---------------------------------------------------------------------------------------------- printing

const QUOTE_NEEDED = /[(),="<>]/;
const isKeyword = (word: string, ...keywords: string[]) => keywords.includes(word.toLowerCase());

/** A value as written: bare when it reads back as itself, otherwise in double quotes. */
function value(text: string): string {
  const bare =
    text !== '' &&
    text === text.trim() &&
    !QUOTE_NEEDED.test(text) &&
    !text.split(/\s+/).some((word) => isKeyword(word, 'and', 'or'));
  return bare ? text : `"${text.replaceAll('"', '""')}"`;
}

function factName(fact: CaseFact, questions: QuestionIds): string {
  const name = CASE_FACT_NAMES[fact];
  return questions.has(name) ? `case ${name}` : name;
}

function caseText(c: CaseCondition, questions: QuestionIds): string {
  const name = factName(c.case, questions);
  if (c.atLeast !== undefined && c.atMost !== undefined)
    return `${name} between ${c.atLeast} and ${c.atMost}`;
  if (c.atLeast !== undefined) return `${name} >= ${c.atLeast}`;
  if (c.atMost !== undefined) return `${name} <= ${c.atMost}`;
  if (c.in !== undefined) return `${name} in ${c.in.map(value).join(', ')}`;
  return `${name} = ${value(c.equals ?? '')}`;
}

const isGroupOfMany = (c: Condition) => ('all' in c && c.all.length > 1) || ('any' in c && c.any.length > 1);

/** A condition as its "relevant when" cell: `q = yes and (age >= 10 or disability = yes)`. */
export function printCondition(c: Condition, questions: QuestionIds = NONE): string {
  const print = (inner: Condition) => printCondition(inner, questions);
  // A group inside a group keeps its own brackets, so that nesting reads back exactly as it was.
  const item = (inner: Condition) => (isGroupOfMany(inner) ? `(${print(inner)})` : print(inner));
  if ('all' in c)
    return c.all.length === 1 ? `all of (${print(c.all[0] as Condition)})` : c.all.map(item).join(' and ');
  if ('any' in c)
    return c.any.length === 1 ? `any of (${print(c.any[0] as Condition)})` : c.any.map(item).join(' or ');
  if ('not' in c) return `not (${print(c.not)})`;
  if ('case' in c) return caseText(c, questions);
  if (c.includes !== undefined) return `${c.question} includes ${value(c.includes)}`;
  if (c.in !== undefined) return `${c.question} in ${c.in.map(value).join(', ')}`;
  return `${c.question} = ${value(c.equals ?? '')}`;
}

// ----------------------------------------------------------------------------------------------- parsing

type TokenKind = 'word' | 'quoted' | '(' | ')' | ',' | '=' | '>=' | '<=' | 'end';

interface Token {
  kind: TokenKind;
  /** A word or symbol as written; a quoted value without its quotes. */
  text: string;
  /** Where it starts and ends in the cell (0-based, end exclusive). */
  start: number;
  end: number;
}

class ConditionSyntaxError extends Error {}

const SYMBOLS = new Set(['(', ')', ',', '=']);

function tokenise(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const startsComparison = (at: number) => /^[<>]=/.test(source.slice(at, at + 2));
  while (i < source.length) {
    const char = source[i] as string;
    const start = i;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '"') {
      let text = '';
      for (i += 1; ; i += 1) {
        if (i >= source.length)
          throw new ConditionSyntaxError(`the quote at character ${start + 1} is not closed`);
        if (source[i] === '"' && source[i + 1] === '"') {
          text += '"';
          i += 1;
        } else if (source[i] === '"') break;
        else text += source[i];
      }
      i += 1;
      tokens.push({ kind: 'quoted', text, start, end: i });
    } else if (startsComparison(i)) {
      i += 2;
      tokens.push({ kind: source.slice(start, i) as TokenKind, text: source.slice(start, i), start, end: i });
    } else if (SYMBOLS.has(char)) {
      i += 1;
      tokens.push({ kind: char as TokenKind, text: char, start, end: i });
    } else {
      while (
        i < source.length &&
        !/\s/.test(source[i] as string) &&
        !SYMBOLS.has(source[i] as string) &&
        source[i] !== '"' &&
        !startsComparison(i)
      )
        i += 1;
      tokens.push({ kind: 'word', text: source.slice(start, i), start, end: i });
    }
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

/** Fact names as word lists, longest first, with and without a leading "case". */
const FACT_PHRASES: [words: string[], fact: CaseFact][] = (
  Object.entries(CASE_FACT_NAMES) as [CaseFact, string][]
)
  .flatMap(([fact, name]): [string[], CaseFact][] => [
    [name.split(' '), fact],
    ...(name.startsWith('case ') ? [] : [[['case', ...name.split(' ')], fact] as [string[], CaseFact]]),
  ])
  .sort(([a], [b]) => b.length - a.length);

const FACT_LIST = Object.values(CASE_FACT_NAMES).join(', ');

const quoted = (text: string) => `"${text}"`;
const or = (items: string[]) => `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;

class Parser {
  private index = 0;
  /** What was read last, for "after …" in messages. */
  private last = '';

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly questions: QuestionIds,
  ) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    this.index += 1;
    this.last = this.source.slice(token.start, token.end);
    return token;
  }

  private isWord(token: Token, ...keywords: string[]): boolean {
    return token.kind === 'word' && isKeyword(token.text, ...keywords);
  }

  private isOperator(token: Token): boolean {
    return ['=', '>=', '<='].includes(token.kind) || this.isWord(token, 'in', 'includes', 'between');
  }

  /** "at character 16 (the end)" or "at character 17 ("yes")". */
  private at(token: Token): string {
    const found = token.kind === 'end' ? 'the end' : quoted(this.source.slice(token.start, token.end));
    return `at character ${token.start + 1} (${found})`;
  }

  private expected(what: string, hint = ''): ConditionSyntaxError {
    const after = this.last === '' ? '' : ` after ${quoted(this.last)}`;
    return new ConditionSyntaxError(`expected ${what}${after} ${this.at(this.peek())}${hint}`);
  }

  parse(): Condition {
    const condition = this.or();
    const token = this.peek();
    if (token.kind === ')')
      throw new ConditionSyntaxError(`the ")" at character ${token.start + 1} closes no "(" before it`);
    if (token.kind === ',')
      throw this.expected('"and", "or" or the end', '; to give several answers, write "in a, b"');
    if (token.kind !== 'end') throw this.expected('"and", "or" or the end');
    return condition;
  }

  /** Operands joined by a keyword: one stands alone, several make a group. */
  private joined(keyword: 'and' | 'or', operand: () => Condition): Condition[] {
    const items = [operand()];
    while (this.isWord(this.peek(), keyword)) {
      this.next();
      items.push(operand());
    }
    return items;
  }

  private or(): Condition {
    const items = this.joined('or', () => this.and());
    return items.length === 1 ? (items[0] as Condition) : { any: items };
  }

  private and(): Condition {
    const items = this.joined('and', () => this.unary());
    return items.length === 1 ? (items[0] as Condition) : { all: items };
  }

  private unary(): Condition {
    const token = this.peek();
    if (token.kind === '(') return this.bracketed();
    // "not" and "all of (" are keywords unless an operator follows (a question with that id).
    if (this.isWord(token, 'not') && !this.isOperator(this.peek(1))) {
      this.next();
      return { not: this.unary() };
    }
    if (this.isWord(token, 'all', 'any') && this.isWord(this.peek(1), 'of') && this.peek(2).kind === '(') {
      const group = token.text.toLowerCase();
      this.next();
      this.next();
      const inner = this.bracketed();
      return group === 'all' ? { all: [inner] } : { any: [inner] };
    }
    return this.simple();
  }

  private bracketed(): Condition {
    const open = this.next();
    const condition = this.or();
    if (this.peek().kind !== ')')
      throw this.expected('"and", "or" or ")"', `; the "(" at character ${open.start + 1} is not closed`);
    this.next();
    return condition;
  }

  private simple(): Condition {
    const token = this.peek();
    if (token.kind !== 'word') throw this.expected('a condition');
    const oneWord = this.isOperator(this.peek(1));
    if (oneWord && this.questions.has(token.text)) return this.answer();
    const fact = this.fact(oneWord);
    if (fact) return this.caseCondition(fact);
    if (!oneWord && this.isWord(token, 'case') && this.peek(1).kind === 'word') {
      const name = this.peek(1);
      throw new ConditionSyntaxError(
        `${quoted(name.text)} at character ${name.start + 1} is not a case fact: use ${or(FACT_LIST.split(', '))}`,
      );
    }
    return this.answer();
  }

  /** The case fact named at this point, if any, reading its words. */
  private fact(oneWord: boolean): CaseFact | undefined {
    for (const [words, fact] of FACT_PHRASES) {
      if (oneWord && words.length > 1) continue;
      if (!words.every((word, i) => this.isWord(this.peek(i), word))) continue;
      const first = this.peek();
      this.index += words.length;
      this.last = this.source.slice(first.start, this.peek(-1).end);
      return fact;
    }
    return undefined;
  }

  private answer(): Condition {
    const question = this.next().text;
    const operator = this.peek();
    if (this.isWord(operator, 'in')) return { question, in: this.values('an answer') };
    if (this.isWord(operator, 'includes')) return { question, includes: this.value('an answer') };
    if (operator.kind === '=') return { question, equals: this.value('an answer') };
    if (operator.kind === '>=' || operator.kind === '<=' || this.isWord(operator, 'between'))
      throw new ConditionSyntaxError(
        `${quoted(operator.text)} at character ${operator.start + 1} compares a number (age or missing episodes), not an answer`,
      );
    throw this.expected('"=", "in" or "includes"');
  }

  private caseCondition(fact: CaseFact): Condition {
    const operator = this.peek();
    const numeric = NUMBER_FACTS.has(fact);
    const comparison = operator.kind === '>=' || operator.kind === '<=' || this.isWord(operator, 'between');
    if (comparison && !numeric)
      throw new ConditionSyntaxError(
        `${quoted(operator.text)} at character ${operator.start + 1} compares only age or missing episodes, not ${CASE_FACT_NAMES[fact]}`,
      );
    if (operator.kind === '>=') return { case: fact, atLeast: this.number() };
    if (operator.kind === '<=') return { case: fact, atMost: this.number() };
    if (comparison) {
      const atLeast = this.number();
      if (!this.isWord(this.peek(), 'and')) throw this.expected('"and"');
      return { case: fact, atLeast, atMost: this.number() };
    }
    if (this.isWord(operator, 'in')) return { case: fact, in: this.values('a value') };
    if (operator.kind === '=') return { case: fact, equals: this.value('a value') };
    if (this.isWord(operator, 'includes'))
      throw new ConditionSyntaxError(
        `"includes" at character ${operator.start + 1} is for multiple-choice answers, not case facts`,
      );
    throw this.expected(numeric ? '"=", "in", ">=", "<=" or "between"' : '"=" or "in"');
  }

  /** After the operator (or "and", ","): one value, quoted, or words up to a comma, bracket, and, or. */
  private value(what: string): string {
    this.next();
    const first = this.peek();
    if (first.kind === 'quoted') return this.next().text;
    if (first.kind !== 'word' || this.isWord(first, 'and', 'or')) throw this.expected(what);
    let last = first;
    while (this.peek().kind === 'word' && !this.isWord(this.peek(), 'and', 'or')) last = this.next();
    this.last = this.source.slice(first.start, last.end);
    return this.last;
  }

  private values(what: string): string[] {
    const values = [this.value(what)];
    while (this.peek().kind === ',') values.push(this.value(what));
    return values;
  }

  private number(): number {
    this.next();
    const token = this.peek();
    const n = Number(token.text);
    if (
      token.kind !== 'word' ||
      !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(token.text) ||
      !Number.isFinite(n)
    )
      throw this.expected('a number');
    this.next();
    return n;
  }
}

/**
 * Reads a "relevant when" cell. Problems say what was expected where, e.g.
 * `expected "=", "in" or "includes" after "police-involved" at character 16 (the end)`.
 */
export function parseCondition(source: string, questions: QuestionIds = NONE): ParsedCondition {
  try {
    return { ok: true, condition: new Parser(source, tokenise(source), questions).parse() };
  } catch (err) {
    if (err instanceof ConditionSyntaxError) return { ok: false, message: err.message };
    throw err;
  }
}
