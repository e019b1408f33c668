import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { checkFrameworkData } from '../../src/frameworks/spreadsheet';
import { contextWithAdminToken, DEMO, signedInAgent } from '../support/app';
import { nativeCsv, nativeRows } from '../support/case-lists';
import { FRAMEWORK } from '../support/audits';
import { submitAuditWithTexts } from '../support/exports';
import { sampleFramework } from '../support/frameworks';

/**
 * Every CSV the service sends is safe to open in a spreadsheet: a value starting with =, +, -, @, a tab or
 * a carriage return comes out with a ' in front, so it is shown as text instead of run as a formula.
 */

const setup = contextWithAdminToken();

const HOSTILE = ['=HYPERLINK("http://example.org","open")', '+1+1', '-2+3', '@SUM(1)', '\tx', '\rx'];
const TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The paths of the app's GET routes, from its router stack (mount points left out: they are not kept). */
function getRoutes(app: Express): string[] {
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const paths: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route?.methods.get) paths.push(layer.route.path);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return paths;
}

/** Each route that can send a CSV file, and how to make it send one holding the hostile values. */
const CSV_DOWNLOADS: Record<string, () => Promise<string>> = {
  '/cases/imports/:id/rejections.csv': async () => {
    const rows = nativeRows(HOSTILE.length, 700).map((row, i) => ({
      ...row,
      case_reference: HOSTILE[i] as string,
      case_type: 'not a type',
    }));
    const upload = await request(setup.ctx.app)
      .post('/api/case-imports?mode=skip-invalid&filename=@cases.csv')
      .auth(setup.adminToken, { type: 'bearer' })
      .set('Content-Type', 'text/csv')
      .send(nativeCsv(rows))
      .expect(201);
    const agent = await signedInAgent(setup.ctx, DEMO.admin);
    return (await agent.get(`/cases/imports/${upload.body.id}/rejections.csv`).expect(200)).text;
  },
  '/frameworks/:id/versions/:version/download.:format': async () => {
    await loadHostileFramework();
    const agent = await signedInAgent(setup.ctx, DEMO.admin);
    return (await agent.get('/frameworks/hostile/versions/1.0.0/download.csv').expect(200)).text;
  },
  '/frameworks/:id/versions/:version/export': async () => {
    await loadHostileFramework();
    const res = await request(setup.ctx.app)
      .get('/api/frameworks/hostile/versions/1.0.0/export?format=csv')
      .auth(setup.adminToken, { type: 'bearer' })
      .expect(200);
    return res.text;
  },
  '/reports/exports': async () => {
    await submitHostileAudit();
    const agent = await signedInAgent(setup.ctx, DEMO.admin);
    const res = await agent
      .get('/reports/exports')
      .query({ framework: FRAMEWORK.id, format: 'csv' })
      .expect(200);
    return res.text;
  },
  '/exports/audit-results.:format': async () => {
    await submitHostileAudit();
    const res = await request(setup.ctx.app)
      .get(`/api/exports/audit-results.csv?framework=${FRAMEWORK.id}`)
      .auth(setup.adminToken, { type: 'bearer' })
      .expect(200);
    return res.text;
  },
};

let submitted = false;
/** An audit whose free-text answers are the hostile values, submitted: what exports of audit results hold. */
async function submitHostileAudit(): Promise<void> {
  if (submitted) return;
  await submitAuditWithTexts(setup.ctx, HOSTILE, { name: 'Hostile answers' });
  submitted = true;
}

const hostileFramework = () =>
  sampleFramework({
    id: 'hostile',
    title: HOSTILE[0] as string,
    description: HOSTILE.join(' '),
    sections: sampleFramework().sections.map((section, i) => ({
      ...section,
      title: `${HOSTILE[i % HOSTILE.length]} ${section.title}`,
      guidance: HOSTILE[(i + 1) % HOSTILE.length],
    })),
  });

let loaded = false;
async function loadHostileFramework(): Promise<void> {
  if (loaded) return;
  const data = Buffer.from(JSON.stringify(hostileFramework()));
  await setup.ctx.services.frameworks.load(data, 'hostile.json', 'upload', SYSTEM_ACTOR);
  loaded = true;
}

describe('CSV downloads', () => {
  it('are all known: every route that names a file type or format is listed here', () => {
    const fileRoutes = getRoutes(setup.ctx.app).filter((path) => /csv|:format|export|download/i.test(path));
    expect(fileRoutes.sort()).toEqual(Object.keys(CSV_DOWNLOADS).sort());
  });

  it.each(Object.keys(CSV_DOWNLOADS))('%s neutralises cells a spreadsheet would run', async (route) => {
    const csv = await (CSV_DOWNLOADS[route] as () => Promise<string>)();
    const rows: string[][] = parse(csv, { relax_column_count: true });
    const cells = rows.flat();
    const dangerous = cells.filter((cell) => TRIGGER.test(cell) && !PLAIN_NUMBER.test(cell));
    expect(dangerous).toEqual([]);
    expect(cells.some((cell) => cell.includes(`'${HOSTILE[0]}`))).toBe(true);
  });

  it('keep the framework CSV round trip exact: a neutralised cell reads back as it was', async () => {
    await loadHostileFramework();
    const csv = await CSV_DOWNLOADS['/frameworks/:id/versions/:version/export']?.();
    const again = await checkFrameworkData(Buffer.from(csv as string), 'hostile.csv');
    expect(again.ok && again.framework).toEqual(
      (await setup.ctx.services.frameworks.get('hostile', '1.0.0')).framework,
    );
  });
});
