import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import { ERASED } from '../../src/retention/erasure';
import { createRetentionService } from '../../src/retention/service';
import type { User } from '../../src/users/user';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { importCaseList } from '../support/case-lists';

/**
 * Retention with a fixed clock: every list is dated 15 January 2020 and "today" is passed in, so what is
 * due does not depend on the day the test runs (the audits made here are dated the real today, which is
 * long before the days asked about).
 *
 * Due on 1 June 2046 with the default classes: RT-EH-17 (early help, 17 in 2020: 25 on 15 January 2028),
 * C0000008 (child in need, 8 in 2020: 25 in 2037), C0000004 (child in need, 4 in 2020: 25 in 2041, audited
 * and its audit submitted) and RT-CIN-X (child in need, no age: 25 years on, 15 January 2045). Not due:
 * RT-CP-8 (child protection: 35 years, 2055), RT-CIC-10 (in care, 10 in 2020: 75 in 2085), RT-ADOPT
 * (placement order: 100 years), and the children whose audits are still open.
 */
const TODAY = '2046-06-01';
const LIST_DATE = '2020-01-15T12:00:00Z';
const DUE = ['RT-EH-17', 'C0000008', 'C0000004', 'RT-CIN-X'];

const OWN_LIST = [
  'case_reference,case_type,team,age,legal_status',
  'RT-EH-17,early-help,Assessment North,17,',
  'RT-CIN-X,child-in-need,Assessment North,,',
  'RT-CP-8,child-protection,Family Safeguarding South 1,8,',
  'RT-CIC-10,child-in-care,Children in Care North,10,C2',
  'RT-ADOPT,child-in-care,Children in Care North,2,E1',
].join('\n');

let ctx: TestContext;
let auditId: number;
let eventId: number;

const caseRows = () =>
  ctx.db
    .knex('case_record')
    .orderBy('id')
    .select('id', 'case_ref', 'age_years', 'gender', 'worker_id', 'case_type');
const events = (action: string) => ctx.db.knex('audit_event').where({ action }).orderBy('id');
const enforcing = (batchSize: number) =>
  createRetentionService(ctx.infrastructure.db, ctx.services.activityLog, ctx.services.frameworks, {
    enforce: true,
    batchSize,
  });

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  const { auditIds } = await roundForAuditor(ctx.services, {
    cases: 8,
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  });
  const outcome = await importCaseList(ctx.services.cases, OWN_LIST, 'retention.csv');
  expect(outcome.status).toBe('imported');
  await ctx.db.knex('case_import').update({ started_at: LIST_DATE, finished_at: LIST_DATE });
  // The child in need's audit (C0000004, Assessment North), submitted with free text and a concern raised.
  const found = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .whereIn('a.id', auditIds)
    .where('c.case_type', 'child-in-need')
    .first('a.id', 'c.case_ref');
  expect(found.case_ref).toBe('C0000004');
  auditId = found.id;
  const auditor = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
  const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  await ctx.services.audits.submit(
    auditId,
    { version: 0, response: completeResponse(framework, () => 1) },
    auditor,
    SYSTEM_ACTOR,
  );
  await ctx.services.audits.raiseConcern(
    auditId,
    'Bruising seen on C0000004 at the visit.',
    auditor,
    SYSTEM_ACTOR,
  );
  // An event whose summary names the child and says something about them.
  await ctx.infrastructure.db.transaction((tx) =>
    ctx.services.activityLog.record(tx, SYSTEM_ACTOR, {
      action: 'audit.reallocate',
      recordType: 'audit',
      recordId: auditId,
      summary: { after: { auditorUserId: auditor.id, caseRef: 'C0000004', reason: 'Worker knows C0000004' } },
    }),
  );
  eventId = Number((await events('audit.reallocate').first('id')).id);
  // The child's record is restricted, and granted to a team manager: the grant and its event name the child.
  await ctx.db.knex('case_record').where({ case_ref: 'C0000004' }).update({ restricted: true });
  const manager = (await ctx.services.users.findByEmail(DEMO.teamManager)) as User;
  await ctx.services.restrictedCases.grant(
    'C0000004',
    { userId: String(manager.id), reason: 'Manages the team' },
    SYSTEM_ACTOR,
  );
});
afterAll(() => ctx.close());

