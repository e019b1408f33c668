import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

/** A row as the export writes it: every column as stored (JSON types), with a few names joined in. */
export type HeldRow = Record<string, unknown>;

/** Ids as a PostgreSQL array literal: knex would spread a JavaScript array into one placeholder per id. */
const idArray = (ids: readonly number[]) => `{${ids.map((id) => Number(id)).join(',')}}`;

/** A query of whole rows of one table (joins allowed) whose `column` is one of the ids given. */
interface HeldQuery {
  /** The table and its alias (`moderation m`), and any joins. */
  from: string;
  alias: string;
  /** Pairs added to each row: `'team_name', t.name`. */
  add?: string;
  /** The column the ids are matched on, and their type. */
  where: string;
  type: 'int' | 'bigint';
  orderBy?: string;
}

/** The rows as JSON objects, every column as stored plus what `add` joins in, for these ids. */
async function rowsOf(ex: Executor, q: HeldQuery, ids: readonly number[]): Promise<HeldRow[]> {
  if (ids.length === 0) return [];
  const result = await knexOf(ex).raw<{ rows: { row: HeldRow }[] }>(
    `select to_jsonb(${q.alias}) || jsonb_build_object(${q.add ?? ''}) as row from ${q.from}
      where ${q.where} = any(?::${q.type}[]) order by ${q.orderBy ?? `${q.alias}.id`}`,
    [idArray(ids)],
  );
  return result.rows.map((r) => r.row);
}

/** A user's or a member of staff's name, by the id in `column`. */
const userName = (column: string) => `(select u.display_name from app_user u where u.id = ${column})`;
const personName = (column: string) => `(select p.display_name from person p where p.id = ${column})`;

/** The rows `from` (a table, alias and condition) as a JSON list of `value`, in order; [] when none. */
const listOf = (value: string, from: string, orderBy: string) =>
  `coalesce((select jsonb_agg(${value} order by ${orderBy}) from ${from}), '[]'::jsonb)`;

/**
 * Everything held about one child, found by case reference: each import's case record, then whatever hangs
 * off those records. Rows are read whole (`to_jsonb`), so a column added later is exported without a change
 * here. Read-only, with SQL of its own: other features' tables are read, never written.
 */
export const subjectAccessRepository = {
  /** The ids of the child's case records, one per import that listed them, oldest import first. */
  async caseIds(ex: Executor, caseRef: string): Promise<number[]> {
    return knexOf(ex)('case_record').where('case_ref', caseRef).orderBy(['import_id', 'id']).pluck('id');
  },

  caseRecords: (ex: Executor, caseIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'case_record c join team t on t.id = c.team_id join case_import i on i.id = c.import_id',
        alias: 'c',
        add: `'team_name', t.name, 'import_name', i.source_name, 'imported_at', i.finished_at,
          'worker_name', ${personName('c.worker_id')}`,
        where: 'c.id',
        type: 'bigint',
        orderBy: 'c.import_id, c.id',
      },
      caseIds,
    ),

  /** Every audit of the child's case records (rounds, calibration and re-audits), with its allocations. */
  audits: (ex: Executor, caseIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: `audit a join framework_version v on v.id = a.framework_version_id
          left join audit_round r on r.id = a.round_id`,
        alias: 'a',
        add: `'round_name', r.name, 'framework_id', v.framework_id, 'framework_version', v.version,
          'auditor_name', ${userName('a.auditor_user_id')},
          'allocations', ${listOf(
            `to_jsonb(x) || jsonb_build_object('auditor_name', ${userName('x.auditor_user_id')})`,
            'audit_allocation x where x.audit_id = a.id',
            'x.id',
          )}`,
        where: 'a.case_id',
        type: 'bigint',
      },
      caseIds,
    ),

  /** Every revision of these audits, drafts and submissions, with the grades each submission gave. */
  auditRevisions: (ex: Executor, auditIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'audit_revision r',
        alias: 'r',
        add: `'grades', coalesce((select jsonb_object_agg(g.section_id, g.grade)
            from audit_section_grade g where g.audit_revision_id = r.id), '{}'::jsonb)`,
        where: 'r.audit_id',
        type: 'int',
        orderBy: 'r.audit_id, r.revision',
      },
      auditIds,
    ),

  moderations: (ex: Executor, auditIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'moderation m',
        alias: 'm',
        add: `'moderator_name', ${userName('m.moderator_user_id')},
          'grades', ${listOf('to_jsonb(g)', 'moderation_grade g where g.moderation_id = m.id', 'g.section_id')}`,
        where: 'm.audit_id',
        type: 'int',
      },
      auditIds,
    ),

  safeguardingConcerns: (ex: Executor, auditIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'safeguarding_concern s',
        alias: 's',
        add: `'raised_by_name', ${userName('s.raised_by_user_id')}`,
        where: 's.audit_id',
        type: 'int',
      },
      auditIds,
    ),

  escalations: (ex: Executor, concernIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'escalation e',
        alias: 'e',
        add: `'recipient_name', ${userName('e.recipient_user_id')},
          'acknowledged_by_name', ${userName('e.acknowledged_by_user_id')}`,
        where: 'e.concern_id',
        type: 'int',
      },
      concernIds,
    ),

  /** The remediation records these audits opened, with each step of their escalation when overdue. */
  remediationRecords: (ex: Executor, auditIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'remediation_record r join team t on t.id = r.team_id',
        alias: 'r',
        add: `'team_name', t.name, 'responded_by_name', ${userName('r.responded_by_user_id')},
          'escalations', ${listOf('to_jsonb(x)', 'remediation_escalation x where x.record_id = r.id', 'x.id')}`,
        where: 'r.audit_id',
        type: 'int',
      },
      auditIds,
    ),

  remediationActions: (ex: Executor, recordIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'remediation_action x',
        alias: 'x',
        add: `'owner_name', ${personName('x.owner_person_id')},
          'verified_by_name', ${userName('x.verified_by_user_id')}`,
        where: 'x.record_id',
        type: 'int',
      },
      recordIds,
    ),

  calibrationExercises: (ex: Executor, caseIds: readonly number[]) =>
    rowsOf(
      ex,
      {
        from: 'calibration_exercise e join framework_version v on v.id = e.framework_version_id',
        alias: 'e',
        add: `'framework_id', v.framework_id, 'framework_version', v.version,
          'created_by_name', ${userName('e.created_by_user_id')}`,
        where: 'e.case_id',
        type: 'bigint',
      },
      caseIds,
    ),

  /** The audit log's entries about these records (changes and views alike), oldest first. */
  async auditEvents(
    ex: Executor,
    records: readonly { recordType: string; ids: readonly number[] }[],
  ): Promise<HeldRow[]> {
    const about = records.filter((r) => r.ids.length > 0);
    if (about.length === 0) return [];
    const result = await knexOf(ex).raw<{ rows: { row: HeldRow }[] }>(
      `select to_jsonb(e) || jsonb_build_object('actor_name', ${userName('e.actor_user_id')}) as row
         from audit_event e
        where ${about.map(() => '(e.record_type = ? and e.record_id = any(?::text[]))').join(' or ')}
        order by e.id`,
      about.flatMap((r) => [r.recordType, idArray(r.ids)]),
    );
    return result.rows.map((r) => r.row);
  },
};
