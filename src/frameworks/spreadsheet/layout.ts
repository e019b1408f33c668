/**
 * The spreadsheet layout of a framework: the same tables as CSV blocks or XLSX sheets. Questions have one
 * row each; the other tables hold the scales and rules. Documented in docs/frameworks.md.
 */
export interface Table {
  name: string;
  header: string[];
  rows: string[][];
  /** Row numbers in the source file (CSV line or sheet row) of each row, for messages. */
  rowNumbers?: number[];
}

/**
 * The column of the Sections table naming the section a row is a part of (empty for a section). A part's
 * questions and descriptors name the part in their "section" column.
 */
export const PART_OF = 'part of';

/** Columns added to the layout later, by table: a spreadsheet written before them may leave them out. */
const ADDED_SECTION_COLUMNS = [
  'grade prompt',
  'rationale prompt',
  'relevant when',
  'allow not applicable',
  'parts rule',
] as const;
const ADDED_QUESTION_COLUMNS = [
  'prefill',
  'evidence',
  'evidence prompt',
  'raises action on',
  'action',
  'action difference',
  'action working days',
] as const;

export const TABLES = {
  framework: { name: 'Framework', header: ['field', 'value'] },
  scales: {
    name: 'Scales',
    header: [
      'scale',
      'scale label',
      'scale description',
      'level',
      'level label',
      'descriptor',
      'score',
      'not applicable',
    ],
  },
  sections: {
    name: 'Sections',
    header: [
      'section',
      'part of',
      'title',
      'kind',
      'judgement area',
      'graded',
      'scale',
      'guidance',
      ...ADDED_SECTION_COLUMNS,
    ],
  },
  descriptors: { name: 'Descriptors', header: ['section', 'grade', 'descriptor'] },
  questions: {
    name: 'Questions',
    header: [
      'section',
      'question',
      'type',
      'text',
      'guidance',
      'required',
      'options',
      'relevant when',
      'scale',
      'min',
      'max',
      'integer',
      ...ADDED_QUESTION_COLUMNS,
    ],
  },
  remediation: {
    name: 'Remediation',
    header: ['on', 'sections', 'grades', 'response working days', 'completion working days'],
  },
} as const;

export const OPTIONAL_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = {
  [TABLES.sections.name]: new Set([PART_OF, ...ADDED_SECTION_COLUMNS]),
  [TABLES.questions.name]: new Set(ADDED_QUESTION_COLUMNS),
};

export const TABLE_ORDER = [
  TABLES.framework,
  TABLES.scales,
  TABLES.sections,
  TABLES.descriptors,
  TABLES.questions,
  TABLES.remediation,
];

/** Framework-sheet fields and the JSON pointer each fills. Overall descriptors use overall.descriptors.<grade>. */
export const FRAMEWORK_FIELDS: readonly [field: string, pointer: string][] = [
  ['id', '/id'],
  ['version', '/version'],
  ['title', '/title'],
  ['description', '/description'],
  ['jurisdiction', '/jurisdiction'],
  ['caseTypes', '/caseTypes'],
  ['defaultScale', '/defaultScale'],
  ['rationaleRequired', '/rationaleRequired'],
  ['effectiveFrom', '/effectiveFrom'],
  ['lookBack.recordMonths', '/lookBack/recordMonths'],
  ['lookBack.judgeMonths', '/lookBack/judgeMonths'],
  ['overall.rule', '/overall/rule'],
  ['overall.scale', '/overall/scale'],
  ['overall.cappedBy', '/overall/cappedBy'],
  ['overall.guidance', '/overall/guidance'],
  ['overall.grading', '/overall/grading'],
  ['overall.gradePrompt', '/overall/gradePrompt'],
  ['overall.rationalePrompt', '/overall/rationalePrompt'],
  ['remediation.reaudit', '/remediation/reaudit'],
  ['safeguardingConcern.question', '/safeguardingConcern/question'],
  ['safeguardingConcern.guidance', '/safeguardingConcern/guidance'],
];
export const OVERALL_DESCRIPTOR_PREFIX = 'overall.descriptors.';

/**
 * How a cell is read: an id or code (trimmed), text (kept exactly), or a yes/no, number, list, etc. A
 * re-audit cell is yes, no, or the working days after closing that the re-audit is due. A grading cell
 * is yes, no or optional (the `graded` column).
 */
export type CellKind =
  'id' | 'text' | 'flag' | 'number' | 'list' | 'options' | 'condition' | 'prefill' | 'reaudit' | 'grading';

/** A column, the framework field it fills (a.b for a field of an object), and how its cells are read. */
export type Column = readonly [column: string, key: string, kind: CellKind];

export const LEVEL_COLUMNS: readonly Column[] = [
  ['level', 'code', 'id'],
  ['level label', 'label', 'text'],
  ['descriptor', 'descriptor', 'text'],
  ['score', 'score', 'number'],
  ['not applicable', 'notApplicable', 'flag'],
];

export const SECTION_COLUMNS: readonly Column[] = [
  ['section', 'id', 'id'],
  ['title', 'title', 'text'],
  ['kind', 'kind', 'id'],
  ['judgement area', 'judgementArea', 'id'],
  ['graded', 'graded', 'grading'],
  ['scale', 'scale', 'id'],
  ['guidance', 'guidance', 'text'],
  ['grade prompt', 'gradePrompt', 'text'],
  ['rationale prompt', 'rationalePrompt', 'text'],
  ['relevant when', 'relevantWhen', 'condition'],
  ['allow not applicable', 'allowNotApplicable', 'flag'],
  ['parts rule', 'partsRule', 'id'],
];

export const QUESTION_COLUMNS: readonly Column[] = [
  ['question', 'id', 'id'],
  ['type', 'type', 'id'],
  ['text', 'text', 'text'],
  ['guidance', 'guidance', 'text'],
  ['required', 'required', 'flag'],
  ['scale', 'scale', 'id'],
  ['options', 'options', 'options'],
  ['min', 'min', 'number'],
  ['max', 'max', 'number'],
  ['integer', 'integer', 'flag'],
  ['relevant when', 'relevantWhen', 'condition'],
  ['prefill', 'prefill', 'prefill'],
  ['evidence', 'evidence', 'id'],
  ['evidence prompt', 'evidencePrompt', 'text'],
  ['raises action on', 'raisesAction.answers', 'list'],
  ['action', 'raisesAction.action', 'text'],
  ['action difference', 'raisesAction.difference', 'text'],
  ['action working days', 'raisesAction.workingDays', 'number'],
];

export const TRIGGER_COLUMNS: readonly Column[] = [
  ['on', 'on', 'id'],
  ['sections', 'sections', 'list'],
  ['grades', 'grades', 'list'],
  ['response working days', 'responseWorkingDays', 'number'],
  ['completion working days', 'completionWorkingDays', 'number'],
];

/** How Framework-sheet values are read; fields not listed are ids. */
export const FIELD_KINDS: Record<string, CellKind> = {
  title: 'text',
  description: 'text',
  caseTypes: 'list',
  rationaleRequired: 'flag',
  'overall.cappedBy': 'list',
  'overall.guidance': 'text',
  'remediation.reaudit': 'reaudit',
  'safeguardingConcern.question': 'text',
  'safeguardingConcern.guidance': 'text',
  'overall.gradePrompt': 'text',
  'overall.rationalePrompt': 'text',
  'lookBack.recordMonths': 'number',
  'lookBack.judgeMonths': 'number',
};
