import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';
import { FRAMEWORK, moderateAll, roundForAuditor } from '../support/audits';
import { importNativeCases } from '../support/case-lists';
import { eventMark, eventsSince } from '../support/events';
import { binary } from '../support/exports';
import { capturedLogger } from '../support/log-capture';
import { respondWithCompletedAction } from '../support/remediation';

/**
 * Subject access requests: everything held about one child, found by case reference across every import.
 * The child (an Assessment North case, Harry Chen's team) is in two imports; their audit was submitted,
 * reopened and submitted again, moderated, raised a safeguarding concern, and opened a remediation record
 * whose one action was verified, closing it and scheduling a re-audit; a calibration exercise is on the
 * case too. Another child of the same round, with a concern of their own, must never be in the export.
 */

type Who = keyof typeof DEMO;
const INADEQUATE = 3;
const HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">';
const CONCERN = `Bruising seen on a home visit. ${HOSTILE}`;
const OTHER_CONCERN = 'A concern about the other child only.';

const FILES = [
  'manifest.json',
  'case-records.json',
  'audits.json',
  'audit-revisions.json',
  'moderations.json',
  'safeguarding-concerns.json',
  'escalations.json',
  'remediation-records.json',
  'remediation-actions.json',
  'reaudits.json',
  'calibration-exercises.json',
  'audit-log.json',
  'summary.html',
];

const log = capturedLogger('debug');
let ctx: TestContext;
let framework: Framework;
const users = {} as Record<Who, User>;
const tokens = {} as Record<Who, string>;
/** The child: their reference, case records (oldest import first) and round audit. */
const child = { caseRef: '', caseIds: [] as number[], auditId: 0, calibrationId: 0, recordId: 0 };
const other = { caseRef: '', auditId: 0 };

const as = (user: User) => ({ ...SYSTEM_ACTOR, userId: user.id });

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true, logger: log.logger });
  const knex = ctx.db.knex;
  for (const who of Object.keys(DEMO) as Who[]) {
    users[who] = (await ctx.services.users.findByEmail(DEMO[who])) as User;
    tokens[who] = await tokenFor(ctx, DEMO[who]);
  }
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  const { auditIds } = await roundForAuditor(ctx.services, {
    name: 'Subject access round',
    moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
  });
  const audits = await knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .orderBy('a.id')
    .select('a.id', 'c.case_ref as caseRef', 't.code');
  const mine = audits.find((a) => a.code === 'assessment-north');
  const theirs = audits.find((a) => a.code === 'family-safeguarding-south-1');
  Object.assign(child, { caseRef: mine.caseRef, auditId: mine.id });
  Object.assign(other, { caseRef: theirs.caseRef, auditId: theirs.id });

  const { auditor, teamManager: harry, admin } = users;
  const inadequate = () => completeResponse(framework, () => INADEQUATE);
  // Submitted, reopened and submitted again: two submitted revisions, the first one's moderation cancelled.
  const first = await ctx.services.audits.submit(
    child.auditId,
    { version: 0, response: inadequate() },
    auditor,
    as(auditor),
  );
  const reopened = await ctx.services.audits.reopen(
    child.auditId,
    { version: first.version, reason: 'The chronology section was graded against the wrong plan.' },
    auditor,
    as(auditor),
  );
  await ctx.services.audits.submit(
    child.auditId,
    { version: reopened.version, response: inadequate() },
    auditor,
    as(auditor),
  );
  await moderateAll(ctx.services, framework, child.auditId, 'inadequate');
  await ctx.services.audits.raiseConcern(child.auditId, CONCERN, auditor, as(auditor));

  // Harry answers the record and sets an action; the auditor verifies it, which closes the record and
  // schedules the re-audit.
  child.recordId = (await knex('remediation_record').where({ audit_id: child.auditId }).first('id')).id;
  const actionId = await respondWithCompletedAction(ctx.services, child.recordId, harry);
  await ctx.services.remediation.moveAction(
    actionId,
    { version: 3, status: 'verified', note: 'Read the visit record.' },
    auditor,
    as(auditor),
  );

  // The other child: submitted with a concern of their own.
  await ctx.services.audits.submit(
    other.auditId,
    { version: 0, response: completeResponse(framework, () => 1) },
    auditor,
    as(auditor),
  );
  await ctx.services.audits.raiseConcern(other.auditId, OTHER_CONCERN, auditor, as(auditor));

  // The same list imported again: the child has a case record in each import.
  await importNativeCases(ctx.services.cases, 60, 'second.csv');
  const auditors = await ctx.services.users.listWithRole('auditor');
  child.calibrationId = await ctx.services.calibration.create(
    {
      name: 'Subject access calibration',
      caseRef: child.caseRef,
      frameworkId: FRAMEWORK.id,
      frameworkVersion: FRAMEWORK.version,
      dueDate: '2099-01-31',
      auditorUserIds: auditors.filter((u) => u.managedTeamIds.length === 0).map((u) => u.id),
    },
    as(admin),
  );
  child.caseIds = await knex('case_record')
    .where({ case_ref: child.caseRef })
    .orderBy('import_id')
    .pluck('id');
}, 180_000);
afterAll(() => ctx.close());

