import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { CasesService } from '../cases/service';
import type { Database, Executor } from '../db/transaction';
import { noSuchAudit } from '../audits/access';
import { NotFoundError, ValidationError, type FieldError } from '../errors';
import { CASE_TYPE_LABELS } from '../cases/labels';
import type { FrameworksService } from '../frameworks/service';
import { organisationReadModel } from '../organisation/read-model';
import { CONFLICT_WORDS, conflictOf, standingOf } from '../conflicts/rule';
import { allocate, availabilityOf } from '../sampling/allocate';
import { newSeed } from '../sampling/rng';
import { drawFromGroups, effectiveStrata } from '../sampling/sample';
import type { MarginOfErrorSize } from '../sampling/size';
import type { UsersService } from '../users/service';
import type { User } from '../users/user';
import { validate } from '../validation';
import { summarisePopulation, type LeftOutCounts } from './population';
import { roundRepository, type AuditRow, type CaseFacts } from './repository';
import { teamsWithoutAudits, type TeamWithoutAudit } from './team-coverage';
import { validateRoundInput, type AuditorCapacity, type RoundInput } from './types';
import { DEFAULT_MODERATION, validateModerationPolicy } from '../moderation/policy';
import { londonDate } from '../dates';

export interface RoundPreview {
  seed: number;
  /** Cases that pass the filters: left out (each under one reason) plus eligible. */
  population: number;
  excluded: LeftOutCounts;
  eligible: number;
  strata: { key: string; label: string; eligible: number; size: number }[];
  total: number;
  marginOfError?: MarginOfErrorSize;
  auditors: { userId: number; name: string; capacity: number; allocated: number }[];
  unallocated: { caseId: number; caseRef: string; reason: string }[];
  /** Every team the plan reaches that gets no audit, and why. */
  teamsWithoutAudits: TeamWithoutAudit[];
  /** The sampled cases, in the order drawn, with the auditor each would go to. */
  sample: { caseId: number; caseRef: string; stratum: string; auditorUserId: number | null }[];
}

/** Auditors without a stated capacity share evenly what those with one leave of the sample. */
function capacities(auditors: readonly AuditorCapacity[], sampleSize: number) {
  const stated = auditors.reduce((sum, a) => sum + (a.capacity ?? 0), 0);
  const open = auditors.filter((a) => a.capacity === undefined || a.capacity === null).length;
  const share = open === 0 ? 0 : Math.ceil(Math.max(0, sampleSize - stated) / open);
  return auditors.map((a) => ({ userId: a.userId, capacity: a.capacity ?? share }));
}

/** Why the auditor may not audit the audit's case (in words), or undefined when nothing stops them. */
function conflictWith(auditor: User, audit: AuditRow): string | undefined {
  const conflict = conflictOf(standingOf(auditor), {
    caseId: audit.caseId,
    caseRef: audit.caseRef,
    restricted: audit.restricted,
    teamId: audit.teamId,
    workerPersonId: audit.workerPersonId,
    managerPersonId: audit.managerPersonId,
  });
  return conflict && CONFLICT_WORDS[conflict];
}

/** Whether the audit belongs to the round, or (null) is a re-audit. */
const isHomeOf = (roundId: number | null, audit: AuditRow) =>
  roundId === null ? audit.remediationRecordId !== null : audit.roundId === roundId;

export type RoundsService = ReturnType<typeof createRoundsService>;

