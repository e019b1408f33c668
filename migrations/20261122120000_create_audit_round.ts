import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_round', (t) => {
    t.comment(
      'An audit round: a sample of cases from one import, audited against one framework version by a due date. The plan and seed reproduce the sample exactly.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('name').notNullable().comment('Name shown to users, such as "November 2026 monthly audit".');
    t.integer('framework_version_id')
      .notNullable()
      .references('framework_version.id')
      .comment('The exact framework version every audit of the round uses.');
    t.integer('import_id')
      .notNullable()
      .references('case_import.id')
      .comment('The population snapshot sampled.');
    t.jsonb('plan')
      .notNullable()
      .comment(
        'Filters, size rule, stratification, exclusions and auditors with their capacity: with the seed, all that decides the sample.',
      );
    t.integer('seed')
      .notNullable()
      .comment('Seed of the random choice; the same plan, seed and import give the same sample.');
    t.date('due_date').notNullable().comment('When the audits are due.');
    t.text('status')
      .notNullable()
      .defaultTo('open')
      .checkIn(['open', 'closed'], 'audit_round_status_check')
      .comment('open (being audited) or closed.');
    t.jsonb('summary')
      .notNullable()
      .comment(
        'What the plan gave at creation: population, exclusions, strata and their sizes, the margin-of-error inputs.',
      );
    t.integer('created_by_user_id').references('app_user.id').comment('Who created the round.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the round was created.');
  });

  await knex.schema.createTable('audit', (t) => {
    t.comment(
      'One case file to audit in a round, and who audits it. Responses, grades and moderation come with later tables.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.integer('round_id').notNullable().references('audit_round.id').comment('The round.');
    t.bigInteger('case_id').notNullable().references('case_record.id').comment('The case sampled.');
    t.text('stratum')
      .notNullable()
      .comment('The stratum it was sampled from (team:<id>, type:<case type> or all).');
    t.integer('framework_version_id')
      .notNullable()
      .references('framework_version.id')
      .comment('The framework version it is audited against (the round’s).');
    t.integer('auditor_user_id')
      .references('app_user.id')
      .comment('The auditor it is allocated to; empty while unallocated.');
    t.text('status')
      .notNullable()
      .checkIn(['unallocated', 'allocated'], 'audit_status_check')
      .comment('unallocated (no auditor free of conflicts had room) or allocated.');
    t.date('due_date').notNullable().comment('When it is due.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was created (the case was selected).');
    t.unique(['round_id', 'case_id'], { indexName: 'audit_round_case_unique' });
    t.index(['auditor_user_id', 'status'], 'audit_auditor_idx');
  });

  await knex.schema.createTable('audit_allocation', (t) => {
    t.comment('Every allocation and reallocation of an audit, with who made it and why.');
    t.specificType('id', 'bigint generated always as identity').primary().comment('Order of recording.');
    t.integer('audit_id').notNullable().references('audit.id').comment('The audit.');
    t.integer('auditor_user_id')
      .references('app_user.id')
      .comment('The auditor it went to (empty: unallocated).');
    t.integer('allocated_by_user_id')
      .references('app_user.id')
      .comment('Who allocated it (empty: allocated when the round was created).');
    t.text('reason').comment('Why it was reallocated (required for reallocations).');
    t.timestamp('allocated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When.');
    t.index(['audit_id'], 'audit_allocation_audit_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_allocation');
  await knex.schema.dropTable('audit');
  await knex.schema.dropTable('audit_round');
}
