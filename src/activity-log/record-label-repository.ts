import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import type { RecordTypeName } from './record-types';

/** What names a record in the audit log: its label, and a second key some addresses need. */
export interface RecordLabel {
  label: string;
  ref?: string;
}

const importName = `select id, coalesce(source_name, 'import ' || id) as label from case_import where id = any(?)`;
const userName = 'select id, display_name as label from app_user where id = any(?)';

/**
 * One query per record type, each taking the page's ids of that type: a read-only look at other features'
 * tables, for names only (a case is named by its reference, never by anything about the child).
 */
const LOOKUPS: Partial<Record<RecordTypeName, string>> = {
  audit: `select a.id, c.case_ref as label, case when a.remediation_record_id is not null then 'reaudit' end as ref
    from audit a join case_record c on c.id = a.case_id where a.id = any(?)`,
  audit_round: 'select id, name as label from audit_round where id = any(?)',
  audit_list: userName,
  app_user: userName,
  team: 'select id, name as label from team where id = any(?)',
  person: 'select id, display_name as label from person where id = any(?)',
  case_import: importName,
  case_import_rejection: importName,
  case_import_mapping: 'select id, name as label from case_import_mapping where id = any(?)',
  audit_round_preview: importName,
  calibration_exercise: 'select id, name as label from calibration_exercise where id = any(?)',
  escalation: `select e.id, c.case_ref as label from escalation e join safeguarding_concern s on s.id = e.concern_id
    join audit a on a.id = s.audit_id join case_record c on c.id = a.case_id where e.id = any(?)`,
  escalation_list: userName,
  remediation: `select r.id, c.case_ref as label from remediation_record r join audit a on a.id = r.audit_id
    join case_record c on c.id = a.case_id where r.id = any(?)`,
  remediation_action: `select x.id, c.case_ref as label, x.record_id::text as ref from remediation_action x
    join remediation_record r on r.id = x.record_id join audit a on a.id = r.audit_id
    join case_record c on c.id = a.case_id where x.id = any(?)`,
  remediation_list: userName,
  subject_access: 'select id, case_ref as label from case_record where id = any(?)',
  report_pack: `select id, month || ', version ' || version as label from report_pack where id = any(?)`,
  framework_version: `select id, title || ', version ' || version as label,
    framework_id || '/versions/' || version as ref from framework_version where id = any(?)`,
  api_token: `select t.id, t.name || ', ' || u.display_name as label
    from api_token t join app_user u on u.id = t.user_id where t.id = any(?)`,
};

const ID = /^[1-9][0-9]{0,8}$/;

export const recordLabelRepository = {
  /** Labels of these records, by `type:id`; records that are gone (or not ids) are left out. */
  async labels(
    ex: Executor,
    records: readonly { recordType: string; recordId: string | null }[],
  ): Promise<Map<string, RecordLabel>> {
    const byType = new Map<string, Set<number>>();
    for (const { recordType, recordId } of records) {
      if (recordId === null || !ID.test(recordId) || !(recordType in LOOKUPS)) continue;
      byType.set(recordType, (byType.get(recordType) ?? new Set()).add(Number(recordId)));
    }
    const labels = new Map<string, RecordLabel>();
    await Promise.all(
      [...byType].map(async ([type, ids]) => {
        const sql = LOOKUPS[type as RecordTypeName] as string;
        const result = await knexOf(ex).raw<{ rows: { id: number; label: string; ref?: string }[] }>(
          sql.replace('any(?)', 'any(?::int[])'),
          // An array literal: knex would spread a JavaScript array into one placeholder per id.
          [`{${[...ids].join(',')}}`],
        );
        for (const row of result.rows)
          labels.set(`${type}:${row.id}`, { label: row.label, ...(row.ref ? { ref: row.ref } : {}) });
      }),
    );
    return labels;
  },
};
