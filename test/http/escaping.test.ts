import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ROOT_DIR } from '../../src/paths';
import { createTestContext, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';

/**
 * Every template escapes by default: nothing is written unescaped but the few places listed here (with
 * why each is safe), and hostile text in the fields that show people's own words (a team's name, a user's
 * name, an audit's free text) comes out inert on every page that shows them.
 */
const HOSTILE = `<script>alert(1)</script><img src=x onerror="alert(2)">'"&`;
/** How it reads escaped: Handlebars also escapes = and quotes, so the start is what is looked for. */
const INERT = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src';

/** Where output is not escaped, and why that is safe. */
const UNESCAPED: Record<string, string> = {
  'layouts/main.hbs {{{body}}}': 'the page, itself rendered by Handlebars with escaping',
  'pages/reports/index.hbs {{{svg}}}':
    'charts drawn on the server, every text escaped (src/reporting/pdf/svg.ts)',
  'pages/reports/index.hbs {{{overall.chart}}}': 'the same',
  'pages/reports/index.hbs {{{byTeam.chart}}}': 'the same',
  'src/templates/table-region.ts SafeString': 'wraps the body Handlebars rendered; its label and id escaped',
};

const filesUnder = (dir: string, ext: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));

describe('escaping', () => {
  it('writes nothing unescaped but the places listed', () => {
    const found: string[] = [];
    const templates = path.join(ROOT_DIR, 'templates');
    for (const file of filesUnder(templates, '.hbs'))
      for (const match of readFileSync(file, 'utf8').matchAll(/\{\{\{[^}]*\}\}\}|\{\{&[^}]*\}\}/g))
        found.push(`${path.relative(templates, file)} ${match[0]}`);
    for (const file of filesUnder(path.join(ROOT_DIR, 'src'), '.ts'))
      if (!file.endsWith('.test.ts') && /\bSafeString\(/.test(readFileSync(file, 'utf8')))
        found.push(`${path.relative(ROOT_DIR, file)} SafeString`);
    expect(found.filter((place) => !(place in UNESCAPED))).toEqual([]);
  });

  describe('of people’s own words', () => {
    let ctx: TestContext;
    let auditId: number;
    let teamId: number;
    beforeAll(async () => {
      ctx = await createTestContext({ activity: true });
      const audit = await ctx.db
        .knex('audit as a')
        .join('case_record as c', 'c.id', 'a.case_id')
        .join('app_user as u', 'u.id', 'a.auditor_user_id')
        .where('a.status', 'in_progress')
        .first('a.id', 'a.lock_version', 'c.team_id', 'u.email');
      auditId = audit.id;
      teamId = audit.team_id;
      await ctx.db
        .knex('team')
        .where('id', teamId)
        .update({ name: `Team ${HOSTILE}` });
      await ctx.db
        .knex('app_user')
        .where('email', DEMO.auditor)
        .update({ display_name: `Auditor ${HOSTILE}` });
      const token = await tokenFor(ctx, audit.email);
      await request(ctx.app)
        .put(`/api/audits/${auditId}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ version: audit.lock_version, response: { sections: { recording: { strengths: HOSTILE } } } })
        .expect(200);
    }, 180_000);
    afterAll(() => ctx.close());

    it('comes out inert wherever it is shown', async () => {
      const admin = await signedInAgent(ctx, DEMO.admin);
      const auditor = await ctx.db.knex('app_user').where('email', DEMO.auditor).first('id');
      const pages = [
        '/teams',
        `/teams/${teamId}`,
        `/cases?team=${teamId}`,
        '/admin/users',
        `/admin/users/${auditor.id}`,
        '/admin/audit-log',
        `/audits/${auditId}`,
        `/reports?team=${teamId}`,
        '/reports',
        '/rounds',
      ];
      let shown = 0;
      for (const page of pages) {
        const res = await admin.get(page);
        expect([page, res.status]).toEqual([page, 200]);
        expect([page, res.text.includes('<script>alert(1)')]).toEqual([page, false]);
        expect([page, res.text.includes('onerror="alert(2)"')]).toEqual([page, false]);
        if (res.text.includes(INERT)) shown += 1;
      }
      // The hostile text is really on the pages, escaped: most of them show one of the three fields.
      expect(shown).toBeGreaterThanOrEqual(6);
    });
  });
});
