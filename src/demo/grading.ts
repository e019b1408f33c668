import type { Actor } from '../activity-log/actor';
import { agreeingWithCaseList } from '../audits/prefill';
import type { AuditResponse } from '../audits/response';
import { gradedItems } from '../moderation/service';
import { gradeRank, scaleById } from '../frameworks/overall-grade';
import { rankedLevels } from '../frameworks/scales';
import { createRng, type Rng } from '../sampling/rng';
import type { Services } from '../services';
import type { User } from '../users/user';
import { demoConcernFor, raiseDemoConcern } from './concerns';
import { completeResponse } from './responses';
import { londonDate } from '../dates';

type DemoServices = Pick<
  Services,
  'rounds' | 'audits' | 'moderation' | 'calibration' | 'frameworks' | 'users' | 'escalations'
>;

export interface GradingResult {
  submitted: number;
  drafts: number;
  moderated: number;
  calibration: boolean;
  /** Teams of the cases whose audits raised a safeguarding concern. */
  concerns: string[];
}

/** Overall quality of a made-up audit: mostly good or requiring improvement, as in most councils. */
function quality(rng: Rng): number {
  const draw = rng.below(100);
  return draw < 10 ? 0 : draw < 55 ? 1 : draw < 88 ? 2 : 3;
}

/** A section grade near the audit's quality: the same, or one step either side now and then. */
function near(rng: Rng, rank: number, levels: number): number {
  const step = rng.below(10);
  const moved = step === 0 ? rank - 1 : step === 1 ? rank + 1 : rank;
  return Math.min(levels - 1, Math.max(0, moved));
}

const actorFor = (user: User, actor: Actor): Actor => ({ ...actor, userId: user.id });

/**
 * The demo's grading: in the month's monthly audit, most audits are submitted (a few graded inadequate),
 * some are drafts, two raised a safeguarding concern (src/demo/concerns.ts); the audits the moderation policy selected are
 * moderated blind (grades mostly upheld, some changed with reasons); and a calibration exercise has two of
 * its three auditors' grades in. Deterministic; runs once, on the rounds it is given.
 */
export async function seedDemoGrading(
  services: DemoServices,
  roundName: string,
  actor: Actor,
): Promise<GradingResult> {
  const result: GradingResult = { submitted: 0, drafts: 0, moderated: 0, calibration: false, concerns: [] };
  const round = (await services.rounds.list()).find((r) => r.name === roundName);
  if (!round) return result;
  const { audits } = await services.rounds.get(round.id, actor);
  const users = new Map((await services.users.list()).map((u) => [u.id, u]));
  const rng = createRng(20261103, 'demo-grading');
  const { framework } = await services.frameworks.get(round.frameworkId, round.frameworkVersion);

  for (const [index, audit] of audits.entries()) {
    const auditor = audit.auditorUserId === null ? undefined : users.get(audit.auditorUserId);
    if (!auditor) continue;
    const q = quality(rng);
    const as = actorFor(auditor, actor);
    // The auditor opens the audit, and answers the case profile as the case list has it.
    const { profile } = (await services.audits.get(audit.id, auditor, as)).audit;
    const response = agreeingWithCaseList(
      framework,
      completeResponse(framework, (_id, levels) => near(rng, q, levels)),
      profile,
    );
    const concern = demoConcernFor(audit.teamName);
    if (concern && !result.concerns.includes(concern.team)) {
      await raiseDemoConcern(services, concern, audit.id, auditor, actor);
      result.concerns.push(concern.team);
    }
    if (index % 10 < 7) {
      await services.audits.submit(audit.id, { version: 0, response }, auditor, as);
      result.submitted += 1;
    } else if (index % 10 < 9) {
      const firstSections = Object.fromEntries(
        Object.entries(response.sections ?? {}).slice(0, 3 + (index % 4)),
      );
      const draft: AuditResponse = { sections: firstSections };
      await services.audits.saveDraft(audit.id, { version: 0, response: draft }, auditor, as);
      result.drafts += 1;
    }
  }

  result.moderated = await moderateDemo(services, actor, rng);
  const auditors = await services.users.listWithRole('auditor');
  const unconflicted = audits.find(
    (a) => !auditors.some((u) => u.homeTeamId === a.teamId || u.managedTeamIds.includes(a.teamId)),
  );
  result.calibration = await calibrateDemo(services, unconflicted?.caseRef, round, actor, users);
  return result;
}

