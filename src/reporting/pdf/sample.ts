import { chartDataTable } from './data-tables';
import type {
  Block,
  Figure,
  GradeBarsSpec,
  HeatmapSpec,
  PackDocument,
  SpcSpec,
  Table,
  Variation,
} from './model';

/**
 * A board pack with every kind of block and made-up aggregate figures (no person, case or real team), for
 * tests, and for measuring how long a pack takes to render.
 */

const GRADES = [
  { code: 'outstanding', label: 'Outstanding', colour: '#00703c' },
  { code: 'good', label: 'Good', colour: '#85994b' },
  { code: 'requires-improvement', label: 'Requires improvement', colour: '#ffdd00' },
  { code: 'inadequate', label: 'Inadequate', colour: '#d4351c' },
];

const AREAS = [
  'Assessment and intervention',
  'Children in care',
  'Care leavers',
  'Disabled children',
  'Early help',
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function counts(seed: number): Record<string, number> {
  return {
    outstanding: 2 + (seed % 4),
    good: 11 + ((seed * 7) % 9),
    'requires-improvement': 6 + ((seed * 5) % 7),
    inadequate: 1 + ((seed * 3) % 4),
  };
}

const gradeBars: GradeBarsSpec = {
  kind: 'grade-bars',
  grades: GRADES,
  rows: AREAS.map((label, i) => ({ label, counts: counts(i + 1) })),
};

const GOOD_OR_BETTER = [
  0.52, 0.55, 0.51, 0.56, 0.54, 0.58, 0.53, 0.57, 0.55, 0.6, 0.62, 0.64, 0.66, 0.65, 0.68, 0.67, 0.7, 0.44,
];

function variation(value: number, i: number): Variation {
  if (value < 0.46) return 'concern';
  if (i >= 11) return 'improvement';
  return 'common';
}

const goodOrBetter: SpcSpec = {
  kind: 'spc',
  points: GOOD_OR_BETTER.map((value, i) => ({
    label: `${MONTHS[i % 12]} ${i < 12 ? 25 : 26}`,
    value,
    variation: variation(value, i),
  })),
  mean: 0.55,
  upper: 0.69,
  lower: 0.41,
  trial: false,
  target: 0.7,
  format: 'percent',
};

const completed: SpcSpec = {
  kind: 'spc',
  points: [118, 124, 131, 120, 127, 142, 139].map((value, i) => ({
    label: `${MONTHS[i]} 26`,
    value,
    variation: i === 5 ? 'neither' : 'common',
  })),
  mean: 128.7,
  upper: 151.2,
  lower: 106.2,
  trial: true,
  format: 'number',
};

const SECTIONS = [
  'Voice of the child',
  'Assessment',
  'Planning',
  'Management oversight',
  'Supervision',
  'Recording',
];

const heatmap: HeatmapSpec = {
  kind: 'heatmap',
  rows: SECTIONS,
  columns: GRADES.map((grade) => grade.label),
  values: SECTIONS.map((_, r) =>
    GRADES.map((_, c) => (r === 4 && c === 0 ? null : 3 + ((r * 11 + c * 17) % 41))),
  ),
};

function figure(chart: Figure['chart'], caption: string, alt: string, rowHeader: string): Figure {
  return {
    kind: 'figure',
    alt,
    caption,
    chart,
    dataTable: chartDataTable(chart, `Data for ${caption}`, rowHeader),
  };
}

const LOCALITIES = ['North', 'South', 'East', 'West', 'Central'];
const TEAMS = [
  'Assessment',
  'Safeguarding',
  'Children in care',
  'Care leavers',
  'Disabled children',
  'Fostering',
  'Edge of care',
  'Early help',
  'Court and legal',
];

/** One row a team: long enough to run over more than one page. */
function teamsTable(): Table {
  const rows = LOCALITIES.flatMap((locality, l) =>
    TEAMS.map((team, t) => {
      const c = counts(l * 9 + t + 3);
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      const good = c.outstanding! + c.good!;
      return [
        `${locality} ${team.toLowerCase()} team`,
        String(total),
        String(c.outstanding),
        String(c.good),
        String(c['requires-improvement']),
        String(c.inadequate),
        `${Math.round((good / total) * 100)}%`,
      ];
    }),
  );
  return {
    kind: 'table',
    caption: 'Audits completed by team, April to June 2026',
    rowHeaders: true,
    columns: [
      { header: 'Team', align: 'left' },
      { header: 'Audits', align: 'right' },
      ...GRADES.map((grade) => ({ header: grade.label, align: 'right' as const })),
      { header: 'Good or better', align: 'right' },
    ],
    rows,
  };
}

const blocks: Block[] = [
  { kind: 'heading', level: 1, text: 'Case file audit: quarter 1, 2026 to 2027' },
  {
    kind: 'paragraph',
    text: [
      { text: 'This pack reports the quality of case files audited between April and June 2026. ' },
      { text: '61% of audited files were graded good or better', bold: true },
      { text: ', below the target of 70% but the highest share since the audit programme began.' },
    ],
  },
  {
    kind: 'key-figures',
    cards: [
      { label: 'Audits completed', value: '412', note: 'Up from 367 last quarter' },
      { label: 'Good or better', value: '61%', note: 'Target 70%' },
      { label: 'Moderated', value: '18%', note: '74 audits, 9 grades changed' },
      { label: 'Actions overdue', value: '23', note: 'Of 318 open remediation actions' },
    ],
  },
  { kind: 'heading', level: 2, text: 'Summary' },
  {
    kind: 'list',
    items: [
      'The share of files graded good or better has risen for six months in a row, a sign of improvement rather than chance.',
      'June fell to 44%, below the lower process limit: most of the inadequate grades came from two teams with high agency staffing.',
      'Management oversight remains the weakest section of the audit tool across every service area.',
      'Remediation actions are closed on time in 82% of cases; escalations to heads of service doubled.',
    ],
  },
  { kind: 'heading', level: 2, text: 'Grades by service area' },
  {
    kind: 'paragraph',
    text: 'Care leavers and early help had the largest share of files graded good or better this quarter.',
  },
  figure(
    gradeBars,
    'Figure 1: grades of audited files by service area',
    'Stacked bar chart of the share of audited files at each grade in five service areas. The data follows in a table.',
    'Service area',
  ),
  { kind: 'heading', level: 1, text: 'Trends' },
  { kind: 'heading', level: 2, text: 'Files graded good or better' },
  {
    kind: 'paragraph',
    text: 'The chart shows each month against the mean and the process limits worked out from January 2025 to December 2025. Points beyond the limits, or runs of points on one side of the mean, are special cause variation.',
  },
  figure(
    goodOrBetter,
    'Figure 2: share of audited files graded good or better each month',
    'Statistical process control chart of the share of files graded good or better each month from January 2025 to June 2026, against a mean of 55% and a target of 70%. Improvement from December 2025; June 2026 is a concern at 44%. The data follows in a table.',
    'Month',
  ),
  { kind: 'heading', level: 2, text: 'Audits completed each month' },
  {
    kind: 'paragraph',
    text: 'With seven months of data the limits are trial limits and will be fixed once twelve months are in.',
  },
  figure(
    completed,
    'Figure 3: audits completed each month',
    'Statistical process control chart of audits completed each month in 2026, against trial limits. No special cause except June. The data follows in a table.',
    'Month',
  ),
  { kind: 'heading', level: 1, text: 'Practice themes' },
  { kind: 'heading', level: 2, text: 'Grades by section of the audit tool' },
  figure(
    heatmap,
    'Figure 4: number of section grades by audit section',
    'Heat map of how many times each section of the audit tool was given each grade. The data follows in a table.',
    'Audit section',
  ),
  { kind: 'heading', level: 3, text: 'About these figures' },
  {
    kind: 'paragraph',
    text: 'Counts include moderated grades where moderation changed the auditor’s grade. Supervision was not graded outstanding in any audit this quarter.',
  },
  { kind: 'page-break' },
  { kind: 'heading', level: 1, text: 'Appendix: audits by team' },
  teamsTable(),
];

export function samplePackDocument(): PackDocument {
  return {
    title: 'Case file audit board pack: June 2026',
    subject: 'Quality of children’s social care case files audited in quarter 1 of 2026 to 2027',
    author: 'Demoshire Council, Children’s Services Quality Assurance',
    sections: structuredClone(blocks),
  };
}
