import type { Knex } from 'knex';

const STATUSES_BEFORE = ['unallocated', 'allocated'];
const STATUSES = ['unallocated', 'allocated', 'in_progress', 'submitted'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table audit drop constraint audit_status_check');
  await knex.raw(
    `alter table audit add constraint audit_status_check check (status in (${STATUSES.map((s) => `'${s}'`).join(', ')}))`,
  );
  await knex.raw(
    `comment on column audit.status is 'unallocated (no auditor yet), allocated (not started), in_progress (a draft is saved) or submitted.'`,
  );
  await knex.schema.alterTable('audit', (t) => {
    t.integer('lock_version')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Optimistic lock: raised by every change to the response or its state. A change made from another version is refused, so no save overwrites another unseen.',
      );
    t.integer('current_revision')
      .notNullable()
      .defaultTo(0)
      .comment('Number of the latest revision of the response (0 before the first save).');
  });

  await knex.schema.createTable('audit_revision', (t) => {
    t.comment(
      'A revision of an audit response: the draft being written, or a submitted snapshot (immutable, hashed). Reopening a submitted audit starts the next revision; earlier ones are kept.',
    );
    t.specificType('id', 'bigint generated always as identity').primary().comment('Surrogate key.');
    t.integer('audit_id').notNullable().references('audit.id').comment('The audit.');
    t.integer('revision')
      .notNullable()
      .comment('1 for the first response, then one more for each reopening.');
    t.text('status')
      .notNullable()
      .defaultTo('draft')
      .checkIn(['draft', 'submitted'], 'audit_revision_status_check')
      .comment('draft (being written) or submitted (final: the database refuses any change).');
    t.jsonb('response')
      .notNullable()
      .defaultTo('{}')
      .comment(
        'The response: section grades, rationales, answers, the overall grade (shape: the framework response schema).',
      );
    t.text('reopen_reason').comment('Why the audit was reopened, for revisions after the first.');
    t.text('content_hash').comment('SHA-256 of the canonical JSON of the submitted response.');
    t.text('overall_grade').comment('The overall grade submitted (a level code of the framework scale).');
    t.integer('created_by_user_id').references('app_user.id').comment('Who started the revision.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it started.');
    t.integer('updated_by_user_id').references('app_user.id').comment('Who saved it last.');
    t.timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was last saved.');
    t.integer('submitted_by_user_id').references('app_user.id').comment('Who submitted it.');
    t.timestamp('submitted_at', { useTz: true }).comment('When it was submitted.');
    t.unique(['audit_id', 'revision'], { indexName: 'audit_revision_audit_revision_unique' });
  });
  await knex.raw(`
    create function audit_revision_refuse_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'audit revisions are kept: % cannot be deleted', old.id using errcode = 'P0001';
      end if;
      if old.status = 'submitted' then
        raise exception 'a submitted audit revision cannot be changed (%): reopen the audit instead', old.id
          using errcode = 'P0001';
      end if;
      return new;
    end $$`);
  await knex.raw(`create trigger audit_revision_immutable_when_submitted before update or delete on audit_revision
                  for each row execute function audit_revision_refuse_change()`);

  await knex.schema.createTable('audit_section_grade', (t) => {
    t.comment(
      'The grades of a submitted revision, one row per graded section and one for the overall grade, for statistics and reports.',
    );
    t.bigInteger('audit_revision_id')
      .notNullable()
      .references('audit_revision.id')
      .comment('The submitted revision.');
    t.text('section_id').notNullable().comment('Section id in the framework, or "overall".');
    t.text('grade').notNullable().comment('Level code of the section scale.');
    t.integer('rank').comment(
      'Position of the grade on its scale, 0 for the best; empty for "not applicable" levels.',
    );
    t.primary(['audit_revision_id', 'section_id']);
  });

  await knex.schema.createTable('safeguarding_concern', (t) => {
    t.comment(
      'An immediate safeguarding concern raised during an audit: the child may be at immediate risk of significant harm. Escalated at once.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.integer('audit_id').notNullable().references('audit.id').comment('The audit it was raised in.');
    t.integer('raised_by_user_id').references('app_user.id').comment('Who raised it.');
    t.timestamp('raised_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When.');
    t.text('details')
      .notNullable()
      .comment('What the concern is and what has been done so far (case content).');
    t.index(['audit_id'], 'safeguarding_concern_audit_idx');
  });

  await knex.schema.createTable('escalation', (t) => {
    t.comment(
      'Someone a safeguarding concern was escalated to: the team manager and head of service of the case. Notifications are sent from here.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.integer('concern_id').notNullable().references('safeguarding_concern.id').comment('The concern.');
    t.text('recipient_role')
      .notNullable()
      .checkIn(['team_manager', 'head_of_service'], 'escalation_role_check')
      .comment('Why they receive it: team_manager of the case team, or head_of_service of its service area.');
    t.integer('recipient_user_id')
      .references('app_user.id')
      .comment(
        'The user escalated to; empty when nobody holds the role for this team (shown as a gap to fix).',
      );
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was escalated.');
    t.timestamp('notified_at', { useTz: true }).comment(
      'When the notification was sent (empty until it is).',
    );
    t.index(['concern_id'], 'escalation_concern_idx');
    t.index(['recipient_user_id'], 'escalation_recipient_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('escalation');
  await knex.schema.dropTable('safeguarding_concern');
  await knex.schema.dropTable('audit_section_grade');
  await knex.raw('drop trigger audit_revision_immutable_when_submitted on audit_revision');
  await knex.schema.dropTable('audit_revision');
  await knex.raw('drop function audit_revision_refuse_change()');
  await knex.schema.alterTable('audit', (t) => {
    t.dropColumn('current_revision');
    t.dropColumn('lock_version');
  });
  await knex.raw(`update audit set status = 'allocated' where status in ('in_progress', 'submitted')`);
  await knex.raw('alter table audit drop constraint audit_status_check');
  await knex.raw(
    `alter table audit add constraint audit_status_check check (status in (${STATUSES_BEFORE.map((s) => `'${s}'`).join(', ')}))`,
  );
  await knex.raw(
    `comment on column audit.status is 'unallocated (no auditor free of conflicts had room) or allocated.'`,
  );
}
