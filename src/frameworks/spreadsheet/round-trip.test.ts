import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { constructsFramework } from '../../../test/support/constructs';
import { sampleFramework } from '../../../test/support/frameworks';
import { FRAMEWORKS_DIR } from '../../paths';
import { checkFramework, checkFrameworkJson } from '../load';
import { QUESTION_TYPES, type Framework, type Remediation } from '../types';
import { csvToTables } from './csv';
import { everyConstruct } from './fixtures/every-construct';
import { TableReader } from './from-tables';
import { checkFrameworkData, checkFrameworkTables, exportFramework } from './index';
import type { Table } from './layout';
import { tablesToXlsx, xlsxToTables } from './xlsx';

const shipped = readdirSync(FRAMEWORKS_DIR)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'))
  .map((file) => {
    const result = checkFrameworkJson(readFileSync(path.join(FRAMEWORKS_DIR, file), 'utf8'));
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.problems)}`);
    return [file, result.framework] as const;
  });

function checked(document: unknown): Framework {
  const result = checkFramework(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.framework;
}

function sample(): Framework {
  return checked(
    sampleFramework({
      scales: [
        {
          id: 'welsh-quality',
          label: 'Quality of practice',
          description: 'A council scale, with scores.',
          levels: [
            {
              code: 'strong',
              label: 'Strong',
              score: 3,
              descriptor: 'Line one.\nLine two, with "quotes", commas; and: colons.',
            },
            { code: 'adequate', label: 'Adequate', score: 1.5 },
            { code: 'weak', label: 'Weak', score: -1 },
            { code: 'not-seen', label: 'Not seen', notApplicable: true },
          ],
        },
      ],
      rationaleRequired: false,
    }),
  );
}

describe.each(['csv', 'xlsx'] as const)('%s round trip', (format) => {
  it.each(shipped)('keeps %s unchanged', async (_file, framework) => {
    const again = await checkFrameworkData(await exportFramework(framework, format), `f.${format}`);
    expect(again).toMatchObject({ ok: true });
    expect(again.ok && again.framework).toEqual(framework);
  });

  it('keeps custom scales, scores, multi-line text, quotes and every question type', async () => {
    const framework = sample();
    const again = await checkFrameworkData(await exportFramework(framework, format), `f.${format}`);
    expect(again.ok && again.framework).toEqual(framework);
  });

  it.each([
    ['the spreadsheet fixture', everyConstruct],
    ["the format checks' fixture", constructsFramework],
  ])(
    'keeps parts, gradings, prompts, relevance, not applicable, evidence, actions, conditions and dates (%s)',
    async (_name, document) => {
      const framework = checked(document());
      const again = await checkFrameworkData(await exportFramework(framework, format), `f.${format}`);
      expect(again).toMatchObject({ ok: true });
      expect(again.ok && again.framework).toEqual(framework);
    },
  );

  it.each([
    ['required', { ...everyConstruct().overall, grading: 'required' }],
    ['none', { grading: 'none' }],
  ] as const)('keeps overall grading %s', async (_grading, overall) => {
    const framework = checked({ ...everyConstruct(), overall });
    const again = await checkFrameworkData(await exportFramework(framework, format), `f.${format}`);
    expect(again.ok && again.framework).toEqual(framework);
  });

  it.each([[true], [false], [{ afterWorkingDays: 60 }]] as const)(
    'keeps the re-audit %j beside the triggers',
    async (reaudit) => {
      const framework = sample();
      framework.remediation = { ...(framework.remediation as Remediation), reaudit };
      const again = await checkFrameworkData(await exportFramework(framework, format), `f.${format}`);
      expect(again.ok && again.framework).toEqual(framework);
    },
  );
});

describe('spreadsheet import problems', () => {
  async function problemsOf(csv: string): Promise<string[]> {
    const result = await checkFrameworkData(Buffer.from(csv), 'f.csv');
    return result.ok ? [] : result.problems.map((p) => `${p.pointer}: ${p.message}`);
  }

  async function exportedCsv(): Promise<string> {
    return (await exportFramework(sample(), 'csv')).toString('utf8');
  }

  it('name the row and column of a bad value', async () => {
    const csv = (await exportedCsv()).replace('risk,risk-analysis,text,', 'risk,risk-analysis,txt,');
    const line = csv.split('\n').findIndex((l) => l.startsWith('risk,risk-analysis,txt')) + 1;
    expect(await problemsOf(csv)).toEqual([
      `Questions row ${line}, column "type": must be one of ${QUESTION_TYPES.join(', ')}`,
    ]);
  });

  it('name the cell of a broken reference and of a bad yes/no', async () => {
    let csv = (await exportedCsv()).replace('seen-alone = no', 'seen-alon = no');
    csv = csv.replace(/^(profile,,Case profile,case-profile,,)no,/m, '$1perhaps,');
    const problems = await problemsOf(csv);
    expect(problems).toEqual([
      expect.stringMatching(
        /^Sections row \d+, column "graded": must be yes, no or optional, not "perhaps"$/,
      ),
    ]);
    const fixed = csv.replace(',perhaps,', ',no,');
    expect(await problemsOf(fixed)).toEqual([
      expect.stringMatching(
        /^Questions row \d+, column "relevant when": "seen-alon" is not a question in this framework$/,
      ),
    ]);
  });

  it('name missing tables and columns, and rows before the first table', async () => {
    expect(await problemsOf('id,x\n')).toEqual([
      'line 1: comes before the first table: the file must start with a line such as [Framework]',
    ]);
    expect(await problemsOf('[Framework]\nfield,value\nid,x\n')).toEqual([
      'Sections: is missing: the layout needs a Sections table',
      'Questions: is missing: the layout needs a Questions table',
    ]);
    const csv = (await exportedCsv()).replace('section,question,type,', 'section,qid,type,');
    expect(await problemsOf(csv)).toEqual(['Questions header: is missing the column(s) "question"']);
  });

  it('read pre-fills', async () => {
    const framework = sample();
    const questions = framework.sections[0]?.questions ?? [];
    Object.assign(questions[0] ?? {}, { prefill: { from: 'disability' } });
    Object.assign(questions[1] ?? {}, {
      prefill: { from: 'placementType', values: { U1: 'foster', K2: 'residential' } },
    });
    const csv = (await exportFramework(framework, 'csv')).toString('utf8');
    expect(csv).toContain('"placementType: U1=foster, K2=residential"');
    const again = await checkFrameworkData(Buffer.from(csv), 'f.csv');
    expect(again.ok && again.framework).toEqual(framework);
    expect(await problemsOf(csv.replace('placementType: U1=foster', 'placementType: U1'))).toEqual([
      expect.stringMatching(
        /^Questions row \d+, column "prefill": each value must be "value=answer", not "U1"$/,
      ),
    ]);
  });

  it('name the cell of a re-audit that is neither yes, no nor a number of working days', async () => {
    const csv = (await exportedCsv()).replace(/^(overall\.rule,.*)$/m, '$1\nremediation.reaudit,soon');
    const line = csv.split('\n').findIndex((l) => l.startsWith('remediation.reaudit')) + 1;
    expect(await problemsOf(csv)).toEqual([
      `Framework row ${line}, column "value": must be yes, no or a number of working days, not "soon"`,
    ]);
    expect(await problemsOf(csv.replace('remediation.reaudit,soon', 'remediation.reaudit,0'))).toEqual([
      `Framework row ${line}, column "value": must be at least 1`,
    ]);
  });

  it('report CSV that cannot be parsed with its line', async () => {
    expect(await problemsOf('[Framework]\nfield,value\nid,"unclosed\n')).toEqual([
      expect.stringMatching(/^line \d+: is not valid CSV: /),
    ]);
  });

  it('report an unreadable workbook', async () => {
    const result = await checkFrameworkData(Buffer.from('PK\u0003\u0004 not really a zip'), 'f.xlsx');
    expect(result).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/^is not a readable XLSX workbook/) }],
    });
  });
});

describe('a sheet in the layout from before parts and combined conditions', () => {
  const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
  /** The document the earlier reader made of fixtures/old-layout.csv. */
  const before = JSON.parse(fixture('old-layout.document.json')) as Record<string, unknown>;

  function oldTables(): Table[] {
    const read = csvToTables(fixture('old-layout.csv'));
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    return read.tables;
  }

  function readDocument(tables: Table[]): unknown {
    const reader = new TableReader(tables);
    const document = reader.read();
    expect(reader.problems).toEqual([]);
    return document;
  }

  it('reads exactly as it did, old condition forms included', () => {
    expect(fixture('old-layout.csv')).toContain('in-care=yes');
    expect(readDocument(oldTables())).toEqual(before);
    expect(checkFrameworkTables(oldTables())).toMatchObject({ ok: true });
  });

  it('reads as it did from a workbook too', async () => {
    const read = await xlsxToTables(await tablesToXlsx(oldTables()));
    expect(read.ok && readDocument(read.tables)).toEqual(before);
  });

  it('reads without the prefill column, which came later still', () => {
    const tables = oldTables().map((table) => {
      const column = table.header.indexOf('prefill');
      if (table.name !== 'Questions' || column < 0) return table;
      const without = (cells: string[]) => cells.filter((_, i) => i !== column);
      return { ...table, header: without(table.header), rows: table.rows.map(without) };
    });
    const document = readDocument(tables) as { sections: { questions: { prefill?: unknown }[] }[] };
    expect(document.sections.flatMap((s) => s.questions).some((q) => q.prefill)).toBe(false);
    expect(checkFrameworkTables(tables)).toMatchObject({ ok: true });
  });
});

describe('problems with the newer columns', () => {
  async function everyConstructCsv(): Promise<string> {
    return (await exportFramework(checked(everyConstruct()), 'csv')).toString('utf8');
  }

  async function problemsOf(csv: string): Promise<string[]> {
    const result = await checkFrameworkData(Buffer.from(csv), 'f.csv');
    return result.ok ? [] : result.problems.map((p) => `${p.pointer}: ${p.message}`);
  }

  const lineOf = (csv: string, start: string) => csv.split('\n').findIndex((l) => l.startsWith(start)) + 1;

  it.each([
    [
      'police-involved = yes and health-involved = no',
      'police-involved yes',
      'expected "=", "in" or "includes" after "police-involved" at character 17 ("yes")',
    ],
    [
      'police-involved = yes and health-involved = no',
      'police-involved = yes and (health-involved = no',
      'expected "and", "or" or ")" after ")" at character 84 (the end); the "(" at character 27 is not closed',
    ],
  ])('name the row, column and character of a condition that cannot be read', async (from, to, message) => {
    const csv = (await everyConstructCsv()).replace(from, to);
    expect(await problemsOf(csv)).toEqual([
      `Sections row ${lineOf(csv, 'early-help-plan,')}, column "relevant when": ${message}`,
    ]);
  });

  it('name the cell of a condition that reads but names a later question', async () => {
    const csv = (await everyConstructCsv()).replace(
      'police-involved = yes and health-involved = no',
      'police-involved = yes and age >= 10 and plan-smart = yes',
    );
    expect(await problemsOf(csv)).toEqual([
      expect.stringMatching(
        new RegExp(`^Sections row ${lineOf(csv, 'early-help-plan,')}, column "relevant when": "plan-smart" `),
      ),
    ]);
  });

  it('name the row of a part of no section, or of a part', async () => {
    const csv = await everyConstructCsv();
    const line = lineOf(csv, 'early-help-plan,');
    expect(
      await problemsOf(csv.replace('early-help-plan,early-help,', 'early-help-plan,early-hlp,')),
    ).toEqual(
      expect.arrayContaining([
        `Sections row ${line}, column "part of": "early-hlp" is not a section in the Sections table`,
      ]),
    );
    expect(
      await problemsOf(csv.replace('early-help-plan,early-help,', 'early-help-plan,early-help-assessment,')),
    ).toEqual(
      expect.arrayContaining([
        `Sections row ${line}, column "part of": "early-help-assessment" is a part, and parts do not nest: name a section`,
      ]),
    );
  });

  it('name the cell of an answer-raised action left incomplete, and of a section field on a part', async () => {
    let csv = (await everyConstructCsv()).replace('Plans rest on what the child needs now.', '');
    csv = csv.replace(/^(early-help-plan,early-help,1b Early help plan,)/m, '$1family-feedback');
    expect(await problemsOf(csv)).toEqual([
      `Questions row ${lineOf(csv, 'early-help-assessment,assessment-quality,')}, column "action difference": is required`,
      `Sections row ${lineOf(csv, 'early-help-plan,')}, column "kind": is not a field allowed here (check its spelling)`,
    ]);
  });
});
