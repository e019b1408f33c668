import type { Actor } from '../activity-log/actor';
import { agreeingWithCaseList } from '../audits/prefill';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { reauditRepository } from '../remediation/reaudit-repository';
import { addMonths, monthName, monthsBetween } from '../reporting/months';
import { createRng, type Rng } from '../sampling/rng';
import type { Services } from '../services';
import type { User } from '../users/user';
import { DEMO_CASE_LIST } from './cases';
import { moderateDemo } from './grading';
import { historyRepository, type AuditShift } from './history-repository';
import { historyManagers } from './history-managers';
import { completeResponse } from './responses';
import { respondAndAct, type ActionPlan } from './remediation';
import { datesOfMonth, shiftsOf } from './history-dates';

type HistoryServices = Pick<
  Services,
  | 'rounds'
  | 'roundClosing'
  | 'audits'
  | 'moderation'
  | 'frameworks'
  | 'users'
  | 'cases'
  | 'remediation'
  | 'packs'
  | 'activityLog'
>;

export interface HistoryResult {
  months: number;
  submitted: number;
  moderated: number;
  recordsClosed: number;
  reaudits: number;
  managerAccounts: number;
  pack: boolean;
}

/** The months of history: the twelve before this one. */
export const HISTORY_MONTHS = 12;
const FRAMEWORK_ID = 'childrens-social-care-case-audit';
/** Records of the last two months are still being worked on: response given, actions in progress. */
const OPEN_MONTHS = 2;

/**
 * How good each of a month's audits is (0 = outstanding, 3 = inadequate), in a shuffled order: the service
 * got better during the year, from three in ten good or better in the first five months to about two in
 * three since, with the month-to-month noise of real samples but no month far off its share.
 */
function historyQualities(rng: Rng, monthIndex: number, n: number): number[] {
  const shares = monthIndex < 5 ? [0.05, 0.25, 0.5, 0.2] : [0.1, 0.55, 0.3, 0.05];
  const qualities = shares.flatMap((share, q) => Array<number>(Math.round(share * n)).fill(q));
  while (qualities.length < n) qualities.push(2);
  qualities.length = n;
  for (let i = n - 1; i > 0; i -= 1) {
    const j = rng.below(i + 1);
    [qualities[i], qualities[j]] = [qualities[j] as number, qualities[i] as number];
  }
  return qualities;
}

/** A section's grade near the audit's: the same, now and then one better (the overall is the worst). */
const sectionRank = (rng: Rng, quality: number) => (rng.below(5) === 0 ? Math.max(0, quality - 1) : quality);

/** The demo's history has been made when any of its months' rounds exists. */
const roundName = (month: string) => `${monthName(month)} monthly audit`;

const as = (user: User, actor: Actor): Actor => ({ ...actor, userId: user.id });

/**
 * Twelve months of history before this month, so trends, SPC charts and the board pack mean something on
 * first start: each month a monthly audit of one case per team, graded (better in the later months),
 * moderated where the policy chose, its remediation records answered by the teams' managers and, but for
 * the last two months', closed with a verified action and re-audited. Made through the services as users
 * would, then moved back to the days it happened on (src/demo/history-repository.ts), and last month's
 * board pack made as the schedule would. Deterministic; runs once (nothing is made when any history round
 * is there).
 */