const api = (who: Who, path: string) => request(ctx.app).get(path).auth(tokens[who], { type: 'bearer' });
const zipOf = (res: request.Response) => unzipSync(new Uint8Array(res.body as Buffer));
const jsonIn = (files: Record<string, Uint8Array>, name: string) =>
  JSON.parse(strFromU8(files[name] as Uint8Array));

const agents: Partial<Record<Who, TestAgent>> = {};
async function agent(who: Who): Promise<TestAgent> {
  agents[who] ??= await signedInAgent(ctx, DEMO[who]);
  return agents[who];
}

/** How many rows the database holds of each kind for the child, counted here independently. */
async function heldInDatabase() {
  const knex = ctx.db.knex;
  const audits = await knex('audit').whereIn('case_id', child.caseIds).select('id', 'remediation_record_id');
  const auditIds = audits.map((a) => a.id);
  const concernIds = await knex('safeguarding_concern').whereIn('audit_id', auditIds).pluck('id');
  const count = async (table: string, column: string, ids: number[]) =>
    Number((await knex(table).whereIn(column, ids).count<{ count: string }>('* as count').first())?.count);
  return {
    audits: audits.filter((a) => a.remediation_record_id === null).length,
    reaudits: audits.filter((a) => a.remediation_record_id !== null).length,
    auditRevisions: await count('audit_revision', 'audit_id', auditIds),
    escalations: await count('escalation', 'concern_id', concernIds),
  };
}

