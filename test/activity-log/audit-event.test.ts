import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { createActivityLog } from '../../src/activity-log/service';
import { knexOf } from '../../src/db/query';
import { createDatabase, type Database } from '../../src/db/transaction';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let database: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  database = createDatabase(db.knex);
});
afterAll(() => db.drop());

describe('audit_event', () => {
  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const activityLog = createActivityLog(database);
    await database.transaction((tx) =>
      activityLog.record(tx, SYSTEM_ACTOR, { action: 'demo.seed', recordType: 'organisation' }),
    );
    await expect(db.knex('audit_event').update({ action: 'tampered' })).rejects.toThrow(
      /append-only: UPDATE is not allowed/,
    );
    await expect(db.knex('audit_event').delete()).rejects.toThrow(/append-only: DELETE is not allowed/);
    await expect(db.knex.raw('truncate audit_event')).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    expect(await db.knex('audit_event').where({ action: 'demo.seed' }).count('* as n').first()).toEqual({
      n: 1,
    });
  });

  it('is written in the same transaction as the change it describes', async () => {
    const activityLog = createActivityLog(database);
    await expect(
      database.transaction(async (tx) => {
        await knexOf(tx)('locality').insert({ code: 'gone', name: 'Gone' });
        await activityLog.record(tx, SYSTEM_ACTOR, {
          action: 'team.create',
          recordType: 'team',
          recordId: 'gone',
        });
        throw new Error('fails after both writes');
      }),
    ).rejects.toThrow('fails after both writes');
    expect(await db.knex('locality').where({ code: 'gone' }).first()).toBeUndefined();
    expect(await db.knex('audit_event').where({ record_id: 'gone' }).first()).toBeUndefined();
  });

  it('nests transactions as savepoints', async () => {
    const activityLog = createActivityLog(database);
    await database.transaction(async (outer) => {
      await knexOf(outer)('locality').insert({ code: 'kept', name: 'Kept' });
      await expect(
        database.transaction(async (inner) => {
          await activityLog.record(inner, SYSTEM_ACTOR, { action: 'team.close', recordType: 'team' });
          throw new Error('inner fails');
        }, outer),
      ).rejects.toThrow('inner fails');
    });
    expect(await db.knex('locality').where({ code: 'kept' }).first()).toBeDefined();
    expect(await db.knex('audit_event').where({ action: 'team.close' }).first()).toBeUndefined();
  });

  it('records views of case-level data with the actor and request id', async () => {
    const activityLog = createActivityLog(database);
    await activityLog.recordView(
      { kind: 'user', userId: null, tokenId: null, requestId: 'req-1' },
      'audit',
      '123',
    );
    const row = await db.knex('audit_event').where({ action: 'audit.view' }).first();
    expect(row).toMatchObject({
      record_type: 'audit',
      record_id: '123',
      request_id: 'req-1',
      actor_kind: 'user',
    });
  });
});
