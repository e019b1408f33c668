import { ConflictError, ReferenceMissingError, ValidationError } from '../errors';
import { isDataException, isDatabaseUnavailable, translateDbError } from './errors';

describe('translateDbError', () => {
  it('turns a unique violation into a conflict, with the plain-words message for a known constraint', () => {
    const err = translateDbError(
      {
        code: '23505',
        constraint: 'app_user_email_lower_unique',
        detail: 'Key (lower(email))=(a@b) already exists.',
      },
      { app_user_email_lower_unique: { field: 'email', message: 'A user with this email already exists.' } },
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).message).toBe('A user with this email already exists.');
    expect((err as ConflictError).fieldErrors).toEqual([
      { field: 'email', message: 'A user with this email already exists.' },
    ]);
  });

  it('never repeats the values PostgreSQL quotes in its detail', () => {
    const err = translateDbError({
      code: '23505',
      constraint: 'x_unique',
      detail: 'Key (email)=(jo@x.example) exists',
    });
    expect((err as Error).message).not.toContain('jo@x.example');
  });

  it('turns foreign key, not-null and check violations into domain errors', () => {
    expect(translateDbError({ code: '23503', constraint: 'team_locality_id_foreign' })).toBeInstanceOf(
      ReferenceMissingError,
    );
    const notNull = translateDbError({ code: '23502', column: 'name' }) as ValidationError;
    expect(notNull).toBeInstanceOf(ValidationError);
    expect(notNull.fieldErrors).toEqual([{ field: 'name', message: 'is required' }]);
    expect(translateDbError({ code: '23514', constraint: 'team_kind_check' })).toBeInstanceOf(
      ValidationError,
    );
  });

  it('leaves other errors alone', () => {
    const timeout = { code: '57014' };
    expect(translateDbError(timeout)).toBe(timeout);
    const plain = new Error('boom');
    expect(translateDbError(plain)).toBe(plain);
  });
});

describe('isDatabaseUnavailable', () => {
  const coded = (code: string) => Object.assign(new Error('x'), { code });

  it('recognises a server that is not there, shutting down, starting up or out of connections', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03'])
      expect(isDatabaseUnavailable(coded(code))).toBe(true);
    for (const code of ['08000', '08003', '08006', '08001', '53300', '53100'])
      expect(isDatabaseUnavailable(coded(code))).toBe(true);
  });

  it('recognises what node-postgres and knex say without a code', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'Client has encountered a connection error and is not queryable',
    ])
      expect(isDatabaseUnavailable(new Error(message))).toBe(true);
    const timeout = Object.assign(new Error('Knex: Timeout acquiring a connection.'), {
      name: 'KnexTimeoutError',
    });
    expect(isDatabaseUnavailable(timeout)).toBe(true);
  });

  it('looks inside causes and the errors of an AggregateError', () => {
    const refused = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], '');
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: refused }))).toBe(true);
  });

  it('leaves errors about the request or the code alone', () => {
    // ECONNABORTED is what body-parser says of a client that went away mid-body.
    for (const code of ['23505', '22P02', '40001', '57014', '42P01', 'EPERM', 'ECONNABORTED'])
      expect(isDatabaseUnavailable(coded(code))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x.trim is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    const looped = new Error('loop') as Error & { cause?: unknown };
    looped.cause = looped;
    expect(isDatabaseUnavailable(looped)).toBe(false);
  });
});

describe('isDataException', () => {
  it('is SQLSTATE class 22 and nothing else', () => {
    for (const code of ['22001', '22003', '22007', '22008', '22021', '22P02', '22P05'])
      expect(isDataException({ code })).toBe(true);
    for (const code of ['23505', '08006', '42703', 'ECONNRESET'])
      expect(isDataException({ code })).toBe(false);
    expect(isDataException(new Error('22P02'))).toBe(false);
  });
});