export function createRoundsService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
  cases: CasesService,
  users: UsersService,
) {
  /** Checks the plan against what exists, naming each field that does not fit. */
  async function resolve(raw: unknown) {
    const input = validate(validateRoundInput, raw, 'audit round');
    const problems: FieldError[] = [];
    const version = await frameworks.get(input.frameworkId, input.frameworkVersion).catch(() => undefined);
    if (!version)
      problems.push({
        field: 'frameworkVersion',
        message: `there is no framework ${input.frameworkId} version ${input.frameworkVersion}`,
      });
    const population = await cases.getImport(input.importId).catch(() => undefined);
    if (!population || population.status !== 'imported')
      problems.push({ field: 'importId', message: 'must be a case import that was imported' });
    if (input.dueDate < londonDate()) problems.push({ field: 'dueDate', message: 'must be today or later' });
    if (
      input.filters.ageMin != null &&
      input.filters.ageMax != null &&
      input.filters.ageMin > input.filters.ageMax
    ) {
      problems.push({ field: 'filters.ageMax', message: 'must not be less than the lowest age' });
    }
    const auditors = new Map((await users.listWithRole('auditor')).map((u) => [u.id, u]));
    (input.auditors ?? []).forEach((a, i) => {
      if (!auditors.has(a.userId))
        problems.push({
          field: `auditors.${i}.userId`,
          message: 'must be an active user with the auditor role',
        });
    });
    if (auditors.size === 0 && !input.auditors)
      problems.push({ field: 'auditors', message: 'no active user has the auditor role' });
    if (problems.length > 0)
      throw new ValidationError('The audit round cannot be planned as it stands.', problems);
    return { input, versionId: version?.versionId as number, auditors };
  }

  /** Population, exclusions, sample and allocation: everything a round is, computed the same way each time. */
  async function compute(ex: Executor, input: RoundInput, seed: number, auditors: Map<number, User>) {
    const population = summarisePopulation(
      await roundRepository.populationGroups(
        ex,
        input.importId,
        input.filters,
        input.exclusions.auditedWithinMonths,
        effectiveStrata(input.size, input.stratifyBy),
      ),
      input.exclusions,
    );
    const { plan, sample } = drawFromGroups(population.strata, input.size, seed);
    const facts = new Map(
      (
        await roundRepository.caseFacts(
          ex,
          sample.map((s) => s.member),
        )
      ).map((c) => [c.id, c]),
    );
    const factsOf = (id: number) => facts.get(id) as CaseFacts;
    const chosen = capacities(
      input.auditors ?? [...auditors.keys()].map((userId) => ({ userId })),
      sample.length,
    );
    const availability = chosen.map((a) => availabilityOf(auditors.get(a.userId) as User, a.capacity));
    const { allocations, unallocated } = allocate(
      sample.map(({ member }) => {
        const c = factsOf(member);
        return {
          caseId: c.id,
          caseRef: c.caseRef,
          restricted: c.restricted,
          teamId: c.teamId,
          workerPersonId: c.workerPersonId,
          managerPersonId: c.managerPersonId,
        };
      }),
      availability,
      seed,
    );
    const auditorOf = new Map(allocations.map((a) => [a.caseId, a.auditorUserId]));
    const loads = new Map<number, number>();
    for (const a of allocations) loads.set(a.auditorUserId, (loads.get(a.auditorUserId) ?? 0) + 1);
    const audits = sample.map(({ member, stratum }) => ({
      caseId: member,
      caseRef: factsOf(member).caseRef,
      stratum,
      auditorUserId: auditorOf.get(member) ?? null,
    }));
    const teamNames = new Map(
      (await organisationReadModel.allTeams(ex)).map((t) => [`team:${t.id}`, t.name]),
    );
    const label = (key: string) =>
      teamNames.get(key) ?? (key.startsWith('type:') ? (CASE_TYPE_LABELS[key.slice(5)] ?? key) : 'All cases');
    const sampledByTeam = new Map<number, number>();
    for (const { member } of sample) {
      const { teamId } = factsOf(member);
      sampledByTeam.set(teamId, (sampledByTeam.get(teamId) ?? 0) + 1);
    }
    const preview: RoundPreview = {
      seed,
      population: population.counts.population,
      excluded: population.counts.leftOut,
      eligible: population.counts.eligible,
      strata: plan.strata.map((s) => ({ ...s, label: label(s.key) })),
      total: plan.total,
      ...(plan.marginOfError ? { marginOfError: plan.marginOfError } : {}),
      auditors: chosen.map((a) => ({
        userId: a.userId,
        name: auditors.get(a.userId)?.displayName ?? String(a.userId),
        capacity: a.capacity,
        allocated: loads.get(a.userId) ?? 0,
      })),
      unallocated: unallocated.map((u) => ({ ...u, caseRef: factsOf(u.caseId).caseRef })),
      teamsWithoutAudits: teamsWithoutAudits(
        await roundRepository.teamCoverage(ex, input.importId, input.filters),
        population.teams,
        sampledByTeam,
        input,
      ),
      sample: audits,
    };
    return { preview, audits };
  }

  /** An audit, for its auditor or an admin; anyone else is refused. */
  async function getAudit(auditId: number, user: User, actor: Actor) {
    const [audit] = await roundRepository.audits(db.executor, { auditId });
    if (!audit || (audit.auditorUserId !== user.id && !user.roles.includes('admin')))
      throw noSuchAudit(auditId);
    await activityLog.recordView(actor, 'audit', auditId);
    return { audit, history: await roundRepository.allocationHistory(db.executor, auditId) };
  }

  return {
    /**
     * The dry run: what the plan would give, saving nothing. Given an actor, the view of the sampled cases'
     * references is recorded in the audit log (the pages show counts only, and pass none).
     */
    async preview(raw: unknown, actor?: Actor): Promise<RoundPreview> {
      const { input, auditors } = await resolve(raw);
      const { preview } = await compute(db.executor, input, input.seed ?? newSeed(), auditors);
      if (actor) await activityLog.recordView(actor, 'audit_round_preview', input.importId);
      return preview;
    },

    /** Creates the round, its audits and their allocations, all or nothing. */
    async create(raw: unknown, actor: Actor): Promise<{ id: number; preview: RoundPreview }> {
      const { input, versionId, auditors } = await resolve(raw);
      const seed = input.seed ?? newSeed();
      return db.transaction(async (tx) => {
        const { preview, audits } = await compute(tx, input, seed, auditors);
        if (audits.length === 0) {
          throw new ValidationError('The plan selects no cases: widen the filters or the size.', [
            { field: 'size', message: 'selects no cases' },
          ]);
        }
        const plan = {
          ...input,
          seed,
          auditors: preview.auditors.map(({ userId, capacity }) => ({ userId, capacity })),
        };
        const id = await roundRepository.insertRound(tx, {
          name: input.name,
          frameworkVersionId: versionId,
          importId: input.importId,
          plan,
          seed,
          dueDate: input.dueDate,
          summary: { ...preview, sample: undefined },
          moderation: input.moderation ?? DEFAULT_MODERATION,
          userId: actor.userId,
        });
        await roundRepository.insertAudits(tx, id, versionId, input.dueDate, audits);
        await activityLog.record(tx, actor, {
          action: 'audit_round.create',
          recordType: 'audit_round',
          recordId: id,
          summary: {
            after: {
              importId: input.importId,
              frameworkVersionId: versionId,
              seed,
              audits: audits.length,
              unallocated: preview.unallocated.length,
            },
          },
        });
        return { id, preview };
      });
    },

    list: () => roundRepository.listRounds(db.executor),

    async get(id: number, actor: Actor) {
      const round = await roundRepository.findRound(db.executor, id);
      if (!round) throw new NotFoundError(`There is no audit round ${id}.`);
      const audits = await roundRepository.audits(db.executor, { roundId: id });
      await activityLog.recordView(actor, 'audit_round', id);
      return { round, audits };
    },

    /**
     * The audits allocated to this auditor in open rounds and calibrations, re-audits (to do, or submitted
     * lately), and those cancelled lately with the reason (My audits arranges them); the view is logged
     * when there are any.
     */
    async allocatedTo(userId: number, actor: Actor) {
      const audits = await roundRepository.audits(db.executor, { auditorUserId: userId });
      if (audits.length > 0) await activityLog.recordView(actor, 'audit_list', userId);
      return audits;
    },

    /** The counts an auditor's home page shows (no case detail, so no view to log). */
    workload: (userId: number) => roundRepository.workload(db.executor, userId, londonDate()),

    openCounts: () => roundRepository.openCounts(db.executor),

    /**
     * Gives an audit to another auditor (or none), refusing conflicts of interest; the reason is kept. The
     * audit as it was is returned.
     */
    async reallocate(
      auditId: number,
      auditorUserId: number | null,
      reason: string,
      actor: Actor,
      /** Where the change was asked from: the audit's round, or null for a re-audit; anything else is a 404. */
      home?: number | null,
    ) {
      if (!reason.trim())
        throw new ValidationError('Give a reason for the reallocation.', [
          { field: 'reason', message: 'Give a reason for the reallocation' },
        ]);
      return db.transaction(async (tx) => {
        const [audit] = await roundRepository.audits(tx, { auditId });
        if (!audit || (home !== undefined && !isHomeOf(home, audit)))
          throw new NotFoundError(`There is no audit ${auditId}.`);
        if (audit.status === 'submitted' || audit.status === 'cancelled')
          throw new ValidationError(
            `This audit was ${audit.status}: only an audit still to do can be reallocated.`,
            [{ field: 'auditorUserId', message: `The audit was ${audit.status}: it cannot be reallocated` }],
          );
        if (auditorUserId !== null) {
          const auditor = (await users.listWithRole('auditor')).find((u) => u.id === auditorUserId);
          if (!auditor)
            throw new ValidationError('Choose an active auditor.', [
              { field: 'auditorUserId', message: 'must be an active user with the auditor role' },
            ]);
          const conflict = conflictWith(auditor, audit);
          if (conflict) {
            throw new ValidationError(`${auditor.displayName} cannot audit this case: ${conflict}.`, [
              {
                field: 'auditorUserId',
                message: `${auditor.displayName} cannot audit this case: ${conflict}`,
              },
            ]);
          }
        }
        await roundRepository.reallocate(tx, auditId, auditorUserId, actor.userId, reason.trim());
        await activityLog.record(tx, actor, {
          action: 'audit.reallocate',
          recordType: 'audit',
          recordId: auditId,
          summary: { before: { auditorUserId: audit.auditorUserId }, after: { auditorUserId } },
        });
        return audit;
      });
    },

    /** Changes which audits submitted from now on go to moderation. */
    async setModeration(roundId: number, raw: unknown, actor: Actor) {
      if (!validateModerationPolicy(raw))
        throw new ValidationError('The moderation policy is not valid.', [
          {
            field: 'samplePercent',
            message: 'Enter a whole number from 0 to 100, and say yes or no to each option',
          },
        ]);
      const policy = raw;
      await db.transaction(async (tx) => {
        if (!(await roundRepository.setModeration(tx, roundId, policy)))
          throw new NotFoundError(`There is no audit round ${roundId}.`);
        await activityLog.record(tx, actor, {
          action: 'audit_round.moderation_policy',
          recordType: 'audit_round',
          recordId: roundId,
          summary: { after: policy },
        });
      });
      return policy;
    },

    getAudit,

    /**
     * An audit of the round (or, with no round, a re-audit) to reallocate, with its allocation history and
     * every active auditor, each with the conflict of interest (in words) that stops them auditing the case,
     * if any.
     */
    async reallocation(roundId: number | null, auditId: number, user: User, actor: Actor) {
      const { audit, history } = await getAudit(auditId, user, actor);
      if (!isHomeOf(roundId, audit)) throw new NotFoundError();
      const auditors = (await users.listWithRole('auditor')).map((auditor) => ({
        id: auditor.id,
        displayName: auditor.displayName,
        conflict: conflictWith(auditor, audit),
      }));
      return { audit, history, auditors };
    },
  };
}
