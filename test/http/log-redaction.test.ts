import request from 'supertest';
import { capturedLogger } from '../support/log-capture';
import { createTestContext, DEMO, tokenFor, type TestContext } from '../support/app';
import { roundForAuditor } from '../support/audits';

/**
 * A saved draft's text reaching a PostgreSQL error, in every place PostgreSQL puts it (the message, detail,
 * hint, and the context of the statement that failed), must not reach the logs.
 */

const SECRET = 'Mia told her teacher about the bruises';

let ctx: TestContext;
let auditorToken: string;
let auditId: number;
const log = capturedLogger('info');
const { lines } = log;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true, logger: log.logger });
  auditorToken = await tokenFor(ctx, DEMO.auditor);
  auditId = (await roundForAuditor(ctx.services)).auditIds[0] as number;
  // A trigger that refuses some drafts, quoting the row wherever PostgreSQL lets it.
  await ctx.db.knex.raw(`
    create function refuse_marked_drafts() returns trigger language plpgsql as $$
    begin
      if new.response::text like '%REFUSE-RAISE%' then
        raise exception 'draft refused: %', new.response::text
          using detail = new.response::text, hint = quote_literal(new.response::text);
      end if;
      if new.response::text like '%REFUSE-CAST%' then
        execute format('select %L::int', new.response::text);
      end if;
      return new;
    end $$;
    create trigger refuse_marked_drafts before insert or update on audit_revision
      for each row execute function refuse_marked_drafts();
  `);
});
afterAll(() => ctx.close());

const saveDraft = (strengths: string) =>
  request(ctx.app)
    .put(`/api/audits/${auditId}`)
    .set('Authorization', `Bearer ${auditorToken}`)
    .send({ version: 0, response: { sections: { recording: { strengths } } } });

const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

it('logs a trigger raising with the draft in its message, detail and hint, without the draft', async () => {
  lines.length = 0;
  const res = await saveDraft(`REFUSE-RAISE ${SECRET}`).expect(500);
  expect(res.text).not.toContain(SECRET);
  const failure = logged().find((line) => line.msg === 'request failed' && line.errorId);
  expect(failure?.err).toMatchObject({ code: 'P0001', severity: 'ERROR', routine: 'exec_stmt_raise' });
  expect(lines.join('')).not.toContain(SECRET);
  expect(lines.join('')).not.toContain('Mia');
});

it('logs a cast failing on the draft, quoted in the message and in the statement context, without it', async () => {
  lines.length = 0;
  await saveDraft(`REFUSE-CAST ${SECRET}`).expect(400);
  const refused = logged().find((line) => line.msg === 'the database refused a value in the request');
  expect(refused?.err).toMatchObject({ code: '22P02' });
  expect(lines.join('')).not.toContain(SECRET);
  expect(lines.join('')).not.toContain('Mia');
});