describe('the subject access export', () => {
  let files: Record<string, Uint8Array>;
  let mark: number;
  beforeAll(async () => {
    mark = await eventMark(ctx.db.knex);
    const res = await api('admin', `/api/subject-access/${child.caseRef}.zip`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="?subject-access-${child.caseRef}-\\d{4}-\\d{2}-\\d{2}\\.zip"?$`),
    );
    expect(res.headers['cache-control']).toBe('no-store');
    files = zipOf(res);
  });

  it('holds a manifest, a JSON file for each kind of record and a summary page', () => {
    expect(Object.keys(files).sort()).toEqual([...FILES].sort());
    const manifest = jsonIn(files, 'manifest.json');
    expect(manifest).toMatchObject({ export: 'subject-access', schema: 1, caseReference: child.caseRef });
    expect(Date.now() - Date.parse(manifest.exportedAt)).toBeLessThan(60_000);
    expect(manifest.files.map((f: { file: string }) => f.file).sort()).toEqual(
      FILES.filter((f) => f !== 'manifest.json').sort(),
    );
    for (const entry of manifest.files)
      if (entry.file.endsWith('.json')) expect(jsonIn(files, entry.file)).toHaveLength(entry.records);
  });

  it('holds every kind of record about the child, with the right counts', async () => {
    const db = await heldInDatabase();
    const counts = Object.fromEntries(
      FILES.filter((f) => f.endsWith('.json') && f !== 'manifest.json').map((f) => [
        f,
        jsonIn(files, f).length,
      ]),
    );
    expect(counts).toEqual({
      'case-records.json': 2,
      // The round's audit and each calibration auditor's.
      'audits.json': db.audits,
      'audit-revisions.json': db.auditRevisions,
      // The first submission's (cancelled when it was reopened) and the second's, completed.
      'moderations.json': 2,
      'safeguarding-concerns.json': 1,
      'escalations.json': db.escalations,
      'remediation-records.json': 1,
      'remediation-actions.json': 1,
      'reaudits.json': 1,
      'calibration-exercises.json': 1,
      'audit-log.json': expect.any(Number),
    });
    expect(db.audits).toBeGreaterThanOrEqual(3);
    expect(db.escalations).toBe(2);
    expect(db.reaudits).toBe(1);
    expect(jsonIn(files, 'case-records.json').map((c: { id: number }) => c.id)).toEqual(child.caseIds);
    const revisions = jsonIn(files, 'audit-revisions.json').filter(
      (r: { audit_id: number }) => r.audit_id === child.auditId,
    );
    expect(revisions.map((r: { revision: number; status: string }) => [r.revision, r.status])).toEqual([
      [1, 'submitted'],
      [2, 'submitted'],
    ]);
    expect(revisions[1].reopen_reason).toMatch(/wrong plan/);
    expect(revisions[1].grades.overall).toBe('inadequate');
    const moderations = jsonIn(files, 'moderations.json');
    expect(moderations.map((m: { status: string }) => m.status).sort()).toEqual(['cancelled', 'completed']);
    expect(jsonIn(files, 'safeguarding-concerns.json')[0].details).toBe(CONCERN);
    expect(jsonIn(files, 'remediation-records.json')[0]).toMatchObject({
      id: child.recordId,
      status: 'closed',
      response: 'We agree with the audit.',
    });
    expect(jsonIn(files, 'remediation-actions.json')[0]).toMatchObject({ status: 'verified' });
    expect(jsonIn(files, 'reaudits.json')[0]).toMatchObject({ remediation_record_id: child.recordId });
    expect(jsonIn(files, 'calibration-exercises.json')[0]).toMatchObject({ id: child.calibrationId });
  });

  it('holds the audit log’s entries about each of those records', () => {
    const events: { action: string; record_type: string; record_id: string }[] = jsonIn(
      files,
      'audit-log.json',
    );
    const actions = new Set(events.map((e) => e.action));
    for (const action of [
      'audit.submit',
      'audit.reopen',
      'moderation.complete',
      'audit.safeguarding_concern',
      'remediation.open',
      'remediation.respond',
      'remediation_action.create',
      'remediation_action.verify',
      'remediation.close',
      'calibration.create',
    ])
      expect(actions).toContain(action);
    const auditEvents = events.filter((e) => e.record_type === 'audit').map((e) => Number(e.record_id));
    expect(auditEvents).toContain(child.auditId);
    expect(auditEvents).not.toContain(other.auditId);
  });

  it('holds nothing about another child', () => {
    for (const [name, bytes] of Object.entries(files)) {
      const text = strFromU8(bytes);
      expect([name, text.includes(other.caseRef)]).toEqual([name, false]);
      expect([name, text.includes(OTHER_CONCERN)]).toEqual([name, false]);
    }
  });

  it('has a summary page that names the case, is self-contained and runs nothing', () => {
    const html = strFromU8(files['summary.html'] as Uint8Array);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).toContain(`Everything held about case ${child.caseRef}`);
    expect(html).toContain('We agree with the audit.');
    expect(html).toContain('Visit the child at home and see them alone.');
    expect(html).toMatch(/Sam Patel looked up case|Aisha Khan submitted the audit of case/);
    // The hostile concern is shown as text.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<img|\son[a-z]+=|javascript:/i);
    expect(html).not.toMatch(/<link|src=|@import|url\(/i);
  });

  it('is logged: the case records, the reference’s hash and the counts, never the reference', async () => {
    const events = await eventsSince(ctx.db.knex, mark);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'subject_access.export',
        actorKind: 'token',
        actorUserId: users.admin.id,
        recordType: 'subject_access',
        recordId: String(child.caseIds.at(-1)),
        summary: expect.objectContaining({
          caseIds: child.caseIds,
          caseRefSha256: createHash('sha256').update(child.caseRef).digest('hex'),
          counts: expect.objectContaining({ caseRecords: 2, remediationActions: 1 }),
        }),
      }),
    ]);
    expect(JSON.stringify(events[0]?.summary)).not.toContain(child.caseRef);
    const readable = await ctx.services.activityLog.listReadable({
      action: 'subject_access.export',
      limit: 1,
      offset: 0,
    });
    expect(readable.events[0]?.sentence).toBe(
      `Sam Patel (with API token ${readable.events[0]?.actorTokenId}) downloaded everything held about case ${child.caseRef} (case records from 2 imports)`,
    );
  });
});

describe('the subject access page', () => {
  it('is linked from the admin home page', async () => {
    const res = await (await agent('admin')).get('/admin').expect(200);
    expect(res.text).toContain('href="/admin/subject-access"');
  });

  it('asks for a case reference', async () => {
    const res = await (await agent('admin')).get('/admin/subject-access').expect(200);
    expect(res.text).toContain('<title>Subject access request – Case Audit</title>');
    expect(res.text).toMatch(/<form method="get" action="\/admin\/subject-access"/);
    expect(res.text).toContain('name="caseRef"');
    expect(res.text).not.toContain('govuk-error-summary');
  });

  it('shows how many records of each kind the export holds, and where to download it; a view, logged', async () => {
    const mark = await eventMark(ctx.db.knex);
    const res = await (
      await agent('admin')
    )
      .get(`/admin/subject-access?caseRef=${encodeURIComponent(` ${child.caseRef} `)}`)
      .expect(200);
    expect(res.text).toContain(`What is held about case ${child.caseRef}`);
    expect(res.text).toContain(`href="/admin/subject-access/${child.caseRef}.zip"`);
    expect(res.text).toMatch(/Remediation actions<\/th>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>1<\/td>/);
    expect(res.text).toMatch(/Case records<\/th>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>2<\/td>/);
    expect(res.text).not.toContain(other.caseRef);
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'subject_access.view',
        actorUserId: users.admin.id,
        recordType: 'subject_access',
        recordId: String(child.caseIds.at(-1)),
      }),
    ]);
  });

  it('downloads the ZIP with the session', async () => {
    const res = await (
      await agent('admin')
    )
      .get(`/admin/subject-access/${child.caseRef}.zip`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Object.keys(zipOf(res))).toHaveLength(FILES.length);
  });

  it.each([
    ['nothing', '', 400, 'Enter a case reference'],
    ['spaces only', '%20%20', 400, 'Enter a case reference'],
    ['an unknown reference', 'NOPE123', 404, 'No case with reference NOPE123 has been imported'],
    ['a very long reference', 'X'.repeat(101), 400, 'A case reference must be 100 characters or fewer'],
    ['a control character', 'A%01B', 400, 'A case reference cannot hold control characters'],
    ['two references', 'A&caseRef=B', 400, 'Enter one case reference'],
  ])('refuses %s with an error summary linked to the field', async (_what, given, status, message) => {
    const mark = await eventMark(ctx.db.knex);
    const res = await (await agent('admin')).get(`/admin/subject-access?caseRef=${given}`).expect(status);
    expect(res.text).toContain('<title>Error: Subject access request – Case Audit</title>');
    expect(res.text).toContain(`<a href="#caseRef">${message}</a>`);
    expect(res.text).toContain('govuk-input--error');
    expect(res.text).not.toContain('Download everything held');
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([]);
  });

  it.each(['auditor', 'moderator', 'teamManager', 'headOfService', 'director'] as const)(
    'is refused to a %s',
    async (who) => {
      const signedIn = await agent(who);
      await signedIn.get('/admin/subject-access').expect(403);
      await signedIn.get(`/admin/subject-access?caseRef=${child.caseRef}`).expect(403);
      await signedIn.get(`/admin/subject-access/${child.caseRef}.zip`).expect(403);
    },
  );

  it('sends anyone not signed in to sign in', async () => {
    const res = await request(ctx.app).get(`/admin/subject-access/${child.caseRef}.zip`).expect(302);
    expect(res.headers.location).toMatch(/^\/sign-in/);
  });
});

describe('the subject access API', () => {
  it('says how many records of each kind are held', async () => {
    const res = await api('admin', `/api/subject-access/${child.caseRef}`).expect(200);
    expect(res.body).toMatchObject({
      caseReference: child.caseRef,
      counts: {
        caseRecords: 2,
        safeguardingConcerns: 1,
        remediationRecords: 1,
        remediationActions: 1,
        reaudits: 1,
        calibrationExercises: 1,
      },
      download: `/api/subject-access/${child.caseRef}.zip`,
    });
    expect(res.body.files).toHaveLength(FILES.length - 2);
  });

  it.each(['auditor', 'moderator', 'teamManager', 'headOfService', 'director'] as const)(
    'is refused to a %s (403)',
    async (who) => {
      await api(who, `/api/subject-access/${child.caseRef}`).expect(403);
      await api(who, `/api/subject-access/${child.caseRef}.zip`).expect(403);
    },
  );

  it('is refused without a token (401)', async () => {
    await request(ctx.app).get(`/api/subject-access/${child.caseRef}`).expect(401);
    await request(ctx.app).get(`/api/subject-access/${child.caseRef}.zip`).expect(401);
  });

  it.each([
    ['an unknown reference', 'NOPE123', 404],
    ['an unknown reference, zipped', 'NOPE123.zip', 404],
    ['spaces only', '%20', 400],
    ['spaces only, zipped', '%20.zip', 400],
    ['a control character', 'A%0AB', 400],
    ['a very long reference', 'Y'.repeat(300), 400],
    ['broken percent-encoding', '%E0%A4%A', 400],
  ])('answers %s with a problem, never a 500', async (_what, given, status) => {
    const mark = await eventMark(ctx.db.knex);
    const res = await api('admin', `/api/subject-access/${given}`).expect(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (status === 404)
      expect(res.body.errors).toEqual([
        { field: 'caseRef', message: 'No case with reference NOPE123 has been imported' },
      ]);
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([]);
  });

  it('never logs the case reference in the request log', () => {
    const lines = log.lines.filter((line) => line.includes('subject-access'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.includes(child.caseRef))).toEqual([]);
    expect(lines.filter((line) => line.includes('NOPE123'))).toEqual([]);
  });
});
