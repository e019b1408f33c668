import { asExecutor } from '../../src/db/transaction';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { organisationRepository } from '../../src/organisation/repository';
import { ConflictError, ReferenceMissingError, ValidationError } from '../../src/errors';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('users service on a real database', () => {
  it('refuses a second user with the same email, whatever its case, and writes nothing', async () => {
    const before = await ctx.db.knex('audit_event').count('* as n').first();
    const error = await ctx.services.users
      .add({ email: DEMO.admin.toUpperCase(), displayName: 'Copy', roles: ['admin'] }, SYSTEM_ACTOR)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).fieldErrors).toEqual([
      { field: 'email', message: 'A user with this email already exists.' },
    ]);
    expect(await ctx.db.knex('audit_event').count('* as n').first()).toEqual(before);
  });

  it('names every invalid field', async () => {
    const error = (await ctx.services.users
      .add({ email: 'not-an-email', displayName: '', roles: ['king'], extra: 1 }, SYSTEM_ACTOR)
      .catch((err: unknown) => err)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors.map((e) => e.field).sort()).toEqual([
      'displayName',
      'email',
      'extra',
      'roles.0',
    ]);
  });

  it('refuses unknown team codes without creating the user', async () => {
    await expect(
      ctx.services.users.add(
        { email: 'new@x.example', displayName: 'New', roles: ['team_manager'], teamCodes: ['nope'] },
        SYSTEM_ACTOR,
      ),
    ).rejects.toThrow(/Unknown team code: nope/);
    expect(await ctx.services.users.findByEmail('new@x.example')).toBeUndefined();
  });

  it('adds a user with roles and teams, audited in the same transaction', async () => {
    const sam = await ctx.services.users.findByEmail(DEMO.admin);
    const mark = await eventMark(ctx.db.knex);
    const user = await ctx.services.users.add(
      {
        email: 'tm@x.example',
        displayName: 'New Manager',
        roles: ['team_manager', 'auditor'],
        teamCodes: ['mash'],
      },
      { kind: 'user', userId: sam!.id, tokenId: null, requestId: null },
    );
    expect(user.roles).toEqual(['auditor', 'team_manager']);
    expect(user.managedTeamIds).toHaveLength(1);
    const logged = await eventsSince(ctx.db.knex, mark);
    expect(logged).toEqual([
      expect.objectContaining({ action: 'user.create', recordId: String(user.id), actorUserId: sam!.id }),
    ]);
    expect(logged[0]?.summary.after).toMatchObject({ roles: ['team_manager', 'auditor'] });
  });

  it('turns a missing reference into a domain error', async () => {
    await expect(
      organisationRepository.upsertTeams(asExecutor(ctx.db.knex), [
        { code: 'orphan', name: 'Orphan', kind: 'other', localityId: 999999, serviceAreaId: null },
      ]),
    ).rejects.toBeInstanceOf(ReferenceMissingError);
  });
});
