import type { Knex } from 'knex';

const RECORD_STATUSES = ['open', 'closed', 'withdrawn'];
const ACTION_STATUSES = ['open', 'in_progress', 'completed', 'verified'];

/**
 * Remediation: a submitted audit whose grades meet one of its framework's triggers opens a record for the
 * case, owned by the case team's managers, who answer it with a management response and actions for the
 * child. Actions are verified by the auditor; the record closes when every action is verified.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('remediation_record', (t) => {
    t.comment(
      'What an audit found that must be acted on (its framework’s remediation triggers met), owned by the managers of the case’s team.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.integer('audit_id')
      .notNullable()
      .unique()
      .references('audit.id')
      .comment('The audit whose grades opened it (one record an audit; its grades may change it).');
    t.integer('team_id')
      .notNullable()
      .references('team.id')
      .comment('The case’s team when the record was opened: whose managers own it.');
    t.text('status')
      .notNullable()
      .defaultTo('open')
      .checkIn(RECORD_STATUSES, 'remediation_record_status_check')
      .comment('open, closed (every action verified) or withdrawn (the grades no longer meet a trigger).');
    t.jsonb('findings')
      .notNullable()
      .comment(
        'The grades that met a trigger: [{ on: overall | section, sectionId, grade }], from the agreed grades once moderated.',
      );
    t.boolean('response_required')
      .notNullable()
      .comment('Whether a management response is required (always when a grade is the worst on its scale).');
    t.date('response_due').notNullable().comment('When the management response is due (working days).');
    t.date('completion_due')
      .notNullable()
      .comment('When the actions are due to be completed (working days).');
    t.text('response').comment('The team manager’s management response.');
    t.integer('responded_by_user_id').references('app_user.id').comment('Who gave the response.');
    t.timestamp('responded_at', { useTz: true }).comment('When the response was given.');
    t.boolean('grade_changed_at_moderation')
      .notNullable()
      .defaultTo(false)
      .comment(
        'Moderation changed the grades so that no trigger is met, but the record had a response or actions, so it stays open.',
      );
    t.text('withdrawn_reason').comment(
      'Why it was withdrawn (the grades changed at moderation or resubmission).',
    );
    t.boolean('repeat_inadequate')
      .notNullable()
      .defaultTo(false)
      .comment('The same child (case reference) was graded inadequate overall in the 12 months before.');
    t.timestamp('closed_at', { useTz: true }).comment('When the last action was verified.');
    t.integer('version')
      .notNullable()
      .defaultTo(1)
      .comment('Optimistic concurrency: bumped on every change.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was opened.');
    t.index(['team_id', 'status'], 'remediation_record_team_status_idx');
  });
  await knex.raw(`alter table remediation_record add constraint remediation_record_closed_check
                  check ((status = 'closed') = (closed_at is not null)
                         and ((status = 'withdrawn') = (withdrawn_reason is not null)))`);

  await knex.schema.createTable('remediation_action', (t) => {
    t.comment(
      'One action a team manager set for a remediation record: what, for the child, by whom, by when.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.integer('record_id').notNullable().references('remediation_record.id').comment('The record.');
    t.text('description').notNullable().comment('What will be done.');
    t.text('intended_difference').notNullable().comment('The difference it is meant to make for the child.');
    t.text('kind')
      .notNullable()
      .checkIn(['practice', 'compliance'], 'remediation_action_kind_check')
      .comment('practice (changes the work with the child) or compliance (puts the record right).');
    t.integer('owner_person_id').notNullable().references('person.id').comment('Who owns the action.');
    t.date('due_date').notNullable().comment('When it is due.');
    t.text('due_reason').comment('Why it is due later than the framework’s timescale, when it is.');
    t.text('evidence').comment('Evidence notes: what was done, where it is recorded.');
    t.text('status')
      .notNullable()
      .defaultTo('open')
      .checkIn(ACTION_STATUSES, 'remediation_action_status_check')
      .comment(
        'open, in_progress, completed (by its owner’s team) or verified (by the auditor or a moderator).',
      );
    t.text('verification_note').comment('What the verifier checked.');
    t.integer('verified_by_user_id').references('app_user.id').comment('Who verified it.');
    t.timestamp('verified_at', { useTz: true }).comment('When it was verified.');
    t.integer('created_by_user_id').notNullable().references('app_user.id').comment('Who set it.');
    t.integer('version')
      .notNullable()
      .defaultTo(1)
      .comment('Optimistic concurrency: bumped on every change.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was set.');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('Last change.');
    t.index(['record_id'], 'remediation_action_record_idx');
    t.index(['owner_person_id'], 'remediation_action_owner_idx');
  });
  await knex.raw(`alter table remediation_action add constraint remediation_action_verified_check
                  check ((status = 'verified') = (verified_at is not null and verified_by_user_id is not null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('remediation_action');
  await knex.schema.dropTable('remediation_record');
}
