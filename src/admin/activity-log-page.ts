import { Router, type Request } from 'express';
import { AUDIT_ACTIONS, type AuditAction } from '../activity-log/actions';
import { RECORD_TYPES, type RecordTypeName } from '../activity-log/record-types';
import type { AuditEventFilter } from '../activity-log/repository';
import type { ActivityLog } from '../activity-log/service';
import type { FieldErrors } from '../http/form-fields';
import { dateFrom, one, type FormValues } from '../http/form-values';
import { pagedTitle } from '../http/page-title';
import { queryChoice, queryId, queryPage, queryString } from '../http/params';
import type { UsersService } from '../users/service';
import { formView } from './fields';

const PAGE_SIZE = 50;
const ACTIONS = Object.keys(AUDIT_ACTIONS) as AuditAction[];
const RECORD_TYPE_NAMES = Object.keys(RECORD_TYPES) as RecordTypeName[];
const DATE_PARTS = ['day', 'month', 'year'] as const;

export interface ActivityLogQuery {
  filter: Omit<AuditEventFilter, 'limit' | 'offset'>;
  page: number;
  /** The query as sent, to fill the form and the page links. */
  values: Record<string, string>;
  errors: FieldErrors;
}

/**
 * The audit log's filters from the query string: who acted, which record, which action, and a date range
 * (GOV.UK date inputs, each date checked, the range the right way round). Malformed parameters are a 400
 * naming them; a date that is not a real one comes back as a field error for the form.
 */
export function activityLogQuery(req: Request): ActivityLogQuery {
  const values: Record<string, string> = {};
  const keep = (name: string, value: string | number | undefined) => {
    if (value !== undefined) values[name] = String(value);
    return value;
  };
  const userId = keep('user', queryId(req, 'user')) as number | undefined;
  const recordType = keep('recordType', queryChoice(req, 'recordType', RECORD_TYPE_NAMES)) as
    string | undefined;
  const recordId = keep('recordId', queryString(req, 'recordId', 100)?.trim() || undefined) as
    string | undefined;
  const action = keep('action', queryChoice(req, 'action', ACTIONS)) as string | undefined;
  const errors: FieldErrors = {};
  const dates: Record<string, string> = {};
  for (const [name, what] of [
    ['from', 'the start date'],
    ['to', 'the end date'],
  ] as const) {
    const parts: FormValues = {};
    for (const part of DATE_PARTS) {
      const value = queryString(req, `${name}-${part}`, 10);
      keep(`${name}-${part}`, value);
      parts[`${name}-${part}`] = value;
    }
    if (DATE_PARTS.every((part) => !one(parts, `${name}-${part}`))) continue;
    const parsed = dateFrom(parts, name, what);
    if ('error' in parsed) errors[name] = parsed.error;
    else dates[name] = parsed.date;
  }
  if (dates.from && dates.to && dates.from > dates.to)
    errors.to = 'The end date must be the same as or after the start date';
  return {
    filter: {
      ...(userId ? { userId } : {}),
      ...(recordType ? { recordType } : {}),
      ...(recordId ? { recordId } : {}),
      ...(action ? { action } : {}),
      ...(dates.from ? { fromDate: dates.from } : {}),
      ...(dates.to ? { toDate: dates.to } : {}),
    },
    page: queryPage(req),
    values,
    errors,
  };
}

const option = (value: string, text: string) => ({ value, text });

export function activityLogPage({
  activityLog,
  users,
}: {
  activityLog: ActivityLog;
  users: UsersService;
}): Router {
  const router = Router();

  router.get('/admin/audit-log', async (req, res) => {
    const query = activityLogQuery(req);
    const { values, errors, page } = query;
    const dateValue = (name: string) => ({
      day: values[`${name}-day`],
      month: values[`${name}-month`],
      year: values[`${name}-year`],
    });
    const form = formView(
      [
        {
          kind: 'select',
          name: 'user',
          label: 'Who',
          value: values.user ?? '',
          options: [
            option('', 'Anyone'),
            ...(await users.list()).map((u) => option(String(u.id), u.displayName)),
          ],
        },
        {
          kind: 'select',
          name: 'action',
          label: 'What they did',
          value: values.action ?? '',
          options: [
            option('', 'Anything'),
            ...ACTIONS.map((a) => option(a, AUDIT_ACTIONS[a].label)).sort((x, y) =>
              x.text.localeCompare(y.text),
            ),
          ],
        },
        {
          kind: 'select',
          name: 'recordType',
          label: 'Kind of record',
          value: values.recordType ?? '',
          options: [option('', 'Any'), ...RECORD_TYPE_NAMES.map((t) => option(t, RECORD_TYPES[t].name))],
        },
        {
          kind: 'input',
          name: 'recordId',
          label: 'Record id',
          hint: 'The number in the record’s address, such as 12 in /audits/12.',
          value: values.recordId ?? '',
          width: 10,
        },
        {
          kind: 'date',
          name: 'from',
          legend: 'From',
          hint: 'For example, 27 3 2026',
          value: dateValue('from'),
        },
        { kind: 'date', name: 'to', legend: 'To', hint: 'For example, 31 3 2026', value: dateValue('to') },
      ],
      errors,
    );
    const failed = Object.keys(errors).length > 0;
    const { events, total } = failed
      ? { events: [], total: 0 }
      : await activityLog.listReadable({ ...query.filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const href = (p: number) =>
      `/admin/audit-log?${new URLSearchParams({ ...values, page: String(p) }).toString()}`;
    res.status(failed ? 400 : 200).render('admin/audit-log', {
      title: pagedTitle('Audit log', page, pages),
      backLink: { href: '/admin', text: 'Administration' },
      errorList: form.errorList,
      whoAndWhat: form.fields.slice(0, 4),
      when: form.fields.slice(4),
      failed,
      filtered: Object.keys(values).length > 0,
      events,
      total,
      page,
      pages,
      from: (page - 1) * PAGE_SIZE + 1,
      to: (page - 1) * PAGE_SIZE + events.length,
      previousPage: page - 1,
      nextPage: page + 1,
      previousHref: page > 1 ? href(page - 1) : undefined,
      nextHref: page < pages ? href(page + 1) : undefined,
    });
  });
  return router;
}
