import { ConflictError, ReferenceMissingError, ValidationError } from '../errors';
import { translateDbError } from './errors';

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
