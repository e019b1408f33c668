import { longDate } from '../dates';
import { MEASURES } from './measures';
import { gradeBarsSpec, spcSpec } from './chart-specs';
import { monthName } from './months';
import type { Block, Column, PackDocument, Table } from './pdf/model';
import type { RoundMethod } from './repository';
import type { ReportingService } from './service';
import { formatFigure, type Figure } from './statistics';

type Report = Awaited<ReturnType<ReportingService['report']>>;

/** A case graded inadequate in the period, and where its remediation stands (case reference only). */
export interface InadequateFinding {
  caseRef: string;
  team: string;
  submittedOn: string;
  remediation: string;
}

export interface PackContext {
  /** The month the pack covers, YYYY-MM. */
  month: string;
  /** When the figures were read. */
  snapshotAt: Date;
  rounds: readonly RoundMethod[];
  findings: readonly InadequateFinding[];
}

const text = (f: Figure) => formatFigure(f);
const pct = (f: Figure) => f.percentDisplay ?? (f.suppressed ? 'fewer than 5' : 'none');
const left = (header: string): Column => ({ header, align: 'left' });
const right = (header: string): Column => ({ header, align: 'right' });
const h = (level: 1 | 2 | 3, value: string): Block => ({ kind: 'heading', level, text: value });
const p = (value: string): Block => ({ kind: 'paragraph', text: value });
const table = (caption: string, columns: Column[], rows: string[][]): Table => ({
  kind: 'table',
  caption,
  columns,
  rows,
  rowHeaders: true,
});

function summary(report: Report): Block[] {
  const g = report.grades;
  const target = (t: number | null) => (t === null ? '' : ` The council's target is ${t}%.`);
  const trends = report.trends.map((t) => `${t.label}: ${t.narrative}`);
  return [
    h(1, 'Summary'),
    p(
      `${g.submitted.display} audits were submitted from ${longDate(report.period.from)} to ${longDate(report.period.to)}, ${report.scope}.`,
    ),
    p(`${text(g.goodOrBetter)} were good or better.${target(g.goodOrBetter.targetPercent)}`),
    p(`${text(g.inadequate)} were inadequate.${target(g.inadequate.targetPercent)}`),
    p(
      `Of the audits planned for the period, ${text(report.plan.completed)} were completed; ${report.plan.overdue.display} are overdue.`,
    ),
    ...trends.map(p),
    {
      kind: 'key-figures',
      cards: [
        { label: 'Audits submitted', value: g.submitted.display },
        { label: 'Good or better', value: pct(g.goodOrBetter), note: text(g.goodOrBetter) },
        { label: 'Inadequate', value: pct(g.inadequate), note: text(g.inadequate) },
        {
          label: 'Planned audits completed',
          value: pct(report.plan.completed),
          note: text(report.plan.completed),
        },
      ],
    },
  ];
}

function trendBlocks(report: Report): Block[] {
  return [
    h(1, 'Trends'),
    p(
      'Each chart follows NHS England’s Making Data Count: points inside the limits are ordinary month-to-month variation and are not called a change. Blue marks improvement, orange concern, grey common cause; special-cause points are also drawn as diamonds.',
    ),
    ...report.trends.flatMap((t): Block[] => {
      const chart = spcSpec(t);
      if (!chart) return [h(2, t.label), p(t.narrative)];
      return [
        h(2, t.label),
        p(t.narrative),
        p(t.chartReason),
        {
          kind: 'figure',
          alt: `${t.label} by month, ${t.chartName}. ${t.narrative}`,
          caption: `${t.label}: ${t.chartName}${t.trial ? ' (trial limits)' : ''}`,
          chart,
          dataTable: table(
            `${t.label} by month`,
            [left('Month'), right('Percentage'), right('Audits'), left('Variation')],
            t.points.map((x) => [monthName(x.month), `${x.percent}%`, String(x.of), x.variation]),
          ),
        },
      ];
    }),
  ];
}

