import type { Knex } from 'knex';
import PgBoss from 'pg-boss';

/** pg-boss builds its schema in its own transaction (with an advisory lock), so this migration runs outside one. */
export const config = { transaction: false };

const QUEUE_SCHEMA = 'pgboss';
/** The queues as first created; the server brings their retry and expiry settings up to date when it starts. */
const QUEUES = ['notification-send', 'notification-digest', 'remediation-sweep'];

/**
 * The job queue (pg-boss's own schema, created here so that any transaction can put a job on it from the
 * first migration on, not only once a server has started) and the notifications it sends: every email the
 * service writes, kept with its stable Message-ID, whether it has been sent, and the daily-digest choice.
 */
export async function up(knex: Knex): Promise<void> {
  const exists = await knex.raw<{ rows: unknown[] }>(`select 1 from pg_namespace where nspname = ?`, [
    QUEUE_SCHEMA,
  ]);
  if (exists.rows.length === 0) await knex.raw(PgBoss.getConstructionPlans(QUEUE_SCHEMA));
  for (const name of QUEUES)
    await knex.raw(`select ${QUEUE_SCHEMA}.create_queue(?, ?::json)`, [
      name,
      JSON.stringify({ policy: 'standard' }),
    ]);

  await knex.transaction(async (tx) => {
    await tx.schema.createTable('notification', (t) => {
      t.comment(
        'Every email the service writes: to whom, what, about which record, and whether it has been sent. Written in the transaction of the event it tells of; sent after commit by a job. Holds no case content: a team, a grade, a date and a link.',
      );
      t.increments('id').comment('Surrogate key.');
      t.text('message_id')
        .notNullable()
        .unique()
        .comment(
          'The Message-ID header, fixed when the notification is written: a re-send carries the same one.',
        );
      t.text('kind')
        .notNullable()
        .comment('What it tells of (remediation.opened, safeguarding.concern, digest…).');
      t.integer('recipient_user_id').notNullable().references('app_user.id').comment('Who it is for.');
      t.text('to_address').notNullable().comment('The email address it is sent to, as it was when written.');
      t.text('subject').notNullable().comment('The subject line.');
      t.text('body').notNullable().comment('The plain-text body.');
      t.text('record_type').comment('The kind of record it is about (remediation, escalation), if any.');
      t.integer('record_id').comment('The record it is about, if any.');
      t.boolean('immediate')
        .notNullable()
        .comment('Sent at once; false when it waits for the recipient’s daily digest.');
      t.integer('digest_id')
        .references('notification.id')
        .comment('The digest it went out in, for one that waited for a digest.');
      t.timestamp('created_at', { useTz: true })
        .notNullable()
        .defaultTo(tx.fn.now())
        .comment('When written.');
      t.timestamp('sent_at', { useTz: true }).comment(
        'When the mail server accepted it (or the outbox kept it).',
      );
      t.text('transport').comment(
        'How it went: smtp (emailed) or outbox (kept on the outbox page, not emailed).',
      );
      t.integer('attempts').notNullable().defaultTo(0).comment('Sending attempts so far.');
      t.text('last_error').comment('Why the last attempt failed, while it is retried.');
    });
    await tx.raw(`alter table notification add constraint notification_transport_check
                  check (transport is null or transport in ('smtp', 'outbox'))`);
    await tx.raw(`create index notification_digest_waiting_idx on notification (recipient_user_id)
                  where not immediate and digest_id is null`);
    await tx.raw(`create index notification_record_idx on notification (record_type, record_id)`);

    await tx.schema.createTable('notification_preference', (t) => {
      t.comment('How each user wants their notifications: at once, or in one daily digest.');
      t.integer('user_id').primary().references('app_user.id').comment('The user.');
      t.boolean('daily_digest')
        .notNullable()
        .defaultTo(false)
        .comment(
          'One email a working day with everything since the last, instead of one an event. Safeguarding concerns are always sent at once.',
        );
      t.timestamp('updated_at', { useTz: true })
        .notNullable()
        .defaultTo(tx.fn.now())
        .comment('When last changed.');
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notification_preference');
  await knex.schema.dropTable('notification');
  await knex.raw(`drop schema if exists ${QUEUE_SCHEMA} cascade`);
}
