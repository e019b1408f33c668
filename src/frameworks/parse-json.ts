import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { FrameworkProblem } from './types';

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const PLAIN: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'badly formed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace }',
  CloseBracketExpected: 'expected a closing bracket ]',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is not finished',
  InvalidUnicode: 'badly formed unicode escape',
  InvalidEscapeCharacter: 'badly formed escape character',
  InvalidCharacter: 'unexpected character in a string',
};

/** Parses JSON strictly; when it is not valid, says where (line and column) and what is wrong. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; problems: FrameworkProblem[] } {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch {
    const errors: ParseError[] = [];
    parse(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) return { ok: false, problems: [{ pointer: '', message: 'is not valid JSON' }] };
    const { line, column } = lineAndColumn(source, first.offset);
    const code = printParseErrorCode(first.error);
    return {
      ok: false,
      problems: [
        {
          pointer: '',
          message: `is not valid JSON: ${PLAIN[code] ?? code} at line ${line}, column ${column}`,
        },
      ],
    };
  }
}
