import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import { ERASED, PSEUDONYM_PREFIX } from './erasure';
import type { ChildFacts, ListEntry, RetentionBasis, RetentionClass } from './policy';

interface ClassRow {
  code: string;
  basis: RetentionBasis;
  years: number;
  unknown_age_years: number | null;
}

const toClass = (row: ClassRow): RetentionClass => ({
  code: row.code,
  basis: row.basis,
  years: row.years,
  unknownAgeYears: row.unknown_age_years,
});

/** A London day of a timestamp column, as YYYY-MM-DD. */
const day = (column: string) => `to_char(${column} at time zone 'Europe/London', 'YYYY-MM-DD')`;

/** One submitted or draft revision of an audit of the child, with its framework, to erase its free text. */
export interface RevisionToErase {
  id: number;
  response: unknown;
  frameworkId: string;
  version: string;
}

/** The child's records, found by their case reference in the transaction that pseudonymises them. */
export interface ChildRecords {
  caseIds: number[];
  auditIds: number[];
  remediationIds: number[];
  actionIds: number[];
  escalationIds: number[];
}

/** The records of a child (surrogate ids, as text, as audit events name them) by audit event record type. */
const EVENT_RECORDS = (records: ChildRecords): [string, number[]][] => [
  ['audit', records.auditIds],
  ['remediation', records.remediationIds],
  ['remediation_action', records.actionIds],
  ['escalation', records.escalationIds],
];

const textIds = (ids: readonly number[]) => `{${ids.join(',')}}`;

/**
 * The retention feature's reads and writes: its classes, the facts of each child that decide when their
 * records fall due, and the pseudonymisation of one child's records across the tables that hold them (a
 * read and write of other features' tables that only retention makes, kept here in one place).
 */
