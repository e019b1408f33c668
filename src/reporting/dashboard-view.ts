import { longDate } from '../dates';
import type { ReportingService, ReportQuery } from './service';
import { formatFigure, type Count, type Figure } from './statistics';
import { gradeBarsSpec, spcSpec } from './chart-specs';
import { monthName } from './months';
import type { ChartSpec } from './pdf/model';
import { chartSvg } from './pdf/svg';

const CHART_WIDTH = 640;

/** A chart as inline SVG, or nothing when there is none to draw. */
const svgOf = (spec: ChartSpec | undefined, alt: string) => (spec ? chartSvg(spec, CHART_WIDTH, alt) : '');

type Report = Awaited<ReturnType<ReportingService['report']>>;
type Options = Awaited<ReturnType<ReportingService['filterOptions']>>;

const option = (value: string, text: string, selected: string | number | undefined) => ({
  value,
  text,
  selected: value === (selected === undefined ? '' : String(selected)),
});

/** "32 of 48 (67%, 95% CI 53% to 78%)", or "fewer than 5" and so on. */
const text = (f: Figure) => formatFigure(f);
const count = (c: Count) => c.display;
const percentOf = (f: Figure) => f.percentDisplay ?? (f.suppressed ? 'fewer than 5' : '–');

/** What the dashboard template shows, from the report as every reader sees it. */
export function dashboardView(
  report: Report,
  context: {
    options: Options;
    months: string[];
    caseTypes: { value: string; text: string }[];
    query: ReportQuery;
  },
) {
  const { query, options } = context;
  const from = report.period.from.slice(0, 7);
  const to = report.period.to.slice(0, 7);
  const overall = report.grades.distributions[0];
  return {
    filters: {
      from: context.months.map((m) => option(m, monthName(m), from)),
      to: context.months.map((m) => option(m, monthName(m), to)),
      team: [
        option('', 'All teams', query.teamId),
        ...options.teams.map((t) => option(String(t.id), t.name, query.teamId)),
      ],
      serviceArea: [
        option('', 'All service areas', query.serviceAreaId),
        ...options.serviceAreas.map((a) => option(String(a.id), a.name, query.serviceAreaId)),
      ],
      locality: [
        option('', 'All localities', query.localityId),
        ...options.localities.map((l) => option(String(l.id), l.name, query.localityId)),
      ],
      caseType: [
        option('', 'All case types', query.caseType),
        ...context.caseTypes.map((c) => option(c.value, c.text, query.caseType)),
      ],
      framework: [
        option('', 'All frameworks', query.frameworkId),
        ...options.frameworks.map((f) => option(f.id, f.name, query.frameworkId)),
      ],
      months: ['3', '12', '24'].map((m) => option(m, `${m} months`, query.trendMonths ?? 24)),
    },
    periodText: `${longDate(report.period.from)} to ${longDate(report.period.to)}`,
    scope: report.scope,
    headline: [
      { label: 'Audits submitted', value: count(report.grades.submitted), detail: '' },
      {
        label: 'Good or better',
        value: percentOf(report.grades.goodOrBetter),
        detail: text(report.grades.goodOrBetter),
        target: report.grades.goodOrBetter.targetPercent,
      },
      {
        label: 'Inadequate',
        value: percentOf(report.grades.inadequate),
        detail: text(report.grades.inadequate),
        target: report.grades.inadequate.targetPercent,
      },
      {
        label: 'Planned audits completed',
        value: percentOf(report.plan.completed),
        detail: `${text(report.plan.completed)}; ${count(report.plan.overdue)} overdue`,
        target: report.plan.completed.targetPercent,
      },
    ],
    overall: overall && {
      scale: overall.scale,
      levels: overall.levels.map((l) => ({ label: l.label, value: text(l) })),
      chart: svgOf(
        gradeBarsSpec([{ label: 'All audits', levels: overall.levels }]),
        `Overall grades: ${overall.levels.map((l) => `${l.label} ${text(l)}`).join('; ')}`,
      ),
    },
    byTeam: {
      rows: report.byTeam.map((t) => ({
        team: t.team,
        submitted: count(t.submitted),
        goodOrBetter: percentOf(t.goodOrBetter),
        inadequate: percentOf(t.inadequate),
      })),
      chart: svgOf(
        gradeBarsSpec(
          report.byTeam.map((t) => ({ label: t.team, levels: t.distributions[0]?.levels ?? [] })),
        ),
        'Overall grades by team, for teams with five or more audits; the table below gives every team’s figures.',
      ),
    },
    byCaseType: report.byCaseType.map((c) => ({
      label: c.label,
      submitted: count(c.submitted),
      goodOrBetter: percentOf(c.goodOrBetter),
      inadequate: percentOf(c.inadequate),
    })),
    sectionLevels: report.bySection[0]?.levels.map((l) => l.label) ?? [],
    bySection: report.bySection.map((s) => ({
      section: s.section,
      cells: s.levels.map((l) => percentOf(l)),
    })),
    plan: report.plan.byTeam.map((t) => ({
      team: t.team,
      planned: count(t.planned),
      completed: text(t.completed),
      overdue: count(t.overdue),
    })),
    trends: report.trends.map((t) => ({
      ...t,
      svg: svgOf(spcSpec(t), `${t.label}, ${t.chartName}. ${t.narrative}`),
      withheld: t.monthsWithheld.map(monthName).join(', '),
      tableLabel: `${t.label} by month`,
      rows: t.points.map((p) => ({
        month: monthName(p.month),
        percent: `${p.percent}%`,
        of: p.of,
        variation: p.variation === 'common' ? 'Common cause' : `Special cause: ${p.variation}`,
      })),
    })),
    moderation: [
      { label: 'Audits moderated', value: count(report.moderation.moderated) },
      { label: 'Grade upheld', value: text(report.moderation.upheld) },
      { label: 'Upgraded', value: text(report.moderation.upgraded) },
      { label: 'Downgraded', value: text(report.moderation.downgraded) },
      {
        label: 'Agreement (quadratic-weighted kappa)',
        value:
          report.moderation.agreement.kappa === null
            ? 'Not enough moderated audits'
            : report.moderation.agreement.kappa.toFixed(2),
      },
    ],
    engagement: [
      { label: 'Practitioner spoken with', value: text(report.engagement.practitionerConversation) },
      { label: 'Family’s view sought', value: text(report.engagement.familyFeedback) },
    ],
    remediation: [
      { label: 'Records opened', value: count(report.remediation.opened) },
      { label: 'Open', value: count(report.remediation.open) },
      { label: 'Overdue (of those open)', value: text(report.remediation.overdue) },
      { label: 'Closed', value: count(report.remediation.closed) },
      { label: 'Actions verified', value: text(report.remediation.actionsVerified) },
      {
        label: 'Median working days to close',
        value:
          report.remediation.medianWorkingDaysToClose === null
            ? 'Fewer than 5 closed'
            : String(report.remediation.medianWorkingDaysToClose),
      },
      { label: 'Repeat inadequate within 12 months', value: count(report.remediation.repeatInadequate) },
      { label: 'Re-audits submitted', value: count(report.reaudits.reaudited) },
      { label: 'Re-audit better than before', value: text(report.reaudits.better) },
      { label: 'Re-audit worse than before', value: text(report.reaudits.worse) },
    ],
    themes: report.themes.map((t) => ({
      section: t.section,
      gaps: t.gaps.map((g) => ({ text: g.text, value: text(g.answeredNo) })),
    })),
    readiness: report.inspectionReadiness.map((a) => ({
      label: a.label,
      sections: a.sections.map((s) => ({
        section: s.section,
        grades: s.levels.map((l) => `${l.label} ${percentOf(l)}`).join(', '),
        gaps: s.gaps.map((g) => `${g.text} (no: ${text(g.answeredNo)})`),
      })),
    })),
  };
}
