import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../../paths';
import { CASE_FACT_NAMES, parseCondition } from './condition-syntax';
import { FRAMEWORK_FIELDS, TABLE_ORDER } from './layout';

const docs = readFileSync(path.join(ROOT_DIR, 'docs', 'frameworks.md'), 'utf8');
const section = docs.split('## Spreadsheet layout (CSV and XLSX)')[1]?.split(/\n## /)[0] ?? '';

describe('the spreadsheet layout documentation', () => {
  const rowOf = (table: string) => section.split('\n').find((line) => line.startsWith(`| ${table} `)) ?? '';

  it.each(TABLE_ORDER.map((table) => [table.name, table.header] as const))(
    'names every column of the %s table',
    (name, header) => {
      for (const column of header) expect(rowOf(name)).toContain(`\`${column}\``);
    },
  );

  it('names every Framework field and case fact', () => {
    for (const [field] of FRAMEWORK_FIELDS) expect(rowOf('Framework')).toContain(`\`${field}\``);
    for (const name of Object.values(CASE_FACT_NAMES)) expect(section).toContain(`\`${name}\``);
  });

  it('gives conditions that read', () => {
    const conditions = section
      .split('### Conditions')[1]
      ?.split('\n')
      .filter((line) => /^\| `/.test(line))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string));
    expect(conditions?.length).toBeGreaterThan(8);
    for (const text of conditions ?? []) expect(parseCondition(text)).toMatchObject({ ok: true });
  });
});