export async function seedDemoHistory(
  services: HistoryServices,
  db: Database,
  actor: Actor,
): Promise<HistoryResult | undefined> {
  const today = londonDate();
  const thisMonth = today.slice(0, 7);
  const months = monthsBetween(addMonths(thisMonth, -HISTORY_MONTHS), addMonths(thisMonth, -1));
  const names = new Set(months.map(roundName));
  if ((await services.rounds.list()).some((r) => names.has(r.name))) return undefined;
  const importId = (await services.cases.listImported()).find((i) => i.sourceName === DEMO_CASE_LIST)?.id;
  const latest = (await services.frameworks.list()).find((f) => f.id === FRAMEWORK_ID)?.latest;
  if (importId === undefined || !latest) return undefined;

  const lastNotification = await historyRepository.lastNotificationId(db.executor);
  const { framework } = await services.frameworks.get(FRAMEWORK_ID, latest.version);
  const { managers, created } = await historyManagers(services, db);
  const admin = (await services.users.listWithRole('admin'))[0] as User;
  const users = new Map((await services.users.list()).map((u) => [u.id, u]));
  const owners = await services.remediation.ownerChoices();
  const result: HistoryResult = {
    months: months.length,
    submitted: 0,
    moderated: 0,
    recordsClosed: 0,
    reaudits: 0,
    managerAccounts: created,
    pack: false,
  };

  for (const [index, month] of months.entries()) {
    const rng = createRng(20251201 + index, `demo-history-${month}`);
    const { id: roundId } = await services.rounds.create(
      {
        name: roundName(month),
        frameworkId: FRAMEWORK_ID,
        frameworkVersion: latest.version,
        importId,
        dueDate: londonDate(28),
        seed: 20251201 + index,
        filters: {},
        size: { kind: 'per-team', perTeam: 1 },
        stratifyBy: 'team',
        exclusions: { auditedWithinMonths: 12, inOtherOpenRound: true, closed: true, restricted: true },
      },
      actor,
    );
    const audits = (await services.rounds.get(roundId, actor)).audits.filter(
      (a) => a.auditorUserId !== null && users.has(a.auditorUserId),
    );
    const qualities = historyQualities(rng, index, audits.length);
    const submitted: number[] = [];
    for (const [i, audit] of audits.entries()) {
      const auditor = users.get(audit.auditorUserId as number) as User;
      const quality = qualities[i] as number;
      const { profile } = (await services.audits.get(audit.id, auditor, as(auditor, actor))).audit;
      const response = agreeingWithCaseList(
        framework,
        completeResponse(
          framework,
          () => sectionRank(rng, quality),
          () => (rng.below(20) < 1 + quality * 3 ? 'no' : 'yes'),
        ),
        profile,
      );
      await services.audits.submit(audit.id, { version: 0, response }, auditor, as(auditor, actor));
      submitted.push(audit.id);
    }
    result.submitted += submitted.length;
    const inRound = new Set(submitted);
    result.moderated += await moderateDemo(services, actor, rng, (auditId) => inRound.has(auditId));

    const shifts = shiftsOf(submitted, month, index, today);
    const open = index >= months.length - OPEN_MONTHS;
    const records = (await services.remediation.list(admin, { status: 'open' })).filter((r) =>
      inRound.has(r.auditId),
    );
    const closed = new Set<number>();
    for (const record of records) {
      const shift = shifts.get(record.auditId) as AuditShift;
      const manager = managers.get(record.teamId);
      if (!manager) continue;
      const plan: ActionPlan = open ? ['in_progress'] : ['verified'];
      if (!(await respondAndAct(services, record, manager, plan, owners, actor)).closed) continue;
      closed.add(record.auditId);
      result.recordsClosed += 1;
      if (shift.reauditedDays === null) continue;
      const reaudit = await reauditRepository.ofRecord(db.executor, record.id);
      const reauditor = reaudit?.auditorUserId == null ? undefined : users.get(reaudit.auditorUserId);
      if (!reaudit || !reauditor) {
        shift.reauditedDays = null;
        continue;
      }
      const { profile } = (await services.audits.get(reaudit.auditId, reauditor, as(reauditor, actor))).audit;
      const better = agreeingWithCaseList(
        framework,
        completeResponse(framework, () => 1),
        profile,
      );
      await services.audits.submit(
        reaudit.auditId,
        { version: 0, response: better },
        reauditor,
        as(reauditor, actor),
      );
      result.reaudits += 1;
    }
    await services.roundClosing.close(
      roundId,
      { unsubmitted: 'cancel', reason: 'The month’s audits are all in.' },
      actor,
    );
    await db.transaction((tx) =>
      historyRepository.withSubmittedTimesMovable(tx, async () => {
        for (const shift of shifts.values()) {
          await historyRepository.shiftAudit(tx, shift);
          if (closed.has(shift.auditId)) await historyRepository.shiftClosedRecord(tx, shift);
        }
        await historyRepository.dateRound(tx, roundId, datesOfMonth(month, today));
      }),
    );
  }

  result.pack = (await services.packs.makeScheduled(actor, today)) !== undefined;
  await db.transaction(async (tx) => {
    await historyRepository.markSentAfter(tx, lastNotification, ['report.pack']);
    await services.activityLog.record(tx, actor, {
      action: 'demo.history',
      recordType: 'organisation',
      summary: { after: { ...result } },
    });
  });
  return result;
}