/** Which queued audits the demo's moderators take. */
type Take = (auditId: number) => boolean;

/**
 * Moderates the queued audits `take` picks (by default two in three), blind: mostly upheld, now and then
 * a grade changed.
 */
export async function moderateDemo(
  services: Pick<Services, 'audits' | 'moderation' | 'users'>,
  actor: Actor,
  rng: Rng,
  take: Take = () => rng.below(3) !== 0,
): Promise<number> {
  const moderators = await services.users.listWithRole('moderator');
  // The demo's moderators grade close to the auditor, so the figures look like a real service's: the
  // auditor's grades are read as an admin would.
  const admin = (await services.users.listWithRole('admin'))[0] as User;
  let moderated = 0;
  for (const moderator of moderators) {
    const queue = await services.moderation.queue(moderator);
    for (const item of queue) {
      if (item.moderatorUserId !== null || !take(item.auditId)) continue;
      const as = actorFor(moderator, actor);
      const detail = await services.moderation.get(item.auditId, moderator, as);
      const { framework } = detail.framework;
      const submitted = await services.audits.get(item.auditId, admin, actor);
      const own: Record<string, string> = {};
      for (const g of gradedItems(framework)) {
        const levels = rankedLevels(scaleById(framework, g.scaleId));
        const given =
          g.id === 'overall' ? submitted.response.overall?.grade : submitted.response.sections?.[g.id]?.grade;
        const rank = gradeRank(framework, g.scaleId, given) ?? 0;
        own[g.id] = levels[near(rng, rank, levels.length)]?.code as string;
      }
      // The moderator's own notes go with their blind grades (shown at the outcome step and to admins).
      const blind = Object.fromEntries(
        Object.entries(own).map(([id, grade]) => [
          id,
          id === 'overall'
            ? { grade, notes: 'Read the latest plan, review and three visits before grading.' }
            : { grade },
        ]),
      );
      await services.moderation.record(item.auditId, { grades: blind }, moderator, as);
      const agreed = Object.fromEntries(
        Object.entries(own).map(([id, grade]) => [
          id,
          { grade, reason: 'Discussed with the auditor: the evidence on file supports this grade.' },
        ]),
      );
      await services.moderation.record(
        item.auditId,
        { agreed, summary: 'Thorough audit; see the sections changed.' },
        moderator,
        as,
      );
      moderated += 1;
    }
  }
  return moderated;
}

/** A calibration exercise on a case of the round: three auditors, two of whom have submitted. */
async function calibrateDemo(
  services: DemoServices,
  caseRef: string | undefined,
  round: { frameworkId: string; frameworkVersion: string; name: string },
  actor: Actor,
  users: Map<number, User>,
): Promise<boolean> {
  const auditors = await services.users.listWithRole('auditor');
  if (!caseRef || auditors.length < 2) return false;
  let id: number;
  try {
    id = await services.calibration.create(
      {
        name: `Calibration: ${round.name}`,
        caseRef,
        frameworkId: round.frameworkId,
        frameworkVersion: round.frameworkVersion,
        dueDate: londonDate(14),
        auditorUserIds: auditors.map((a) => a.id),
      },
      actor,
    );
  } catch {
    return false;
  }
  const { audits } = await services.calibration.comparison(
    id,
    { id: actor.userId ?? 0, roles: ['admin'], restrictedCaseRefs: [] },
    actor,
  );
  const { framework } = await services.frameworks.get(round.frameworkId, round.frameworkVersion);
  for (const [i, audit] of audits.entries()) {
    const auditor = users.get(audit.auditorUserId);
    if (!auditor || i >= 2) continue;
    const response = completeResponse(framework, (sectionId) =>
      i === 1 && sectionId.startsWith('r') ? 2 : 1,
    );
    await services.audits.submit(audit.auditId, { version: 0, response }, auditor, actorFor(auditor, actor));
  }
  return true;
}
