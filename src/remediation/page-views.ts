import { longDate } from '../dates';
import { answerLabel, gradeLabel } from '../frameworks/labels';
import { questionsInOrder } from '../frameworks/blocks';
import type { Framework } from '../frameworks/types';
import type { StaffMember } from '../organisation/types';
import type { Field, SelectField } from '../http/form-fields';
import type { ActionCounts, RemediationAction, RemediationRecord } from './repository';
import { STATUS_WORDS } from './transitions';
import { scaleOf, type Finding } from './triggers';

/** An open record as the Actions page lists it, with where it stands today. */
export interface BoardItem {
  record: RemediationRecord;
  counts: ActionCounts;
  awaitingResponse: boolean;
  overdue: boolean;
  dueSoon: boolean;
  awaitingVerification: boolean;
  owned: boolean;
  toVerify: boolean;
  gradedOnly: boolean;
}

/** The Actions page's groups, in order: a record is listed in the first group it belongs to. */
const GROUPS: { id: string; heading: string; test: (item: BoardItem) => boolean }[] = [
  { id: 'to-verify', heading: 'Waiting for you to verify', test: (i) => i.toVerify },
  { id: 'graded', heading: 'Cases you audited', test: (i) => i.gradedOnly },
  { id: 'overdue', heading: 'Overdue', test: (i) => i.overdue },
  { id: 'awaiting-response', heading: 'Awaiting a management response', test: (i) => i.awaitingResponse },
  { id: 'due-soon', heading: 'Due within 5 working days', test: (i) => i.dueSoon },
  {
    id: 'awaiting-verification',
    heading: 'Completed, waiting for verification',
    test: (i) => i.awaitingVerification,
  },
  { id: 'open', heading: 'Other open records', test: () => true },
];

export function findingText(framework: Framework, finding: Finding): string {
  if (finding.on === 'answer') {
    const question = questionsInOrder(framework).find((q) => q.id === finding.questionId);
    const answer = answerLabel(framework, question, finding.grade);
    return `“${question?.text ?? finding.questionId}” answered ${answer}: recommended action: ${finding.action ?? ''} Intended difference for the child: ${finding.difference ?? ''} Within ${finding.workingDays ?? ''} working days.`;
  }
  const scale = scaleOf(framework, finding.sectionId);
  const title =
    finding.sectionId === 'overall'
      ? 'Overall'
      : (framework.sections.find((s) => s.id === finding.sectionId)?.title ?? finding.sectionId);
  return `${title}: ${gradeLabel(framework, scale, finding.grade)}`;
}

function countsText(c: ActionCounts): string {
  const total = c.open + c.inProgress + c.completed + c.verified;
  if (total === 0) return 'No actions yet';
  const parts = [
    c.open + c.inProgress > 0 && `${c.open + c.inProgress} to do`,
    c.completed > 0 && `${c.completed} completed`,
    c.verified > 0 && `${c.verified} verified`,
  ].filter(Boolean);
  return `${total} action${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function rowOf(item: BoardItem) {
  const { record } = item;
  return {
    id: record.id,
    caseRef: record.caseRef,
    teamName: record.teamName,
    response: item.awaitingResponse
      ? longDate(record.responseDue)
      : record.response !== null
        ? 'Given'
        : 'Not required',
    completionDue: longDate(record.completionDue),
    counts: countsText(item.counts),
    overdue: item.overdue,
    repeatInadequate: record.repeatInadequate,
  };
}

/** The Actions page: the groups that have records, each with its rows. */
export function boardView(items: readonly BoardItem[]) {
  const left = [...items];
  const groups = GROUPS.map((group) => {
    const rows = left.filter(group.test);
    for (const row of rows) left.splice(left.indexOf(row), 1);
    return { id: group.id, heading: group.heading, rows: rows.map(rowOf) };
  }).filter((g) => g.rows.length > 0);
  return { groups, total: items.length };
}

const STATUS_COLOURS: Record<string, string> = {
  open: 'grey',
  in_progress: 'blue',
  completed: 'turquoise',
  verified: 'green',
  closed: 'green',
  withdrawn: 'grey',
};

/** One action as the record page shows it. */
export function actionView(task: RemediationAction, today: string) {
  return {
    ...task,
    kindText: task.kind === 'practice' ? 'Practice' : 'Compliance',
    statusText: STATUS_WORDS[task.status],
    statusColour: STATUS_COLOURS[task.status],
    due: longDate(task.dueDate),
    overdue: (task.status === 'open' || task.status === 'in_progress') && task.dueDate < today,
  };
}

export const RECORD_STATUS_WORDS: Record<RemediationRecord['status'], string> = {
  open: 'Open',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

export const recordStatusColour = (status: RemediationRecord['status']) => STATUS_COLOURS[status];

/** The fields of the "Add an action" form, with what was entered. */
export function actionFields(
  values: Record<string, string>,
  staff: readonly StaffMember[],
  record: RemediationRecord,
): Field[] {
  const teams = new Map<string, { value: string; text: string }[]>();
  for (const person of staff.filter((p) => p.active)) {
    const team = person.teamName ?? 'No team';
    teams.set(team, [...(teams.get(team) ?? []), { value: String(person.id), text: person.displayName }]);
  }
  const own = record.teamName;
  const owner: SelectField = {
    kind: 'select',
    name: 'ownerPersonId',
    label: 'Who owns the action',
    hint: 'One person, who will see it through.',
    value: values.ownerPersonId ?? '',
    options: [{ value: '', text: 'Choose a person' }],
    groups: [...teams]
      .sort(([a], [b]) => (a === own ? -1 : b === own ? 1 : a.localeCompare(b)))
      .map(([label, options]) => ({ label, options })),
  };
  return [
    {
      kind: 'textarea',
      name: 'description',
      label: 'What will be done',
      value: values.description ?? '',
      rows: 3,
    },
    {
      kind: 'textarea',
      name: 'intendedDifference',
      label: 'The difference it should make for the child',
      hint: 'What will be better for the child when this is done: not only what will be recorded.',
      value: values.intendedDifference ?? '',
      rows: 3,
    },
    {
      kind: 'radios',
      name: 'kind',
      legend: 'Kind of action',
      legendSize: 's',
      small: true,
      items: [
        {
          value: 'practice',
          text: 'Practice',
          hint: 'Changes the work with the child and family',
          checked: values.kind === 'practice',
        },
        {
          value: 'compliance',
          text: 'Compliance',
          hint: 'Puts the record right',
          checked: values.kind === 'compliance',
        },
      ],
    },
    owner,
    {
      kind: 'date',
      name: 'dueDate',
      legend: 'Due date',
      hint: `Leave blank for ${longDate(record.completionDue)}, the framework’s timescale. A later date needs a reason.`,
      value: { day: values['dueDate-day'], month: values['dueDate-month'], year: values['dueDate-year'] },
    },
    {
      kind: 'textarea',
      name: 'dueReason',
      label: 'Why it is due later (if it is)',
      value: values.dueReason ?? '',
      rows: 2,
    },
  ];
}