describe('the dry-run report', () => {
  it('lists exactly the children due on the day, earliest first, by class, and changes nothing', async () => {
    const before = await caseRows();
    const eventCount = await ctx.db.knex('audit_event').count('* as n').first();
    const report = await ctx.services.retention.report(TODAY);
    expect(report.children.map((c) => c.caseRef)).toEqual(DUE);
    expect(report.children.map((c) => c.dueDate)).toEqual([
      '2028-01-15',
      '2037-01-15',
      '2041-01-15',
      '2045-01-15',
    ]);
    expect(report.totalDue).toBe(4);
    expect(report.byClass).toEqual([
      { code: 'early-help', label: 'Early help', count: 1 },
      { code: 'child-in-need', label: 'Child in need', count: 3 },
    ]);
    expect(report.complete).toBe(true);
    expect(await caseRows()).toEqual(before);
    expect(await ctx.db.knex('audit_event').count('* as n').first()).toEqual(eventCount);
  });

  it('lists fewer on an earlier day, and caps the list without losing the count', async () => {
    expect((await ctx.services.retention.report('2030-01-01')).children.map((c) => c.caseRef)).toEqual([
      'RT-EH-17',
    ]);
    expect((await ctx.services.retention.report('2028-01-14')).totalDue).toBe(0);
    const capped = await ctx.services.retention.report(TODAY, 2);
    expect(capped.children).toHaveLength(2);
    expect(capped).toMatchObject({ totalDue: 4, complete: false });
  });

  it('is recorded by the sweep while enforcement is off: counts only, nothing changed', async () => {
    const before = await caseRows();
    expect(await ctx.services.retention.sweep(SYSTEM_ACTOR, TODAY)).toEqual({
      today: TODAY,
      enforce: false,
      due: 4,
      erased: 0,
    });
    const [dryRun] = await events('retention.dry_run');
    expect(dryRun).toMatchObject({
      record_type: 'retention',
      record_id: TODAY,
      summary: { after: { due: 4, byClass: { 'early-help': 1, 'child-in-need': 3 } } },
    });
    expect(JSON.stringify(dryRun.summary)).not.toMatch(/RT-|C000/);
    expect(await caseRows()).toEqual(before);
  });
});

describe('the pages and the API', () => {
  it('show admins the classes and what is due today', async () => {
    const admin = await signedInAgent(ctx, DEMO.admin);
    const page = await admin.get('/admin/retention').expect(200);
    expect(page.text).toContain('Retention of children’s records');
    expect(page.text).toContain('Until the 75th birthday');
    expect(page.text).toContain('35 years after retention runs from');
    const token = await tokenFor(ctx, DEMO.admin);
    const api = await request(ctx.app).get('/api/retention/due').auth(token, { type: 'bearer' }).expect(200);
    expect(api.body.classes).toHaveLength(9);
    expect(api.body).toMatchObject({ enforce: false });
    await request(ctx.app).get('/api/retention/due?limit=lots').auth(token, { type: 'bearer' }).expect(400);
  });

  it('refuse everyone else (403), and anonymous visitors (401, or sign in)', async () => {
    for (const email of [DEMO.auditor, DEMO.teamManager, DEMO.director]) {
      const agent = await signedInAgent(ctx, email);
      await agent.get('/admin/retention').expect(403);
      await agent.get('/admin/retention/classes/child-protection').expect(403);
      const token = await tokenFor(ctx, email);
      await request(ctx.app).get('/api/retention/due').auth(token, { type: 'bearer' }).expect(403);
    }
    await request(ctx.app).get('/api/retention/due').expect(401);
    const page = await request(ctx.app).get('/admin/retention').expect(302);
    expect(page.headers.location).toMatch(/^\/sign-in/);
  });

  it('refuse bad input in a class with an error summary (422), and save good input', async () => {
    const admin = await signedInAgent(ctx, DEMO.admin);
    const form = await admin.get('/admin/retention/classes/child-protection').expect(200);
    const csrf = csrfTokenIn(form.text);
    const bad = await admin
      .post('/admin/retention/classes/child-protection')
      .type('form')
      .send({ _csrf: csrf, basis: 'age', years: '7', unknownAgeYears: 'x' })
      .expect(422);
    expect(bad.text).toContain('There is a problem');
    expect(bad.text).toContain('Enter the birthday as a whole number from 18 to 150');
    expect(bad.text).toContain(
      'Enter the years kept when the age is unknown as a whole number from 1 to 150',
    );
    const none = await admin
      .post('/admin/retention/classes/child-protection')
      .type('form')
      .send({ _csrf: csrf })
      .expect(422);
    expect(none.text).toContain('Choose how long the record is kept');
    await admin
      .post('/admin/retention/classes/no-such-class')
      .type('form')
      .send({ _csrf: csrf, basis: 'years', years: '10' })
      .expect(404);
    await admin
      .post('/admin/retention/classes/child-protection')
      .type('form')
      .send({ _csrf: csrf, basis: 'years', years: '40', unknownAgeYears: '' })
      .expect(303);
    expect(await ctx.services.retention.getClass('child-protection')).toMatchObject({
      basis: 'years',
      years: 40,
      unknownAgeYears: null,
    });
    const [change] = await events('retention_class.change');
    expect(change.summary).toEqual({
      before: { basis: 'years', years: 35, unknownAgeYears: null },
      after: { basis: 'years', years: 40, unknownAgeYears: null },
    });
    await ctx.services.retention.updateClass('child-protection', { basis: 'years', years: 35 }, SYSTEM_ACTOR);
  });
});