function gradeBlocks(report: Report): Block[] {
  const overall = report.grades.distributions[0];
  const blocks: Block[] = [h(1, 'Grades')];
  if (overall) {
    const data = table(
      'Overall grades',
      [left('Grade'), right('Audits')],
      overall.levels.map((l) => [l.label, text(l)]),
    );
    const chart = gradeBarsSpec([{ label: 'All audits', levels: overall.levels }]);
    blocks.push(
      chart
        ? {
            kind: 'figure',
            alt: `Overall grades: ${overall.levels.map((l) => `${l.label} ${text(l)}`).join('; ')}.`,
            caption: 'Overall grades',
            chart,
            dataTable: data,
          }
        : data,
    );
  }
  blocks.push(
    h(2, 'By team'),
    table(
      'Overall grades by team',
      [left('Team'), right('Submitted'), right('Good or better'), right('Inadequate')],
      report.byTeam.map((t) => [t.team, t.submitted.display, pct(t.goodOrBetter), pct(t.inadequate)]),
    ),
    h(2, 'By case type'),
    table(
      'Overall grades by case type',
      [left('Case type'), right('Submitted'), right('Good or better'), right('Inadequate')],
      report.byCaseType.map((t) => [t.label, t.submitted.display, pct(t.goodOrBetter), pct(t.inadequate)]),
    ),
  );
  const levels = report.bySection[0]?.levels.map((l) => l.label) ?? [];
  if (report.bySection.length > 0)
    blocks.push(h(2, 'Sections by grade'), {
      kind: 'figure',
      alt: 'How many audits gave each section each grade; counts under five, and any that would give one away, are shown as a dash.',
      caption:
        'Sections by grade (number of audits; a dash is fewer than 5, or withheld so that one cannot be worked out)',
      chart: {
        kind: 'heatmap',
        rows: report.bySection.map((s) => s.section),
        columns: levels,
        values: report.bySection.map((s) => s.levels.map((l) => (l.suppressed ? null : l.count))),
      },
      dataTable: table(
        'Sections by grade',
        [left('Section'), ...levels.map(right)],
        report.bySection.map((s) => [s.section, ...s.levels.map((l) => l.display)]),
      ),
    });
  return blocks;
}

function planBlocks(report: Report): Block[] {
  if (report.plan.byTeam.length === 0)
    return [h(1, 'Audits planned and completed'), p('No audit round was due in the period.')];
  return [
    h(1, 'Audits planned and completed'),
    table(
      'Audits due in the period, by team',
      [left('Team'), right('Planned'), right('Completed'), right('Overdue')],
      report.plan.byTeam.map((t) => [t.team, t.planned.display, text(t.completed), t.overdue.display]),
    ),
  ];
}

function moderationBlocks(report: Report): Block[] {
  const m = report.moderation;
  return [
    h(1, 'Moderation and agreement'),
    p(
      `${m.moderated.display} audits were moderated. The grade was upheld in ${text(m.upheld)}, raised in ${text(m.upgraded)} and lowered in ${text(m.downgraded)}.`,
    ),
    p(
      m.agreement.kappa === null
        ? 'Too few audits were moderated to measure agreement between auditors and moderators.'
        : `Agreement between auditors’ and moderators’ own grades (quadratic-weighted kappa): ${m.agreement.kappa.toFixed(2)}, from ${m.agreement.compared.display} audits.`,
    ),
    h(1, 'Practitioners and families'),
    p(
      `The auditor spoke with the practitioner in ${text(report.engagement.practitionerConversation)} audits, and sought the family’s view in ${text(report.engagement.familyFeedback)}.`,
    ),
  ];
}

function remediationBlocks(report: Report, findings: readonly InadequateFinding[]): Block[] {
  const r = report.remediation;
  return [
    h(1, 'Remediation and re-audits'),
    table(
      'Remediation',
      [left('Measure'), right('Value')],
      [
        ['Records opened', r.opened.display],
        ['Open', r.open.display],
        ['Overdue (of those open)', text(r.overdue)],
        ['Closed', r.closed.display],
        ['Actions verified', text(r.actionsVerified)],
        [
          'Median working days to close',
          r.medianWorkingDaysToClose === null ? 'fewer than 5 closed' : String(r.medianWorkingDaysToClose),
        ],
        ['Repeat inadequate within 12 months', r.repeatInadequate.display],
        ['Re-audits submitted', report.reaudits.reaudited.display],
        ['Re-audit better than before', text(report.reaudits.better)],
        ['Re-audit worse than before', text(report.reaudits.worse)],
      ],
    ),
    h(2, 'Inadequate findings'),
    findings.length === 0
      ? p('No audit was graded inadequate in the period.')
      : table(
          'Cases graded inadequate, by case reference (never names), and their remediation',
          [left('Case reference'), left('Team'), left('Submitted'), left('Remediation')],
          findings.map((f) => [f.caseRef, f.team, longDate(f.submittedOn), f.remediation]),
        ),
  ];
}

