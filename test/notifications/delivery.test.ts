import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import { calendarOf } from '../../src/working-days/calendar';
import { jobsOf } from '../../src/workers';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { waitFor } from '../support/server-process';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';

/**
 * Notifications end to end: written in the transaction of what they tell of, sent after it commits by the
 * job queue's worker to a real SMTP server, retried when refused, and gathered in a daily digest for those
 * who chose one. Family Safeguarding South 1 is in Fiona Gallagher's service area (Safeguarding).
 */

const PUBLIC_URL = 'https://case-audit.demoshire.gov.uk';
let smtp: TestSmtpServer;
let ctx: TestContext;
let framework: Framework;
let auditIds: number[];
const user = async (key: keyof typeof DEMO) => (await ctx.services.users.findByEmail(DEMO[key])) as User;
const notifications = () => ctx.db.knex('notification').orderBy('id');
const mailTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestContext({
    frameworks: true,
    env: {
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Case Audit <case-audit@demoshire.gov.uk>',
      PUBLIC_URL,
      JOB_POLL_SECONDS: '1',
      JOB_RETRY_DELAY_SECONDS: '1',
    },
  });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  const round = await roundForAuditor(ctx.services, {
    perTeam: 3,
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  });
  auditIds = (
    await ctx.db
      .knex('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .whereIn('a.id', round.auditIds)
      .where('t.code', 'family-safeguarding-south-1')
      .orderBy('a.id')
      .select('a.id')
  ).map((r: { id: number }) => r.id);
  await ctx.infrastructure.jobs.start(jobsOf(ctx.infrastructure, ctx.services).workers, []);
}, 60_000);
afterAll(async () => {
  await ctx.infrastructure.jobs.stop(2000);
  ctx.infrastructure.mailer.close();
  await ctx.close();
  await smtp.close();
});

/** Submits the next audit graded inadequate throughout, and returns its remediation record's id. */
async function submitInadequate(): Promise<number> {
  const auditor = await user('auditor');
  const id = auditIds.shift() as number;
  await ctx.services.audits.submit(
    id,
    { version: 0, response: completeResponse(framework, () => 3) },
    auditor,
    { ...SYSTEM_ACTOR, userId: auditor.id },
  );
  return (await ctx.db.knex('remediation_record').where({ audit_id: id }).first('id')).id as number;
}

