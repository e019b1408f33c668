import type { Knex } from 'knex';

/**
 * Retention of children's records (UK GDPR storage limitation): how long each kind of case is kept, set by
 * admins, and the one narrow way the append-only audit log and submitted audit revisions may change: when a
 * child's records are pseudonymised under the retention policy (src/retention), in a transaction that says
 * so (`set local case_audit.retention_erasure = 'on'`), an audit event's summary and a submitted revision's
 * free text may be rewritten; nothing else about them, and neither may be deleted.
 */
const DEFAULTS = [
  { code: 'early-help', basis: 'age', years: 25, unknown_age_years: 25 },
  { code: 'child-in-need', basis: 'age', years: 25, unknown_age_years: 25 },
  { code: 'child-protection', basis: 'years', years: 35, unknown_age_years: null },
  { code: 'child-in-care', basis: 'age', years: 75, unknown_age_years: 75 },
  { code: 'care-leaver', basis: 'age', years: 75, unknown_age_years: 75 },
  { code: 'disabled-children', basis: 'age', years: 25, unknown_age_years: 25 },
  { code: 'front-door', basis: 'age', years: 25, unknown_age_years: 25 },
  { code: 'youth-justice', basis: 'age', years: 25, unknown_age_years: 25 },
  { code: 'adoption', basis: 'years', years: 100, unknown_age_years: null },
];

/** Only while a retention erasure says so, and only these columns. */
const erasing = (kept: string) =>
  `current_setting('case_audit.retention_erasure', true) = 'on'
   and (to_jsonb(new) - ${kept}) = (to_jsonb(old) - ${kept})`;

/**
 * audit_event's guard: append-only, but for the retention erasure of a summary (and of the record id of an
 * event named by a case reference, a restricted case's) when `retention` is on.
 */
const auditEventGuard = (retention: boolean) => `
    create or replace function audit_event_refuse_change() returns trigger language plpgsql as $$
    begin
      ${retention ? `if tg_op = 'UPDATE' and tg_level = 'ROW' then if ${erasing("'summary' - 'record_id'")} then return new; end if; end if;` : ''}
      raise exception 'audit_event is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`;

/** audit_revision's guard: a submitted revision is final, but for the retention erasure of its free text. */
const auditRevisionGuard = (retention: boolean) => `
    create or replace function audit_revision_refuse_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'audit revisions are kept: % cannot be deleted', old.id using errcode = 'P0001';
      end if;
      if old.status = 'submitted' then
        ${retention ? `if ${erasing("'response' - 'reopen_reason'")} then return new; end if;` : ''}
        raise exception 'a submitted audit revision cannot be changed (%): reopen the audit instead', old.id
          using errcode = 'P0001';
      end if;
      return new;
    end $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('retention_class', (t) => {
    t.comment(
      'How long each kind of child’s record is kept before it is pseudonymised (UK GDPR storage limitation), set by an admin; one row per case type and one for adoption. Every change is in the audit log.',
    );
    t.text('code')
      .primary()
      .comment(
        'A case type (early-help, child-protection…) or adoption (legal status E1 or D1, or placed for adoption).',
      );
    t.text('basis')
      .notNullable()
      .checkIn(['age', 'years'], 'retention_class_basis_check')
      .comment(
        'age: kept until the child’s birthday numbered `years` (from the age on the list, assuming the latest birth date it allows); years: kept `years` years after retention runs from.',
      );
    t.integer('years')
      .notNullable()
      .comment('The birthday kept until (basis age), or the years kept (basis years), 1 to 150.');
    t.integer('unknown_age_years').comment(
      'Basis age only: the years kept after retention runs from when the list gives no age.',
    );
    t.integer('updated_by_user_id')
      .references('app_user.id')
      .comment('The admin who changed it last (empty: the defaults).');
    t.timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When changed last.');
  });
  await knex.raw(`alter table retention_class add constraint retention_class_years_check
                  check (years between 1 and 150 and (unknown_age_years is null or unknown_age_years between 1 and 150))`);
  await knex.raw(`alter table retention_class add constraint retention_class_unknown_age_check
                  check ((basis = 'age') = (unknown_age_years is not null))`);
  await knex('retention_class').insert(DEFAULTS);
  await knex.raw(auditEventGuard(true));
  await knex.raw(auditRevisionGuard(true));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditRevisionGuard(false));
  await knex.raw(auditEventGuard(false));
  await knex.schema.dropTable('retention_class');
}