function learningBlocks(report: Report): Block[] {
  return [
    h(1, 'Learning themes'),
    ...(report.themes.length === 0
      ? [p('No yes / no question was answered “no” in the period.')]
      : report.themes.flatMap((t): Block[] => [
          h(2, t.section),
          { kind: 'list', items: t.gaps.map((g) => `${g.text}: answered no in ${text(g.answeredNo)}`) },
        ])),
    h(1, 'Inspection readiness'),
    ...report.inspectionReadiness.flatMap((a): Block[] => [
      h(2, a.label),
      {
        kind: 'list',
        items: a.sections.map(
          (s) =>
            `${s.section}: ${s.levels.map((l) => `${l.label} ${pct(l)}`).join(', ')}${s.gaps.length ? `. Gaps: ${s.gaps.map((g) => g.text).join('; ')}` : ''}`,
        ),
      },
    ]),
  ];
}

function methodBlocks(rounds: readonly RoundMethod[]): Block[] {
  const excluded = (r: RoundMethod) =>
    Object.entries(r.excluded)
      .filter(([, n]) => n > 0)
      .map(([why, n]) => `${n} ${why.replace(/([A-Z])/g, ' $1').toLowerCase()}`)
      .join(', ') || 'none';
  return [
    h(1, 'Method'),
    p(
      'Each round’s sample is drawn at random from the case list named, after the exclusions shown, with the seed shown: the same case list, plan and seed give the same sample, so anyone can check it.',
    ),
    rounds.length === 0
      ? p('No audit round was due in the period.')
      : table(
          'How each round’s sample was drawn',
          [
            left('Round'),
            left('Framework'),
            left('Case list'),
            right('Seed'),
            right('Population'),
            left('Left out'),
            right('Sampled'),
          ],
          rounds.map((r) => [
            r.name,
            `${r.frameworkTitle} ${r.frameworkVersion}`,
            r.importName ?? `import ${r.importId}`,
            String(r.seed),
            r.population === null ? '' : String(r.population),
            excluded(r),
            r.sampleSize === null ? '' : String(r.sampleSize),
          ]),
        ),
    h(2, 'Definitions'),
    {
      kind: 'list',
      items: [
        ...MEASURES.map((m) => `${m.label}: ${m.definition}`),
        'Grades are those agreed at moderation; the auditor’s where there was none.',
        'Counts from 1 to 4 are shown as “fewer than 5” and percentages made from them are left out, so that no child can be recognised.',
        'Percentages carry their 95% Wilson score interval: the range the true figure most likely lies in.',
        'Trend charts: an XmR chart (mean ± 2.66 × the average moving range) or, when monthly counts are under 30 or uneven, a p-chart whose limits widen in months with fewer audits. Limits are fixed from the first 12 months (trial limits before that). Special cause: a point outside the limits, a run of 7 on one side of the mean, 7 rises or falls in a row, or 2 of 3 points in the outer third on one side.',
      ],
    },
  ];
}

/** The monthly board pack as a document: what the PDF and its HTML twin are rendered from. */
export function packDocument(report: Report, context: PackContext): PackDocument {
  const title = `Case audit board pack: ${monthName(context.month)}`;
  return {
    title,
    subject: `The quality of children’s social care case files audited in ${monthName(context.month)}, ${report.scope}`,
    author: 'Case Audit',
    sections: [
      h(1, title),
      p(
        `Audits submitted from ${longDate(report.period.from)} to ${longDate(report.period.to)}, ${report.scope}.`,
      ),
      p(
        `Figures as they stood at ${context.snapshotAt.toISOString().replace('T', ' ').slice(0, 16)} UTC. This pack is kept as it was made; a later one is a new version.`,
      ),
      ...summary(report),
      ...trendBlocks(report),
      ...planBlocks(report),
      ...gradeBlocks(report),
      ...moderationBlocks(report),
      ...remediationBlocks(report, context.findings),
      ...learningBlocks(report),
      ...methodBlocks(context.rounds),
    ],
  };
}