export const retentionRepository = {
  async classes(ex: Executor): Promise<RetentionClass[]> {
    const rows = await knexOf(ex)('retention_class').select<ClassRow[]>(
      'code',
      'basis',
      'years',
      'unknown_age_years',
    );
    return rows.map(toClass);
  },

  /** Changes a class; false when there is no class with its code. */
  async updateClass(ex: Executor, rule: RetentionClass, userId: number | null): Promise<boolean> {
    const updated = await knexOf(ex)('retention_class')
      .where({ code: rule.code })
      .update({
        basis: rule.basis,
        years: rule.years,
        unknown_age_years: rule.unknownAgeYears,
        updated_by_user_id: userId,
        updated_at: knexOf(ex).fn.now(),
      });
    return updated > 0;
  },

  /**
   * The facts of up to `limit` children (case references not yet pseudonymised) after `after`, in order of
   * reference: every list they are on, the last day an audit of them recorded anything, and whether any
   * work on them is open. `refs` narrows it to these references.
   */
  async children(
    ex: Executor,
    page: { after: string; limit: number } | { refs: readonly string[] },
  ): Promise<ChildFacts[]> {
    const k = knexOf(ex);
    const refs =
      'refs' in page
        ? k.raw('select unnest(?::text[]) as case_ref', [
            `{${page.refs.map((r) => JSON.stringify(r)).join(',')}}`,
          ])
        : k.raw(
            `select distinct case_ref from case_record where case_ref > ? and case_ref not like ?
              order by case_ref limit ?`,
            [page.after, `${PSEUDONYM_PREFIX}%`, page.limit],
          );
    const { rows } = await k.raw<{
      rows: { case_ref: string; entries: ListEntry[]; last_audit_date: string | null; open_work: boolean }[];
    }>(
      `with refs as (?),
       cases as (select c.id, c.case_ref, c.case_type, c.age_years, c.legal_status, c.placement_type, c.import_id
                   from case_record c join refs r on r.case_ref = c.case_ref),
       audits as (select a.id, a.status, a.created_at, x.case_ref from audit a join cases x on x.id = a.case_id),
       entries as (
         select x.case_ref, json_agg(json_build_object(
                  'caseType', x.case_type, 'ageYears', x.age_years, 'legalStatus', x.legal_status,
                  'placementType', x.placement_type, 'listDate', ${day('coalesce(i.finished_at, i.started_at)')})
                  order by x.id) as entries
           from cases x join case_import i on i.id = x.import_id group by x.case_ref),
       dates as (
         select case_ref, max(t) as t from (
           select a.case_ref, greatest(a.created_at, v.updated_at, v.submitted_at) as t
             from audits a left join audit_revision v on v.audit_id = a.id
           union all
           select a.case_ref, greatest(m.created_at, m.graded_at, m.completed_at)
             from moderation m join audits a on a.id = m.audit_id
           union all
           select a.case_ref, greatest(rr.responded_at, rr.closed_at)
             from remediation_record rr join audits a on a.id = rr.audit_id) d
          group by case_ref),
       open as (
         select case_ref from audits where status not in ('submitted', 'cancelled')
         union
         select a.case_ref from moderation m join audits a on a.id = m.audit_id where m.status in ('queued', 'graded')
         union
         select a.case_ref from remediation_record rr join audits a on a.id = rr.audit_id where rr.status = 'open')
       select e.case_ref, e.entries, ${day('d.t')} as last_audit_date, (o.case_ref is not null) as open_work
         from entries e left join dates d on d.case_ref = e.case_ref left join open o on o.case_ref = e.case_ref
        order by e.case_ref`,
      [refs],
    );
    return rows
      .filter((row) => row.entries !== null)
      .map((row) => ({
        caseRef: row.case_ref,
        entries: row.entries,
        lastAuditDate: row.last_audit_date,
        openWork: row.open_work,
      }));
  },

  /**
   * Opens the transaction's one way to rewrite audit events' summaries and submitted revisions' free text
   * (the triggers of migrations/20261202090000_create_retention_class.ts), for this transaction only.
   */
  async allowErasure(ex: Executor): Promise<void> {
    await knexOf(ex).raw(`set local case_audit.retention_erasure = 'on'`);
  },

  /** The child's records, locked against a second run pseudonymising them at the same time. */
  async lockChild(ex: Executor, caseRef: string): Promise<ChildRecords> {
    const k = knexOf(ex);
    const caseIds: number[] = (
      await k('case_record').where({ case_ref: caseRef }).orderBy('id').forUpdate().select('id')
    ).map((r: { id: string | number }) => Number(r.id));
    const ids = async (query: Promise<unknown[]>) => (await query).map(Number);
    const auditIds = await ids(k('audit').whereIn('case_id', caseIds).orderBy('id').pluck('id'));
    const remediationIds = await ids(
      k('remediation_record').whereIn('audit_id', auditIds).orderBy('id').pluck('id'),
    );
    const actionIds = await ids(
      k('remediation_action').whereIn('record_id', remediationIds).orderBy('id').pluck('id'),
    );
    const escalationIds = await ids(
      k('escalation as e')
        .join('safeguarding_concern as s', 's.id', 'e.concern_id')
        .whereIn('s.audit_id', auditIds)
        .orderBy('e.id')
        .pluck('e.id'),
    );
    return { caseIds, auditIds, remediationIds, actionIds, escalationIds };
  },

  /**
   * The child's case records under the pseudonym, with everything about the child but the case type, team
   * and list flags (closed, restricted) taken away. Rows of refused lines that named the child too.
   */
  async pseudonymiseCases(ex: Executor, caseRef: string, pseudonym: string): Promise<number> {
    const k = knexOf(ex);
    const updated = await k('case_record').where({ case_ref: caseRef }).update({
      case_ref: pseudonym,
      worker_id: null,
      age_years: null,
      gender: null,
      ethnicity: null,
      disability: null,
      legal_status: null,
      category_of_abuse: null,
      placement_type: null,
      uasc: null,
      missing_episodes: null,
      start_date: null,
      attributes: '{}',
    });
    await k('case_import_rejection')
      .where({ case_ref: caseRef })
      .update({ case_ref: pseudonym, reasons: ERASED });
    // Grants of a restricted case follow the child, and the audit log names the case by its reference.
    await k('restricted_case_access').where({ case_ref: caseRef }).update({ case_ref: pseudonym });
    await k('audit_event')
      .where({ record_type: 'restricted_case', record_id: caseRef })
      .update({ record_id: pseudonym });
    return updated;
  },

  async revisions(ex: Executor, auditIds: readonly number[]): Promise<RevisionToErase[]> {
    return knexOf(ex)('audit_revision as v')
      .join('audit as a', 'a.id', 'v.audit_id')
      .join('framework_version as f', 'f.id', 'a.framework_version_id')
      .whereIn('v.audit_id', auditIds)
      .orderBy('v.id')
      .select('v.id', 'v.response', 'f.framework_id as frameworkId', 'f.version');
  },

  async eraseRevision(ex: Executor, id: number, response: unknown): Promise<void> {
    const k = knexOf(ex);
    await k('audit_revision')
      .where({ id })
      .update({
        response: JSON.stringify(response),
        reopen_reason: k.raw('case when reopen_reason is null then null else ? end', [ERASED]),
      });
  },

  /**
   * Free text about the child's audits erased, everywhere it is written: reallocation reasons,
   * safeguarding concerns, moderators' comments and notes, management responses, withdrawal reasons and
   * actions. Grades, outcomes, statuses and dates stay.
   */
  async eraseAuditText(ex: Executor, records: ChildRecords): Promise<void> {
    const k = knexOf(ex);
    const erase = (column: string) => k.raw(`case when ${column} is null then null else ? end`, [ERASED]);
    await k('audit_allocation')
      .whereIn('audit_id', records.auditIds)
      .whereNotNull('reason')
      .update({ reason: ERASED });
    await k('safeguarding_concern').whereIn('audit_id', records.auditIds).update({ details: ERASED });
    const moderationIds = k('moderation').whereIn('audit_id', records.auditIds).select('id');
    await k('moderation')
      .whereIn('audit_id', records.auditIds)
      .whereNotNull('summary')
      .update({ summary: ERASED });
    await k('moderation_grade')
      .whereIn('moderation_id', moderationIds)
      .update({ reason: erase('reason'), moderator_notes: erase('moderator_notes') });
    await k('remediation_record')
      .whereIn('id', records.remediationIds)
      .update({ response: erase('response'), withdrawn_reason: erase('withdrawn_reason') });
    await k('remediation_action')
      .whereIn('id', records.actionIds)
      .update({
        description: ERASED,
        intended_difference: ERASED,
        due_reason: erase('due_reason'),
        evidence: erase('evidence'),
        verification_note: erase('verification_note'),
      });
  },

  /** The audit events about the child's records (found by the record they name), to scrub. */
  async eventsAbout(ex: Executor, records: ChildRecords): Promise<{ id: number; summary: unknown }[]> {
    const k = knexOf(ex);
    const named = EVENT_RECORDS(records).filter(([, ids]) => ids.length > 0);
    if (named.length === 0) return [];
    const rows: { id: string | number; summary: unknown }[] = await k('audit_event')
      .whereRaw(
        named.map(() => '(record_type = ? and record_id = any(?::text[]))').join(' or '),
        named.flatMap(([type, ids]) => [type, textIds(ids)]),
      )
      .orderBy('id')
      .select('id', 'summary');
    return rows.map((r: { id: string | number; summary: unknown }) => ({
      id: Number(r.id),
      summary: r.summary,
    }));
  },

  async rewriteEventSummary(ex: Executor, id: number, summary: unknown): Promise<void> {
    await knexOf(ex)('audit_event')
      .where({ id })
      .update({ summary: JSON.stringify(summary) });
  },
};
