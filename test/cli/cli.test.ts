import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/program';
import { MigrationSource } from '../../src/db/migrations';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../support/database';
import { nativeCsv, nativeRows } from '../support/case-lists';
import { bombWorkbook, giantRowWorkbook, wideCsv } from '../support/hostile-files';
import { sampleFramework } from '../support/frameworks';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function runWith(
  env: Record<string, string>,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(argv, { stdout, stderr, env });
  return { code, out, err };
}

/** Runs a command against this file's database; `cli.withEnv` against another. */
const cli = Object.assign(
  (...argv: string[]) => runWith({ DATABASE_URL: db.url, LOG_LEVEL: 'error' }, argv),
  {
    withEnv: (env: Record<string, string>, ...argv: string[]) => runWith(env, argv),
  },
);

describe('npm run cli', () => {
  it('has --help on every command', async () => {
    for (const argv of [
      [],
      ['token'],
      ['token', 'create'],
      ['token', 'list'],
      ['token', 'revoke'],
      ['user', 'add'],
      ['user', 'deactivate'],
      ['user', 'reactivate'],
      ['migrate'],
      ['seed-demo'],
      ['frameworks'],
      ['frameworks', 'validate'],
      ['frameworks', 'import'],
      ['frameworks', 'export'],
      ['frameworks', 'list'],
      ['cases'],
      ['cases', 'import'],
    ]) {
      const { code, out } = await cli(...argv, '--help');
      expect(code).toBe(0);
      expect(out).toMatch(/^Usage: case-audit/);
    }
  });

  it('migrates an empty database, undoes it all, and says when there is nothing to do', async () => {
    const empty = await createEmptyDatabase();
    const env = { DATABASE_URL: empty.url, LOG_LEVEL: 'error' };
    const applied = await cli.withEnv(env, 'migrate');
    const names = (await new MigrationSource().getMigrations()).map((file) => file.replace(/\.(ts|js)$/, ''));
    expect(applied.out).toBe(`Applied: ${names.join(', ')}\n`);
    expect((await cli.withEnv(env, 'migrate')).out).toBe('The database schema is up to date.\n');
    expect((await cli.withEnv(env, 'migrate', '--down-all')).out).toBe('Every migration has been undone.\n');
    expect(await empty.knex('pg_tables').where({ tablename: 'app_user' }).first()).toBeUndefined();
    await empty.drop();
  });

  it('seeds the demo idempotently', async () => {
    const first = (await cli('seed-demo')).out;
    expect(first).toMatch(
      /^Demo data ready: 20 teams, 104 staff, 7 users created\.\nCase list: \d+ cases imported\. Audit rounds created: \w+ \d{4} monthly audit; \w+ \d{4} neglect themed audit; \w+ \d{4} multi-agency neglect audit; Care leavers pathway dip sample\.\nAudits: \d+ submitted, \d+ in progress, [1-9]\d* moderated; a calibration exercise\.\nHistory: 12 months, \d+ audits submitted, \d+ moderated, \d+ remediation records closed, \d+ re-audits, last month's board pack made\.\n$/,
    );
    const cases = Number(/(\d+) cases/.exec(first)?.[1]);
    expect((await cli('seed-demo')).out).toBe(
      `Demo data ready: 20 teams, 104 staff, 0 users created.\nCase list: ${cases} cases, already imported. Audit rounds created: none.\n`,
    );
    expect(await db.knex('person').count('* as n').first()).toEqual({ n: 104 });
    expect(await db.knex('case_record').count('* as n').first()).toEqual({ n: cases });
    const audits = await db.knex('audit').select('status', 'auditor_user_id');
    expect(audits.length).toBeGreaterThan(40);
    const statuses = new Set(audits.map((a: { status: string }) => a.status));
    expect([...statuses].sort()).toEqual(['allocated', 'cancelled', 'in_progress', 'submitted']);
    expect(await db.knex('report_pack').count('* as n').first()).toEqual({ n: 1 });
    expect(await db.knex('moderation').where({ status: 'completed' }).count('* as n').first()).not.toEqual({
      n: 0,
    });
    expect(await db.knex('safeguarding_concern').count('* as n').first()).toEqual({ n: 2 });
    // Every moderation the demo records is by a moderator free of a conflict of interest: never one who
    // manages the case's team or leads its service area.
    const clashes = await db
      .knex('moderation as m')
      .join('audit as a', 'a.id', 'm.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .whereNotNull('m.moderator_user_id')
      .whereRaw(
        `exists (select 1 from user_service_area usa
                  where usa.user_id = m.moderator_user_id and usa.service_area_id = t.service_area_id)
         or exists (select 1 from user_team ut where ut.user_id = m.moderator_user_id and ut.team_id = t.id)`,
      )
      .count('* as n')
      .first();
    expect(clashes).toEqual({ n: 0 });
  }, 240_000);

  it('creates, lists and revokes tokens; the token is printed once', async () => {
    const created = await cli(
      'token',
      'create',
      '--email',
      'sam.patel@demoshire.example',
      '--name',
      'reporting',
      '--expires',
      '30d',
    );
    expect(created.code).toBe(0);
    const token = created.out.trim().split('\n').pop() as string;
    expect(token).toMatch(/^cat_/);
    expect(created.out).toMatch(/Token \d+ created for sam\.patel@demoshire\.example, expiring 20\d\d-/);

    const listed = await cli('token', 'list');
    expect(listed.out).toMatch(/ID\s+USER\s+NAME\s+PREFIX/);
    expect(listed.out).toContain('reporting');
    expect(listed.out).toContain(`${token.slice(0, 12)}…`);
    expect(listed.out).not.toContain(token);
    expect(listed.out).toMatch(/active\n$/);

    const id = /Token (\d+) created/.exec(created.out)?.[1] as string;
    expect((await cli('token', 'revoke', id)).out).toMatch(
      /^Token \d+ \(reporting, sam\.patel@demoshire\.example\) is revoked\.\n$/,
    );
    expect((await cli('token', 'list', '--email', 'sam.patel@demoshire.example')).out).toMatch(/revoked\n$/);
  });

  it('explains bad input and exits 1', async () => {
    expect(await cli('token', 'create', '--email', 'nobody@x.example')).toMatchObject({
      code: 1,
      err: 'Error: There is no user with the email nobody@x.example.\n',
    });
    expect(
      (await cli('token', 'create', '--email', 'sam.patel@demoshire.example', '--expires', 'soon')).err,
    ).toContain('expires: must be a number and a unit');
    expect((await cli('token', 'revoke', 'abc')).err).toContain('the token id must be a whole number');
    expect((await cli('token', 'revoke', '9999')).err).toBe('Error: There is no API token with id 9999.\n');
    expect((await cli('token', 'create')).err).toContain("required option '--email <email>' not specified");
    expect((await cli('frobnicate')).code).toBe(1);
  });

  it('deactivates and reactivates users, never the last active administrator', async () => {
    expect(await cli('user', 'deactivate', '--email', 'sam.patel@demoshire.example')).toMatchObject({
      code: 1,
      err: expect.stringContaining('Sam Patel is the only active administrator'),
    });
    expect((await cli('user', 'deactivate', '--email', 'helen.clarke@demoshire.example')).out).toBe(
      'Helen Clarke <helen.clarke@demoshire.example> is deactivated.\n',
    );
    expect((await cli('user', 'reactivate', '--email', 'helen.clarke@demoshire.example')).out).toBe(
      'Helen Clarke <helen.clarke@demoshire.example> is active.\n',
    );
    expect((await cli('user', 'reactivate', '--email', 'nobody@x.example')).err).toBe(
      'Error: There is no user with the email nobody@x.example.\n',
    );
  });

  it('adds users with roles, managed teams and service areas', async () => {
    const added = await cli(
      'user',
      'add',
      '--email',
      'new.manager@demoshire.example',
      '--name',
      'New Manager',
      '--role',
      'team_manager',
      'auditor',
      '--team',
      'mash',
      'assessment-east',
      '--service-area',
      'front-door',
    );
    expect(added).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /^User \d+ added: New Manager <new\.manager@demoshire\.example>, roles auditor, team_manager\.\n$/,
      ),
    });
    const again = await cli(
      'user',
      'add',
      '--email',
      'NEW.manager@demoshire.example',
      '--name',
      'Twin',
      '--role',
      'auditor',
    );
    expect(again).toMatchObject({
      code: 1,
      err: 'Error: A user with this email already exists.\n  email: A user with this email already exists.\n',
    });
    const badRole = await cli(
      'user',
      'add',
      '--email',
      'x@demoshire.example',
      '--name',
      'X',
      '--role',
      'overlord',
    );
    expect(badRole.err).toContain(
      'roles.0: must be one of admin, auditor, moderator, team_manager, head_of_service, director',
    );
  });

  it('validates framework files of every format, exiting 1 with each problem', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'case-audit-cli-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    await writeFile(good, JSON.stringify(sampleFramework()));
    await writeFile(bad, JSON.stringify({ ...sampleFramework(), version: 'one' }));
    expect(await cli('frameworks', 'validate', good)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/good\.json: OK: sample-audit 1\.0\.0, 3 sections, 11 questions\n$/),
    });
    const both = await cli('frameworks', 'validate', good, bad);
    expect(both.code).toBe(1);
    expect(both.err).toMatch(
      /bad\.json: \/version: must be a version number such as 1\.0\.0\nError: 1 of 2 file\(s\) have problems\n$/,
    );
    await rm(dir, { recursive: true, force: true });
  });

  it('imports, lists and exports frameworks, round-tripping through CSV and XLSX', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'case-audit-cli-'));
    const file = path.join(dir, 'sample.json');
    await writeFile(file, JSON.stringify(sampleFramework()));
    expect((await cli('frameworks', 'import', file)).out).toBe('Loaded sample-audit version 1.0.0.\n');
    expect((await cli('frameworks', 'import', file)).out).toBe(
      'sample-audit version 1.0.0 is already loaded with the same content: nothing changed.\n',
    );
    expect((await cli('frameworks', 'list')).out).toMatch(
      /^sample-audit: Sample audit\n {2}1\.0\.0 {2}loaded \d{4}-\d\d-\d\d from sample\.json/m,
    );

    const xlsx = path.join(dir, 'sample.xlsx');
    expect(
      (await cli('frameworks', 'export', 'sample-audit', '--format', 'xlsx', '--output', xlsx)).code,
    ).toBe(0);
    expect((await cli('frameworks', 'validate', xlsx)).code).toBe(0);
    const csv = await cli('frameworks', 'export', 'sample-audit', '1.0.0', '--format', 'csv');
    expect(csv.out.startsWith('[Framework]\n')).toBe(true);
    expect((await cli('frameworks', 'export', 'sample-audit', '--format', 'xlsx')).err).toContain(
      '--output is required for xlsx',
    );
    expect((await cli('frameworks', 'export', 'nope')).err).toBe('Error: There is no framework nope.\n');
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a case list, refusing a bad one with its problems and exit code 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'case-audit-cli-'));
    const good = path.join(dir, 'cases.csv');
    await writeFile(good, nativeCsv(nativeRows(4)));
    expect(await cli('cases', 'import', good, '--no-progress')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Import \d+: 4 cases from 4 rows\.\n$/),
    });
    const bad = path.join(dir, 'bad.csv');
    const rows = nativeRows(2);
    (rows[0] as { team: string }).team = 'Unknown Team';
    await writeFile(bad, nativeCsv(rows));
    const refused = await cli('cases', 'import', bad, '--no-progress');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('bad.csv line 2, team "Unknown Team": is not a known team');
    expect(refused.err).toMatch(
      /Error: the case list was refused \(import \d+\): 1 problem\(s\), nothing imported/,
    );
    const created = await cli('cases', 'import', bad, '--no-progress', '--create-teams');
    expect(created.out).toMatch(/2 cases from 2 rows; teams added: Unknown Team\.\n$/);
    await rm(dir, { recursive: true, force: true });
  });

  it("imports a list with --mapping, from a JSON file or by a saved mapping's name", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'case-audit-cli-'));
    const list = path.join(dir, 'council.csv');
    await writeFile(list, nativeCsv(nativeRows(3, 300)).replace('case_type', 'Open to (CIN/CP/CLA)'));
    const unmatched = await cli('cases', 'import', list, '--no-progress', '--format', 'native');
    expect(unmatched.code).toBe(1);
    expect(unmatched.err).toContain('needs a column mapping; no column for case_type');
    const mapping = path.join(dir, 'mapping.json');
    const columns = { 'Open to (CIN/CP/CLA)': 'case_type' };
    await writeFile(mapping, JSON.stringify({ name: 'CLI export', format: 'native', columns }));
    const fromFile = await cli(
      'cases',
      'import',
      list,
      '--no-progress',
      '--create-teams',
      '--mapping',
      mapping,
    );
    expect(fromFile.err).toContain('“CLI export” was saved');
    expect(fromFile.out).toMatch(/3 cases from 3 rows/);
    const byName = await cli('cases', 'import', list, '--no-progress', '--mapping', 'CLI export');
    expect(byName.out).toMatch(/3 cases from 3 rows/);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses hostile case lists, saying what is wrong and where', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'case-audit-cli-'));
    const files: [string, Buffer, string][] = [
      [
        'bomb.xlsx',
        await bombWorkbook(600, { prepend: Buffer.from('MZ') }),
        'bomb.xlsx: the workbook is damaged',
      ],
      [
        'large.xlsx',
        Buffer.concat([await bombWorkbook(1), Buffer.alloc(51 * 1_048_576)]),
        'larger than 50 MB',
      ],
      [
        'row.xlsx',
        await giantRowWorkbook(2_000_000),
        'Sheet1 line 1: the sheet "Sheet1" has a value in column ALM',
      ],
      ['wide.csv', wideCsv(2_000_000), 'wide.csv line 2: the row on line 2 has more than 1,000 columns'],
    ];
    for (const [name, data, message] of files) {
      await writeFile(path.join(dir, name), data);
      const refused = await cli('cases', 'import', path.join(dir, name), '--no-progress');
      expect([name, refused.code]).toEqual([name, 1]);
      expect(refused.err).toContain(message);
    }
    await rm(dir, { recursive: true, force: true });
  });
});