describe('enforcement', () => {
  it('pseudonymises exactly the children due, a batch a run, keeping grades and taking the child out of the audit log; running again does nothing more', async () => {
    const untouched = await ctx.db.knex('case_record').whereNotIn('case_ref', DUE).orderBy('id');
    const revision = await ctx.db.knex('audit_revision').where({ audit_id: auditId }).first();
    const grades = await ctx.db
      .knex('audit_section_grade')
      .where({ audit_revision_id: revision.id })
      .orderBy('section_id');
    expect(grades.length).toBeGreaterThan(0);

    const service = enforcing(2);
    expect(await service.sweep(SYSTEM_ACTOR, TODAY)).toMatchObject({ enforce: true, due: 4, erased: 2 });
    expect(await service.sweep(SYSTEM_ACTOR, TODAY)).toMatchObject({ due: 2, erased: 2 });
    expect(await service.sweep(SYSTEM_ACTOR, TODAY)).toMatchObject({ due: 0, erased: 0 });

    // The due children: under pseudonyms, with nothing about them left but case type and team.
    const refs: string[] = await ctx.db.knex('case_record').pluck('case_ref');
    for (const ref of DUE) expect(refs).not.toContain(ref);
    const erased = await ctx.db.knex('case_record').where('case_ref', 'like', 'erased-%');
    expect(erased).toHaveLength(4);
    for (const row of erased) {
      expect(row).toMatchObject({
        age_years: null,
        gender: null,
        ethnicity: null,
        worker_id: null,
        start_date: null,
      });
      expect(row.case_type).toMatch(/early-help|child-in-need/);
    }
    expect(new Set(erased.map((r) => r.case_ref)).size).toBe(4);
    // The others, untouched.
    expect(
      await ctx.db
        .knex('case_record')
        .whereNotIn(
          'case_ref',
          erased.map((r) => r.case_ref),
        )
        .orderBy('id'),
    ).toEqual(untouched);

    // The audit: grades kept, free text gone.
    const after = await ctx.db.knex('audit_revision').where({ id: revision.id }).first();
    expect(after.overall_grade).toBe(revision.overall_grade);
    expect(after.status).toBe('submitted');
    expect(after.response.overall).toEqual({ ...revision.response.overall, rationale: ERASED });
    const section = Object.values(
      after.response.sections as Record<string, { grade?: string; rationale?: string }>,
    ).find((s) => s.grade);
    expect(section?.rationale).toBe(ERASED);
    expect(
      await ctx.db
        .knex('audit_section_grade')
        .where({ audit_revision_id: revision.id })
        .orderBy('section_id'),
    ).toEqual(grades);
    expect(await ctx.db.knex('safeguarding_concern').where({ audit_id: auditId }).pluck('details')).toEqual([
      ERASED,
    ]);

    // The audit log: the event about the audit keeps its shape, not the child.
    const event = await ctx.db.knex('audit_event').where({ id: eventId }).first();
    const pseudonym = (
      await ctx.db
        .knex('audit as a')
        .join('case_record as c', 'c.id', 'a.case_id')
        .where('a.id', auditId)
        .first('c.case_ref')
    ).case_ref;
    expect(event.summary).toEqual({
      after: { auditorUserId: expect.any(Number), caseRef: pseudonym, reason: ERASED },
    });
    const summaries = (await ctx.db.knex('audit_event').pluck('summary'))
      .map((s) => JSON.stringify(s))
      .join('\n');
    for (const ref of DUE) expect(summaries).not.toContain(ref);
    // Nor as the record an event names (a restricted case's), nor in a grant, which follows the child.
    const recordIds: string[] = await ctx.db.knex('audit_event').pluck('record_id');
    for (const ref of DUE) expect(recordIds).not.toContain(ref);
    expect(await ctx.db.knex('restricted_case_access').pluck('case_ref')).toEqual([pseudonym]);
    expect(
      await ctx.db.knex('audit_event').where({ record_type: 'restricted_case' }).pluck('record_id'),
    ).toEqual([pseudonym]);

    // One event per child, with the class and counts but no case reference.
    const erasures = await events('retention.erase');
    expect(erasures).toHaveLength(4);
    expect(erasures.map((e) => e.summary.after.classCode).sort()).toEqual([
      'child-in-need',
      'child-in-need',
      'child-in-need',
      'early-help',
    ]);
    expect(erasures.map((e) => e.record_id).sort()).toEqual(erased.map((r) => r.case_ref).sort());

    // Nothing is due any more, and the report still changes nothing.
    expect((await ctx.services.retention.report(TODAY)).totalDue).toBe(0);
  });

  it('leaves the audit log append-only outside a retention erasure', async () => {
    await expect(ctx.db.knex('audit_event').where({ id: eventId }).update({ summary: '{}' })).rejects.toThrow(
      /append-only/,
    );
    await expect(
      ctx.db.knex('audit_event').where({ id: eventId }).update({ action: 'x.y', summary: '{}' }),
    ).rejects.toThrow(/append-only/);
    await expect(
      ctx.db.knex('audit_revision').where({ audit_id: auditId }).update({ reopen_reason: 'x' }),
    ).rejects.toThrow(/cannot be changed/);
  });
});
