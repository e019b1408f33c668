import type { Knex } from 'knex';

export const DEFAULT_MODERATION_POLICY = {
  samplePercent: 20,
  allInadequate: true,
  allOutstanding: false,
  blind: true,
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_round', (t) => {
    t.jsonb('moderation')
      .notNullable()
      .defaultTo(JSON.stringify(DEFAULT_MODERATION_POLICY))
      .comment(
        'Moderation policy: samplePercent (random share of submitted audits), allInadequate, allOutstanding (moderate every audit graded so overall), blind (moderators grade before seeing the auditor’s grades).',
      );
  });

  await knex.schema.createTable('calibration_exercise', (t) => {
    t.comment(
      'A calibration exercise: several auditors grade the same case independently, then compare where they differ.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('name').notNullable().comment('Name shown to auditors, e.g. "Calibration: neglect, November".');
    t.bigInteger('case_id').notNullable().references('case_record.id').comment('The case everyone grades.');
    t.integer('framework_version_id')
      .notNullable()
      .references('framework_version.id')
      .comment('The framework version it is graded against.');
    t.date('due_date').notNullable().comment('When the grading is due.');
    t.text('status')
      .notNullable()
      .defaultTo('open')
      .checkIn(['open', 'closed'], 'calibration_status_check')
      .comment('open (auditors are grading) or closed.');
    t.integer('created_by_user_id').references('app_user.id').comment('Who set it up.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was set up.');
  });

  await knex.schema.alterTable('audit', (t) => {
    t.integer('round_id').nullable().alter();
    t.integer('calibration_id')
      .references('calibration_exercise.id')
      .comment('The calibration exercise it belongs to, for calibration audits (then round_id is empty).');
    t.unique(['calibration_id', 'auditor_user_id'], { indexName: 'audit_calibration_auditor_unique' });
  });
  await knex.raw(
    `alter table audit add constraint audit_round_or_calibration_check check ((round_id is null) <> (calibration_id is null))`,
  );
  await knex.raw(
    `comment on column audit.round_id is 'The round, for audits sampled in a round (empty for calibration audits).'`,
  );

  await knex.schema.createTable('moderation', (t) => {
    t.comment(
      'A second look at a submitted audit by a moderator who did not do it and has no conflict with the case.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.integer('audit_id').notNullable().references('audit.id').comment('The audit.');
    t.bigInteger('audit_revision_id')
      .notNullable()
      .unique()
      .references('audit_revision.id')
      .comment('The submitted revision moderated.');
    t.text('reason')
      .notNullable()
      .checkIn(['random', 'inadequate', 'outstanding'], 'moderation_reason_check')
      .comment(
        'Why it was selected: random (the round’s sample percentage), inadequate or outstanding (the overall grade).',
      );
    t.boolean('blind')
      .notNullable()
      .comment('Whether the moderator grades before seeing the auditor’s grades.');
    t.text('status')
      .notNullable()
      .defaultTo('queued')
      .checkIn(['queued', 'graded', 'completed', 'cancelled'], 'moderation_status_check')
      .comment(
        'queued (waiting), graded (the moderator’s blind grades recorded), completed (outcome recorded) or cancelled (the audit was reopened).',
      );
    t.integer('moderator_user_id').references('app_user.id').comment('The moderator, once one takes it.');
    t.timestamp('graded_at', { useTz: true }).comment('When the blind grades were recorded.');
    t.text('summary').comment('The moderator’s overall comments to the auditor.');
    t.timestamp('completed_at', { useTz: true }).comment('When the outcome was recorded.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was selected.');
    t.index(['status'], 'moderation_status_idx');
    t.index(['audit_id'], 'moderation_audit_idx');
  });

  await knex.schema.createTable('moderation_grade', (t) => {
    t.comment(
      'Per graded section and overall: the auditor’s grade, the moderator’s own grade, and the agreed grade, which is the grade reported.',
    );
    t.integer('moderation_id').notNullable().references('moderation.id').comment('The moderation.');
    t.text('section_id').notNullable().comment('Section id in the framework, or "overall".');
    t.text('auditor_grade').notNullable().comment('The grade the auditor submitted (kept as it was).');
    t.text('moderator_grade').comment('The moderator’s own grade, recorded before the outcome.');
    t.text('agreed_grade').comment('The agreed grade: the grade reported from now on.');
    t.text('outcome')
      .checkIn(['upheld', 'upgraded', 'downgraded'], 'moderation_grade_outcome_check')
      .comment('upheld (agreed = auditor’s), upgraded (better) or downgraded (worse).');
    t.text('reason').comment(
      'Why the grade was changed (required for upgrades and downgrades), or comments.',
    );
    t.primary(['moderation_id', 'section_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('moderation_grade');
  await knex.schema.dropTable('moderation');
  await knex.raw('alter table audit drop constraint audit_round_or_calibration_check');
  await knex.schema.alterTable('audit', (t) => {
    t.dropUnique(['calibration_id', 'auditor_user_id'], 'audit_calibration_auditor_unique');
    t.dropColumn('calibration_id');
  });
  // Refused (not null violated) while calibration audits exist: they would have nowhere to go.
  await knex.raw('alter table audit alter column round_id set not null');
  await knex.raw(`comment on column audit.round_id is 'The round.'`);
  await knex.schema.dropTable('calibration_exercise');
  await knex.schema.alterTable('audit_round', (t) => {
    t.dropColumn('moderation');
  });
}
