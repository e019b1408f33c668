import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sampleFramework } from '../../../test/support/frameworks';
import { FRAMEWORKS_DIR } from '../../paths';
import { checkFramework, checkFrameworkJson } from '../load';
import type { Framework, Remediation } from '../types';
import { checkFrameworkData, exportFramework } from './index';

const shipped = readdirSync(FRAMEWORKS_DIR)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'))
  .map((file) => {
    const result = checkFrameworkJson(readFileSync(path.join(FRAMEWORKS_DIR, file), 'utf8'));
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.problems)}`);
    return [file, result.framework] as const;
  });

function sample(): Framework {
  const result = checkFramework(
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
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.framework;
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
      `Questions row ${line}, column "type": must be one of grade, yes-no-na, yes-no, single-choice, multiple-choice, text, number, date`,
    ]);
  });

  it('name the cell of a broken reference and of a bad yes/no', async () => {
    let csv = (await exportedCsv()).replace('seen-alone = no', 'seen-alon = no');
    csv = csv.replace(/^(profile,Case profile,case-profile,,)no,/m, '$1perhaps,');
    const problems = await problemsOf(csv);
    expect(problems).toEqual([
      expect.stringMatching(/^Sections row \d+, column "graded": must be yes or no, not "perhaps"$/),
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

  it('read pre-fills, and a file from before the prefill column still loads', async () => {
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
    const older = (await exportedCsv())
      .replace(/^(section,question,.*),prefill$/m, '$1')
      .replace(/,(\r?)$/gm, '$1');
    expect(older).not.toContain('prefill');
    expect(await problemsOf(older)).toEqual([]);
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
