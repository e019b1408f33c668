import type { Knex } from 'knex';

/**
 * Re-audits: when a remediation record closes, its framework may want the case audited again. The
 * re-audit is an audit of its own, with a third home beside a round and a calibration exercise: the
 * record it follows up. An audit belongs to exactly one of the three.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit', (t) => {
    t.integer('remediation_record_id')
      .references('remediation_record.id')
      .comment(
        'For a re-audit: the closed remediation record whose case it audits again (then round_id and calibration_id are empty).',
      );
    t.unique(['remediation_record_id'], { indexName: 'audit_remediation_record_unique' });
  });
  await knex.raw('alter table audit drop constraint audit_round_or_calibration_check');
  await knex.raw(`alter table audit add constraint audit_home_check
                  check (num_nonnulls(round_id, calibration_id, remediation_record_id) = 1)`);
  await knex.raw(
    `comment on column audit.round_id is 'The round, for audits sampled in a round (empty for calibration audits and re-audits).'`,
  );
  await knex.raw(
    `comment on column audit.stratum is 'The stratum it was sampled from (team:<id>, type:<case type> or all); calibration or reaudit for audits not sampled.'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `comment on column audit.stratum is 'The stratum it was sampled from (team:<id>, type:<case type> or all).'`,
  );
  await knex.raw(
    `comment on column audit.round_id is 'The round, for audits sampled in a round (empty for calibration audits).'`,
  );
  await knex.raw('alter table audit drop constraint audit_home_check');
  await knex.schema.alterTable('audit', (t) => {
    t.dropUnique(['remediation_record_id'], 'audit_remediation_record_unique');
    t.dropColumn('remediation_record_id');
  });
  // Refused (the check is violated) while re-audits exist: they would belong to nothing.
  await knex.raw(
    `alter table audit add constraint audit_round_or_calibration_check check ((round_id is null) <> (calibration_id is null))`,
  );
}