describe('notifications', () => {
  it('email the team manager once the audit that opens a record commits, with a link and no case content', async () => {
    const manager = await user('teamManagerOnly');
    const recordId = await submitInadequate();
    await waitFor(() => mailTo(manager.email).length > 0, 15_000);

    const [mail] = mailTo(manager.email);
    const row = await ctx.db
      .knex('notification')
      .where({ recipient_user_id: manager.id, record_id: recordId })
      .first();
    expect(mail?.subject).toBe('Remediation needed: a case audit in Family Safeguarding South 1');
    expect(mail?.messageId).toBe(row.message_id);
    expect(mail?.text).toContain(`${PUBLIC_URL}/remediations/${recordId}`);
    const caseRef = (
      await ctx.db
        .knex('remediation_record as r')
        .join('audit as a', 'a.id', 'r.audit_id')
        .join('case_record as c', 'c.id', 'a.case_id')
        .where('r.id', recordId)
        .first('c.case_ref')
    ).case_ref as string;
    expect(mail?.text).not.toContain(caseRef);
    await waitFor(
      async () => (await ctx.db.knex('notification').where({ id: row.id }).first()).sent_at !== null,
      5000,
    );
    const sent = await ctx.db.knex('notification').where({ id: row.id }).first();
    expect(sent).toMatchObject({ transport: 'smtp', attempts: 1, last_error: null });
    const logged = await ctx.db
      .knex('audit_event')
      .where({ action: 'notification.send', record_type: 'remediation', record_id: String(recordId) });
    expect(logged.length).toBeGreaterThan(0);
  });

  it('are neither written nor queued when the change that calls for them rolls back', async () => {
    const manager = await user('teamManagerOnly');
    const before = { rows: (await notifications()).length, jobs: await jobCount() };
    await expect(
      ctx.infrastructure.db.transaction(async (tx) => {
        await ctx.services.notifications.notify(tx, [notice(manager.id)]);
        throw new Error('the change fails after the notification was written');
      }),
    ).rejects.toThrow('the change fails');
    expect({ rows: (await notifications()).length, jobs: await jobCount() }).toEqual(before);
  });

  it('are retried with the same Message-ID when the mail server refuses them for a while', async () => {
    const manager = await user('teamManagerOnly');
    let refusals = 0;
    smtp.onMessage = (mail) => {
      if (mail.subject === 'A test notice' && refusals < 1) {
        refusals += 1;
        throw new Error('Mailbox busy, try again later');
      }
    };
    await ctx.infrastructure.db.transaction((tx) =>
      ctx.services.notifications.notify(tx, [notice(manager.id)]),
    );
    await waitFor(() => smtp.received.some((m) => m.subject === 'A test notice'), 20_000);
    smtp.onMessage = () => {};
    const row = await ctx.db.knex('notification').where({ subject: 'A test notice' }).first();
    await waitFor(
      async () => (await ctx.db.knex('notification').where({ id: row.id }).first()).sent_at !== null,
      5000,
    );
    const sent = await ctx.db.knex('notification').where({ id: row.id }).first();
    expect(refusals).toBe(1);
    expect(sent).toMatchObject({ attempts: 2, last_error: null });
    expect(smtp.received.filter((m) => m.subject === 'A test notice').map((m) => m.messageId)).toEqual([
      row.message_id,
    ]);
  });

  it('tell the head of service when the sweep escalates an overdue record, once however often it runs', async () => {
    const head = await user('headOfService');
    const late = calendarOf([]).addWorkingDays(londonDate(), 6);
    const first = await ctx.services.remediation.sweep(SYSTEM_ACTOR, late);
    const again = await ctx.services.remediation.sweep(SYSTEM_ACTOR, late);
    expect(first.toHeadsOfService).toBeGreaterThan(0);
    expect(again.toHeadsOfService).toBe(0);
    const escalated = await ctx.db
      .knex('notification')
      .where({ kind: 'remediation.escalated', recipient_user_id: head.id });
    expect(escalated).toHaveLength(first.toHeadsOfService);
    await waitFor(
      () =>
        mailTo(head.email).filter((m) => m.subject.startsWith('Overdue remediation')).length ===
        escalated.length,
      15_000,
    );
  });

  it('wait for the daily digest of those who chose one, and go out in one email', async () => {
    const manager = await user('teamManagerOnly');
    await ctx.services.notifications.setDailyDigest(manager, true, { ...SYSTEM_ACTOR, userId: manager.id });
    const sentBefore = mailTo(manager.email).length;
    const recordId = await submitInadequate();
    const waiting = await ctx.db
      .knex('notification')
      .where({ recipient_user_id: manager.id, record_id: recordId });
    expect(waiting.map((n: { immediate: boolean }) => n.immediate)).toEqual([false]);

    expect(await ctx.services.notifications.writeDigests()).toBe(1);
    expect(await ctx.services.notifications.writeDigests()).toBe(0);
    await waitFor(() => mailTo(manager.email).length === sentBefore + 1, 15_000);
    const digest = mailTo(manager.email).at(-1);
    expect(digest?.subject).toBe('Case Audit: 1 notification since your last digest');
    expect(digest?.text).toContain(`${PUBLIC_URL}/remediations/${recordId}`);
    expect(digest?.text).toContain('Choose an email for each notification instead');
    await waitFor(
      async () => (await ctx.db.knex('notification').where({ id: waiting[0].id }).first()).sent_at !== null,
      5000,
    );
    await ctx.services.notifications.setDailyDigest(manager, false, { ...SYSTEM_ACTOR, userId: manager.id });
  });
});

function notice(userId: number) {
  return {
    kind: 'remediation.verify' as const,
    recipientUserIds: [userId],
    message: { subject: 'A test notice', body: 'Something to check.' },
    path: '/actions',
    record: { type: 'remediation', id: 1 },
  };
}

async function jobCount(): Promise<number> {
  const { rows } = await ctx.db.knex.raw(`select count(*)::int as n from pgboss.job`);
  return rows[0].n as number;
}
