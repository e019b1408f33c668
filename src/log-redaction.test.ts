import fc from 'fast-check';
import { redactError, redactErrorsIn, redactMessage } from './log-redaction';

const SECRET = 'Child disclosed abuse at school';

/** An error shaped as node-postgres raises it, after knex has put the SQL in front of its message. */
function postgresError(message: string): Error {
  return Object.assign(
    new Error(`update "audit_revision" set "response" = $1 where "id" = $2 - ${message}`),
    {
      name: 'error',
      severity: 'ERROR',
      code: '22P02',
      routine: 'InputFunctionError',
      table: 'audit_revision',
      column: 'response',
      constraint: undefined,
      detail: `Failing row contains (${SECRET}).`,
      where: `SQL statement "select '${SECRET}'::int"`,
      hint: SECRET,
      internalQuery: `select '${SECRET}'`,
      position: '12',
      sql: `update audit_revision set response = '${SECRET}'`,
      bindings: [SECRET],
      parameters: [SECRET],
      body: SECRET,
    },
  );
}

describe('redactMessage', () => {
  it('removes values PostgreSQL, knex and JSON.parse quote', () => {
    expect(redactMessage(`invalid input syntax for type integer: "${SECRET}"`)).toBe(
      'invalid input syntax for type integer: "…"',
    );
    expect(redactMessage(`insert into "t" ("a") values ('${SECRET}') - value too long`)).toBe(
      'insert into "…") values (\'…\') - value too long',
    );
    expect(redactMessage(`Unexpected token 'C', "${SECRET}" is not valid JSON`)).not.toContain('Child');
  });

  it('leaves nothing of a value that holds quotes of its own, or spans lines', () => {
    const value = fc.string({ unit: 'binary' }).map((s) => `${s}${SECRET}${s}`);
    fc.assert(
      fc.property(value, fc.constantFrom('"', "'"), (text, quote) => {
        const message = `invalid input syntax for type json: ${quote}${text}${quote}`;
        return !redactMessage(message).includes(SECRET);
      }),
      { seed: 3, numRuns: 300 },
    );
    expect(redactMessage(`value "a"b"\n"${SECRET}" too long`)).toBe('value "…" too long');
  });

  it('keeps messages without quotes as they are', () => {
    expect(redactMessage('value too long for type character varying(200)')).toBe(
      'value too long for type character varying(200)',
    );
  });
});

describe('redactError', () => {
  it('keeps the SQLSTATE code, severity, routine and schema names, and nothing that can quote a value', () => {
    const redacted = redactError(postgresError(`invalid input syntax for type integer: "${SECRET}"`));
    expect(redacted).toMatchObject({
      type: 'error',
      code: '22P02',
      severity: 'ERROR',
      routine: 'InputFunctionError',
      table: 'audit_revision',
      column: 'response',
    });
    expect(Object.keys(redacted as object).sort()).toEqual(
      ['code', 'column', 'message', 'routine', 'severity', 'stack', 'table', 'type'].sort(),
    );
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
  });

  it('keeps the stack frames under the redacted message, even when a value looks like frames', () => {
    const err = postgresError(`invalid input syntax: "x\n    at ${SECRET} (evil.js:1:1)\n"`);
    const { stack } = redactError(err) as { stack: string };
    expect(stack).not.toContain(SECRET);
    expect(stack.split('\n')[0]).toBe('error: update "…"');
    expect(stack).toMatch(/\n {4}at .*log-redaction\.test\.ts:\d+:\d+/);
  });

  it('redacts causes, aggregated errors, errors already made plain by another serializer, and text', () => {
    const wrapped = new Error('Database migration failed', { cause: postgresError(`"${SECRET}"`) });
    const aggregate = new AggregateError([postgresError(`"${SECRET}"`)], 'all failed');
    const plain = { ...postgresError(`"${SECRET}"`), type: 'DatabaseError', message: `"${SECRET}"` };
    for (const err of [wrapped, aggregate, plain, `"${SECRET}"`])
      expect(JSON.stringify(redactError(err))).not.toContain(SECRET);
    expect(redactError(wrapped)).toMatchObject({ cause: { code: '22P02' } });
    expect(redactError(aggregate)).toMatchObject({ type: 'AggregateError', errors: [{ code: '22P02' }] });
  });

  it('stops following causes after a few levels', () => {
    const looped = new Error('loop') as Error & { cause?: unknown };
    looped.cause = looped;
    expect(JSON.stringify(redactError(looped)).length).toBeLessThan(20_000);
  });
});

describe('redactErrorsIn', () => {
  it('redacts errors whatever key they are logged under, and leaves other fields alone', () => {
    const fields = { error: postgresError(`"${SECRET}"`), file: 'a.json', count: 2 };
    const out = redactErrorsIn(fields);
    expect(out).toMatchObject({ file: 'a.json', count: 2, error: { code: '22P02' } });
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });
});
