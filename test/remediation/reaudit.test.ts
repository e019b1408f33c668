import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { longDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { FRAMEWORKS_DIR } from '../../src/paths';
import type { User } from '../../src/users/user';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';
import { FRAMEWORK, moderateAll, roundForAuditor, sectionFormOf } from '../support/audits';
import { eventMark, eventsSince } from '../support/events';
import { failInserts } from '../support/failing-writes';
import { respondWithCompletedAction } from '../support/remediation';
import { decode } from '../support/forms';

/**
 * Re-audits: closing a remediation record schedules a new audit of the same child when its framework wants
 * one, due in working days, allocated under the conflict rule; the auditor grades it through the normal
 * pages, and the record shows the grades before and after. Assessment North is Harry Chen's team: Harry is
 * also an auditor, so he is never free to audit its cases. Aisha Khan graded every audit here.
 */

type Who = keyof typeof DEMO;

let ctx: TestContext;
let framework: Framework;
const users = {} as Record<Who, User>;
const agents: Partial<Record<Who, TestAgent>> = {};
/** Assessment North audits graded inadequate: by framework variant, and for each story below. */
const audit = { pages: 0, fallback: 0, nobody: 0, none: 0, fiveDays: 0 };

const INADEQUATE = 3;
/** A Friday before Christmas: 25 and 28 December 2026 and 1 January 2027 are bank holidays. */
const CLOSED_ON = Date.parse('2026-12-18T12:00:00Z');

const as = (user: User) => ({ ...SYSTEM_ACTOR, userId: user.id });

/** The shipped general audit again, as a new version that says whether (and when) to re-audit. */
async function variant(version: string, reaudit: unknown) {
  const file = path.join(FRAMEWORKS_DIR, 'childrens-social-care-case-audit.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  document.version = version;
  document.remediation.reaudit = reaudit;
  await ctx.services.frameworks.load(Buffer.from(JSON.stringify(document)), 'f.json', 'upload', SYSTEM_ACTOR);
  return { id: FRAMEWORK.id, version };
}

/** A round of the framework, allocated to Aisha Khan; its Assessment North audits, graded inadequate. */
async function inadequateAudits(name: string, version: { id: string; version: string }, perTeam: number) {
  const { auditIds } = await roundForAuditor(ctx.services, {
    name,
    framework: version,
    perTeam,
    moderation: { samplePercent: 0, allInadequate: true, allOutstanding: false, blind: true },
  });
  const north: number[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .where('t.code', 'assessment-north')
    .orderBy('a.id')
    .pluck('a.id');
  const stored = (await ctx.services.frameworks.get(version.id, version.version)).framework;
  for (const id of north)
    await ctx.services.audits.submit(
      id,
      { version: 0, response: completeResponse(stored, () => INADEQUATE) },
      users.auditor,
      as(users.auditor),
    );
  return north;
}

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  for (const who of Object.keys(DEMO) as Who[])
    users[who] = (await ctx.services.users.findByEmail(DEMO[who])) as User;
  [audit.pages, audit.fallback, audit.nobody] = (await inadequateAudits('Default', FRAMEWORK, 3)) as [
    number,
    number,
    number,
  ];
  [audit.none] = (await inadequateAudits('No re-audit', await variant('1.0.1', false), 1)) as [number];
  [audit.fiveDays] = (await inadequateAudits(
    'Five days',
    await variant('1.0.2', { afterWorkingDays: 5 }),
    1,
  )) as [number];
  // The moderator agrees a better grade than the auditor's: the record's "before" is the agreed one.
  await moderateAll(ctx.services, framework, audit.pages, 'requires-improvement');
}, 120_000);
afterAll(() => ctx.close());

/** The record an audit's grades opened: its id and status. */
const recordOf = (auditId: number): Promise<{ id: number; status: string }> =>
  ctx.db.knex('remediation_record').where({ audit_id: auditId }).first('id', 'status');

const reauditsOf = (recordId: number) =>
  ctx.db.knex('audit').where({ remediation_record_id: recordId }).orderBy('id') as Promise<
    {
      id: number;
      case_id: number;
      framework_version_id: number;
      auditor_user_id: number | null;
      status: string;
      due_date: string;
      created_at: Date;
    }[]
  >;

const ready = new Map<number, Promise<{ recordId: number; actionId: number }>>();

/** Harry responds to the audit's record and sets one action, which he completes: it waits to be verified. */
function readyToClose(auditId: number) {
  const prepare = async () => {
    const { id } = await recordOf(auditId);
    return { recordId: id, actionId: await respondWithCompletedAction(ctx.services, id, users.teamManager) };
  };
  if (!ready.has(auditId)) ready.set(auditId, prepare());
  return ready.get(auditId) as Promise<{ recordId: number; actionId: number }>;
}

/** The verifier verifies the record's last action, closing it (on `day`, when given): the events written. */
async function closeRecordOf(auditId: number, verifier: User, day?: number) {
  const { recordId, actionId } = await readyToClose(auditId);
  const mark = await eventMark(ctx.db.knex);
  const clock = day === undefined ? undefined : jest.spyOn(Date, 'now').mockReturnValue(day);
  try {
    const moved = await ctx.services.remediation.moveAction(
      actionId,
      { version: 3, status: 'verified', note: 'Read the visit record.' },
      verifier,
      as(verifier),
    );
    expect(moved.recordClosed).toBe(true);
  } finally {
    clock?.mockRestore();
  }
  return { recordId, events: await eventsSince(ctx.db.knex, mark) };
}

async function agent(who: Who): Promise<TestAgent> {
  agents[who] ??= await signedInAgent(ctx, DEMO[who]);
  return agents[who];
}

const api = async (who: Who) => {
  const token = await tokenFor(ctx, DEMO[who]);
  return (url: string) => request(ctx.app).get(url).set('Authorization', `Bearer ${token}`);
};

describe('closing a record schedules a re-audit when the framework wants one', () => {
  it('closes and schedules in one transaction: a re-audit that cannot be written leaves the record open', async () => {
    const { recordId, actionId } = await readyToClose(audit.fiveDays);
    const lift = await failInserts(ctx.db.knex, 'audit', 'new.remediation_record_id is not null');
    const mark = await eventMark(ctx.db.knex);
    try {
      await expect(
        ctx.services.remediation.moveAction(
          actionId,
          { version: 3, status: 'verified', note: 'Read the visit record.' },
          users.auditor,
          as(users.auditor),
        ),
      ).rejects.toThrow('injected failure writing audit');
    } finally {
      await lift();
    }
    expect(await recordOf(audit.fiveDays)).toMatchObject({ status: 'open' });
    expect(await ctx.db.knex('remediation_action').where({ id: actionId }).first('status')).toEqual({
      status: 'completed',
    });
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([]);
    expect(await reauditsOf(recordId)).toEqual([]);
  });

  // Closed on Friday 18 December 2026: Christmas Day, Boxing Day (on Monday 28th) and New Year's Day fall
  // within both timescales, so 40 working days end on 17 February rather than 12 February.
  it.each([
    ['leaves it out (the default, 40 working days)', 'pages', '2027-02-17'],
    ['says { afterWorkingDays: 5 }', 'fiveDays', '2026-12-29'],
    ['says false (no re-audit)', 'none', undefined],
  ] as const)('when the framework %s', async (_says, story, due) => {
    const { recordId, events } = await closeRecordOf(audit[story], users.auditor, CLOSED_ON);
    const reaudits = await reauditsOf(recordId);
    const original = (await ctx.db.knex('audit').where({ id: audit[story] }).first()) as {
      framework_version_id: number;
      case_id: number;
    };
    if (due === undefined) {
      expect(reaudits).toEqual([]);
      expect(events.map((e) => e.action)).toEqual(['remediation_action.verify', 'remediation.close']);
      return;
    }
    expect(reaudits).toEqual([
      expect.objectContaining({
        status: 'allocated',
        // The auditor who graded the case, still active and free of conflicts.
        auditor_user_id: users.auditor.id,
        due_date: due,
        framework_version_id: original.framework_version_id,
      }),
    ]);
    const [sameChild] = await ctx.db
      .knex('case_record')
      .whereIn('id', [original.case_id, reaudits[0]!.case_id])
      .countDistinct('case_ref as refs');
    expect(sameChild).toEqual({ refs: 1 });
    expect(events.map((e) => e.action)).toEqual([
      'remediation_action.verify',
      'remediation.close',
      'remediation.reaudit',
    ]);
    expect(events.at(-1)).toMatchObject({
      recordType: 'remediation',
      recordId: String(recordId),
      summary: { after: { auditId: reaudits[0]!.id, dueOn: due, auditorUserId: users.auditor.id } },
    });
  });
});

describe('who is allocated the re-audit', () => {
  it('another active auditor free of conflicts when the original auditor has gone, never a conflicted one', async () => {
    // Priya Shah is busier than Harry Chen, but Harry is on the staff of the case's team.
    await roundForAuditor(ctx.services, { name: 'Priya’s', auditor: DEMO.moderator, perTeam: 1 });
    await ctx.services.users.deactivate(users.auditor.id, as(users.admin));
    try {
      // A moderator free of conflicts verifies the action waiting for verification.
      const { recordId } = await closeRecordOf(audit.fallback, users.moderator);
      expect(await reauditsOf(recordId)).toEqual([
        expect.objectContaining({ status: 'allocated', auditor_user_id: users.moderator.id }),
      ]);
    } finally {
      await ctx.services.users.reactivate(users.auditor.id, as(users.admin));
    }
  });

  it('nobody when no active auditor is free of conflicts: the record says so, and an admin allocates it', async () => {
    await ctx.services.users.deactivate(users.auditor.id, as(users.admin));
    await ctx.services.users.update(users.moderator.id, { roles: ['moderator'] }, as(users.admin));
    let recordId: number;
    try {
      ({ recordId } = await closeRecordOf(audit.nobody, users.moderator));
    } finally {
      await ctx.services.users.update(
        users.moderator.id,
        { roles: ['moderator', 'auditor'] },
        as(users.admin),
      );
      await ctx.services.users.reactivate(users.auditor.id, as(users.admin));
    }
    const [reaudit] = await reauditsOf(recordId);
    expect(reaudit).toMatchObject({ status: 'unallocated', auditor_user_id: null });
    const harry = decode(
      (await (await agent('teamManager')).get(`/remediations/${recordId}`).expect(200)).text,
    );
    expect(harry).toContain('not allocated to an auditor');
    expect(harry).toContain(
      'No active auditor was free of a conflict of interest with the case when the record closed. An administrator can allocate it.',
    );
    expect(harry).not.toContain('/allocate');
    expect(harry).toContain(
      'not allocated: no active auditor was free of a conflict of interest with the case',
    );

    const sam = await agent('admin');
    const home = await sam.get('/').expect(200);
    expect(home.text).toContain(
      `<a class="govuk-link" href="/reaudits/${reaudit!.id}/allocate">Re-audit due `,
    );
    const page = await sam.get(`/remediations/${recordId}`).expect(200);
    expect(page.text).toContain(`href="/reaudits/${reaudit!.id}/allocate"`);
    const form = await sam.get(`/reaudits/${reaudit!.id}/allocate`).expect(200);
    expect(decode(form.text)).toMatch(/Harry Chen<\/label>\s*<div[^>]*>Cannot audit this case: /);
    expect(form.text).toContain(`action="/reaudits/${reaudit!.id}/allocate"`);
    expect(form.text).toContain(`href="/remediations/${recordId}"`);
    const send = (auditorUserId: number) =>
      sam
        .post(`/reaudits/${reaudit!.id}/allocate`)
        .type('form')
        .send({
          _csrf: csrfTokenIn(form.text),
          auditorUserId: String(auditorUserId),
          reason: 'Back from leave.',
        });
    const refused = await send(users.teamManager.id).expect(422);
    expect(refused.text).toContain('govuk-error-summary');
    const saved = await send(users.auditor.id).expect(303);
    expect(saved.headers.location).toBe(`/remediations/${recordId}`);
    // The round pages do not reach a re-audit.
    await sam.get(`/rounds/1/audits/${reaudit!.id}/reallocate`).expect(404);
    expect((await sam.get('/').expect(200)).text).not.toContain('Re-audits to allocate');
    const after = decode((await sam.get(`/remediations/${recordId}`).expect(200)).text);
    expect(after).toContain(`allocated to ${users.auditor.displayName}`);
    expect(after).toMatch(/Sam Patel reallocated the re-audit of case \w+/);
  });
});

describe('the auditor grades the re-audit through the normal pages, without JavaScript', () => {
  let recordId: number;
  let reauditId: number;

  beforeAll(async () => {
    recordId = (await recordOf(audit.pages)).id;
    reauditId = (await reauditsOf(recordId))[0]!.id;
  });

  it('lists it in My audits as a re-audit, with its due date, on the page and in the API', async () => {
    const aisha = await agent('auditor');
    const page = await aisha.get('/my-audits').expect(200);
    const row = page.text.split('<tr').find((r) => r.includes(`href="/audits/${reauditId}"`)) ?? '';
    expect(row).toContain('>Re-audit</strong>');
    expect(row).toContain(longDate('2027-02-17'));
    const mine = await (await api('auditor'))('/api/my-audits').expect(200);
    expect(mine.body.toDo).toContainEqual(
      expect.objectContaining({ id: reauditId, remediationRecordId: recordId, dueDate: '2027-02-17' }),
    );
    const { body } = await (await api('auditor'))(`/api/audits/${reauditId}`).expect(200);
    expect(body).toMatchObject({ round: null, calibration: null, reaudit: { remediationId: recordId } });
  });

  it('drafts and submits it section by section, then shows the grades before and after on the record', async () => {
    const aisha = await agent('auditor');
    const task = await aisha.get(`/audits/${reauditId}`).expect(200);
    expect(task.text).toContain('· Re-audit</span>');
    const version = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
    const post = async (url: string, form: Record<string, string | string[]>, from = url) => {
      const shown = await aisha.get(from).expect(200);
      return aisha
        .post(url)
        .type('form')
        .send({ _csrf: csrfTokenIn(shown.text), version: version(shown.text), ...form });
    };
    for (const section of framework.sections)
      expect(
        (await post(`/audits/${reauditId}/sections/${section.id}`, sectionFormOf(framework, section.id, 1)))
          .status,
      ).toBe(302);
    expect(
      (await post(`/audits/${reauditId}/overall`, { grade: 'good', rationale: 'Much improved.' })).status,
    ).toBe(302);
    expect(await ctx.db.knex('audit').where({ id: reauditId }).first('status')).toEqual({
      status: 'in_progress',
    });
    const submitted = await post(`/audits/${reauditId}/submit`, {}, `/audits/${reauditId}/check`);
    expect(submitted.status).toBe(302);
    // Good throughout: no new record.
    expect(await ctx.db.knex('remediation_record').where({ audit_id: reauditId })).toEqual([]);

    const page = decode(
      (await (await agent('teamManager')).get(`/remediations/${recordId}`).expect(200)).text,
    );
    expect(page).toContain(`Due ${longDate('2027-02-17')}, allocated to ${users.auditor.displayName}.`);
    const table = page.slice(page.indexOf('Before and after'));
    // The overall grade before is the one agreed at moderation, not the auditor's Inadequate.
    expect(table).toMatch(
      /Overall<\/th><td class="govuk-table__cell">Requires improvement to be good<\/td><td class="govuk-table__cell">Good<\/td><td class="govuk-table__cell">Better/,
    );
    for (const section of framework.sections.filter((s) => s.graded))
      expect(table).toContain(`>${section.title}</th>`);
    expect(page).toMatch(/Aisha Khan submitted the re-audit of case \w+/);
  });

  it('gives the re-audit, its grades before and after, and its timeline in the API', async () => {
    const { body } = await (await api('teamManager'))(`/api/remediations/${recordId}`).expect(200);
    expect(body.reaudit).toEqual({
      auditId: reauditId,
      dueOn: '2027-02-17',
      auditorName: users.auditor.displayName,
      status: 'submitted',
      before: expect.arrayContaining([{ sectionId: 'overall', grade: 'requires-improvement' }]),
      after: expect.arrayContaining([{ sectionId: 'overall', grade: 'good' }]),
    });
    expect(body.reaudit.before[0]).toEqual({ sectionId: 'overall', grade: 'requires-improvement' });
    expect(body.reaudit.after).toHaveLength(body.reaudit.before.length);
    const actions = body.timeline.map((e: { action: string }) => e.action);
    expect(actions.slice(-4)).toEqual([
      'remediation_action.verify',
      'remediation.close',
      'remediation.reaudit',
      'audit.submit',
    ]);
    expect(body.timeline.at(-2).text).toMatch(
      /scheduled a re-audit for the remediation record for case \w+, due 17 February 2027$/,
    );
    const list = await (await api('teamManager'))('/api/remediations?status=closed').expect(200);
    expect(list.body.remediations[0]).not.toHaveProperty('reaudit');
  });

  it('is still not found by another team’s manager, on the page and in the API', async () => {
    await (await agent('teamManagerOnly')).get(`/remediations/${recordId}`).expect(404);
    await (await api('teamManagerOnly'))(`/api/remediations/${recordId}`).expect(404);
  });
});

describe('a re-audit whose grades meet a trigger', () => {
  it('opens a new record, and goes to blind moderation, its grades hidden from moderators meanwhile', async () => {
    const recordId = (await recordOf(audit.nobody)).id;
    const [reaudit] = await reauditsOf(recordId);
    await ctx.services.audits.submit(
      reaudit!.id,
      { version: 0, response: completeResponse(framework, () => INADEQUATE) },
      users.auditor,
      as(users.auditor),
    );
    expect(await recordOf(reaudit!.id)).toMatchObject({ status: 'open' });
    const queue = await ctx.services.moderation.queue(users.moderator);
    expect(queue).toContainEqual(expect.objectContaining({ auditId: reaudit!.id, roundName: 'Re-audit' }));
    // Priya Shah verified this record's action, so she may read it, but not the re-audit's grades yet.
    const priya = await (await api('moderator'))(`/api/remediations/${recordId}`).expect(200);
    expect(priya.body.reaudit).toMatchObject({ status: 'submitted', after: null });
    const page = decode((await (await agent('moderator')).get(`/remediations/${recordId}`).expect(200)).text);
    expect(page).toContain('not shown to moderators while it waits for blind moderation');
    const harry = await (await api('teamManager'))(`/api/remediations/${recordId}`).expect(200);
    expect(harry.body.reaudit.after).toContainEqual({ sectionId: 'overall', grade: 'inadequate' });
  });
});
