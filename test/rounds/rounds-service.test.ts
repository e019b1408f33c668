import { SYSTEM_ACTOR, type Actor } from '../../src/activity-log/actor';
import { NotFoundError, ValidationError } from '../../src/errors';
import { myAudits } from '../../src/my-audits/sections';
import type { RoundInput } from '../../src/rounds/types';
import { conflictOf, standingOf } from '../../src/conflicts/rule';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { importNativeCases, nativeRows } from '../support/case-lists';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
let importId: number;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  importId = await importNativeCases(ctx.services.cases, 240);
});
afterAll(() => ctx.close());

/** A signed-in user acting, as a request would make them. */
const actorFor = (userId: number): Actor => ({ kind: 'user', userId, tokenId: null, requestId: null });

const plan = (overrides: Partial<RoundInput> = {}): RoundInput => ({
  name: 'December monthly audit',
  frameworkId: 'childrens-social-care-case-audit',
  frameworkVersion: '1.0.0',
  importId,
  dueDate: '2099-12-31',
  seed: 1234,
  filters: {},
  size: { kind: 'per-team', perTeam: 3 },
  stratifyBy: 'none',
  exclusions: { auditedWithinMonths: 12, inOtherOpenRound: true, closed: true, restricted: true },
  ...overrides,
});

const sampleOf = async (input: RoundInput) => {
  const preview = await ctx.services.rounds.preview(input);
  return preview.strata.map((s) => [s.label, s.eligible, s.size]);
};

describe('planning a round (dry run)', () => {
  it('counts the population, each exclusion, and the sample per stratum', async () => {
    const preview = await ctx.services.rounds.preview(plan());
    const rows = nativeRows(240);
    expect(preview.population).toBe(240);
    // A case both closed and restricted is counted once, as closed: the reasons add up to those left out.
    expect(preview.excluded).toEqual({
      closed: rows.filter((r) => r.closed === 'yes').length,
      restricted: rows.filter((r) => r.restricted === 'yes' && r.closed !== 'yes').length,
      recentlyAudited: 0,
      inOtherOpenRound: 0,
    });
    expect(preview.population).toBe(preview.eligible + preview.excluded.closed + preview.excluded.restricted);
    expect(preview.strata.map((s) => [s.label, s.size])).toEqual([
      ['Family Safeguarding South 1', 3],
      ['Children in Care North', 3],
      ['Leaving Care North', 3],
      ['Assessment North', 3],
    ]);
    expect(preview.total).toBe(12);
  });

  it('gives the same sample for the same seed, and another for another seed', async () => {
    const a = await ctx.services.rounds.preview(plan());
    const b = await ctx.services.rounds.preview(plan());
    const c = await ctx.services.rounds.preview(plan({ seed: 99 }));
    expect(b).toEqual(a);
    const ids = (p: { sample: { caseId: number }[] }) => p.sample.map((x) => x.caseId).sort((x, y) => x - y);
    expect(ids(c)).not.toEqual(ids(a));
    const created = await ctx.services.rounds.create(
      plan({ name: 'Reproducibility check', seed: 4321 }),
      SYSTEM_ACTOR,
    );
    const { audits } = await ctx.services.rounds.get(created.id, SYSTEM_ACTOR);
    // The same plan and seed, previewed after the round exists, excludes its cases (in an open round):
    // so compare with the preview the round was created from.
    expect(created.preview.total).toBe(audits.length);
    const again = await previewIgnoringRounds(4321);
    expect(created.preview.strata).toEqual(again.strata);
    expect(ids(again)).toEqual(audits.map((x) => x.caseId).sort((x, y) => x - y));
    expect(again.sample.map((x) => x.auditorUserId)).toEqual(
      created.preview.sample.map((x) => x.auditorUserId),
    );
  });

  it('sizes a sample for a margin of error and shows the inputs', async () => {
    const preview = await ctx.services.rounds.preview(
      plan({ size: { kind: 'margin-of-error', margin: 0.1 }, stratifyBy: 'case-type' }),
    );
    expect(preview.marginOfError).toMatchObject({ margin: 0.1, confidence: 0.95, z: 1.96, proportion: 0.5 });
    expect(preview.total).toBe(preview.marginOfError?.size);
    expect(preview.strata.map((s) => s.label)).toEqual(
      expect.arrayContaining(['Child in need', 'Child protection']),
    );
  });

  it('filters by case type and by theme', async () => {
    // Counted from the generator (test/support/case-lists.ts), rounds left aside: of cases 1 to 240, child
    // protection is every n with n % 4 = 1 (60, all in Family Safeguarding South 1); of those, neglect is
    // n % 3 ≠ 0 (40) and emotional abuse the other 20. Left out as closed (n % 11 = 0): 77, 121, 209 of
    // neglect, 33, 165 of emotional abuse; as restricted (n % 13 = 0): 13, 65, 169, 221 of neglect, 117 of
    // emotional abuse. So 33 neglect cases and 17 emotional abuse cases are eligible.
    const unrounded = { auditedWithinMonths: null, inOtherOpenRound: false, closed: true, restricted: true };
    const theme = (categoriesOfAbuse: string[]) =>
      sampleOf(
        plan({ filters: { caseTypes: ['child-protection'], categoriesOfAbuse }, exclusions: unrounded }),
      );
    expect(await theme(['neglect'])).toEqual([['Family Safeguarding South 1', 33, 3]]);
    expect(await theme(['emotional-abuse'])).toEqual([['Family Safeguarding South 1', 17, 3]]);
    expect(await theme(['neglect', 'emotional-abuse'])).toEqual([['Family Safeguarding South 1', 50, 3]]);
    const cp = await ctx.services.rounds.preview(
      plan({
        filters: { caseTypes: ['child-protection'], categoriesOfAbuse: ['neglect'] },
        exclusions: unrounded,
      }),
    );
    const refs = new Map(nativeRows(240).map((r, i) => [r.case_reference, i + 1]));
    expect(cp.sample).toHaveLength(3);
    for (const { caseRef } of cp.sample) {
      const n = refs.get(caseRef) as number;
      expect({ caseRef, childProtection: n % 4, neglect: n % 3 !== 0 }).toEqual({
        caseRef,
        childProtection: 1,
        neglect: true,
      });
    }
  });

  it('respects the capacity given to each auditor, sharing the rest evenly', async () => {
    const all = await ctx.services.users.listWithRole('auditor');
    const [first, ...others] = all;
    const preview = await ctx.services.rounds.preview(
      plan({ auditors: [{ userId: first!.id, capacity: 1 }, ...others.map((u) => ({ userId: u.id }))] }),
    );
    // Three auditors (Aisha Khan, Harry Chen, Priya Shah, by name) and 3 cases from each of 4 teams: Aisha
    // takes 1, and the other 11 are shared evenly between two, 6 each at most.
    expect(all.map((u) => u.displayName)).toEqual(['Aisha Khan', 'Harry Chen', 'Priya Shah']);
    expect(preview.total).toBe(12);
    expect(preview.auditors.map((a) => a.capacity)).toEqual([1, 6, 6]);
    expect(preview.auditors[0]!.allocated).toBe(1);
    expect(preview.auditors.reduce((sum, a) => sum + a.allocated, 0)).toBe(12);
    for (const a of preview.auditors) expect(a.allocated).toBeLessThanOrEqual(a.capacity);
  });

  it('names every problem with the plan', async () => {
    const error = (await ctx.services.rounds
      .preview(
        plan({
          frameworkVersion: '9.9.9',
          dueDate: '2001-01-01',
          importId: 99999,
          auditors: [{ userId: 99999, capacity: 2 }],
        }),
      )
      .catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors.map((e) => e.field)).toEqual([
      'frameworkVersion',
      'importId',
      'dueDate',
      'auditors.0.userId',
    ]);
    const shape = (await ctx.services.rounds
      .preview({ ...plan(), size: { kind: 'per-team', perTeam: 0 } })
      .catch((e: unknown) => e)) as ValidationError;
    expect(shape.fieldErrors.length).toBeGreaterThan(0);
  });
});

async function previewIgnoringRounds(seed: number) {
  return ctx.services.rounds.preview(
    plan({
      seed,
      exclusions: { auditedWithinMonths: null, inOtherOpenRound: false, closed: true, restricted: true },
    }),
  );
}

describe('creating a round', () => {
  it('creates an audit per sampled case, allocated without conflicts of interest, and logs it', async () => {
    const sam = await ctx.services.users.findByEmail(DEMO.admin);
    const mark = await eventMark(ctx.db.knex);
    const { id, preview } = await ctx.services.rounds.create(
      plan({ name: 'Conflicts check', seed: 77, size: { kind: 'per-team', perTeam: 6 } }),
      actorFor(sam!.id),
    );
    const created = await eventsSince(ctx.db.knex, mark);
    const { audits } = await ctx.services.rounds.get(id, SYSTEM_ACTOR);
    // 6 cases from each of the 4 teams.
    expect(preview.total).toBe(24);
    expect(audits).toHaveLength(24);
    expect(audits.filter((a) => a.auditorUserId !== null).length).toBeGreaterThan(0);
    const auditors = await ctx.services.users.listWithRole('auditor');
    for (const audit of audits.filter((a) => a.auditorUserId !== null)) {
      const user = auditors.find((u) => u.id === audit.auditorUserId);
      expect(user).toBeDefined();
      expect(
        conflictOf(standingOf(user!), {
          caseId: audit.caseId,
          caseRef: audit.caseRef,
          restricted: audit.restricted,
          teamId: audit.teamId,
          workerPersonId: audit.workerPersonId,
          managerPersonId: audit.managerPersonId,
        }),
      ).toBeUndefined();
      expect(audit.status).toBe('allocated');
    }
    // Harry Chen manages Assessment North: none of its cases go to him.
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    expect(audits.filter((a) => a.teamName === 'Assessment North' && a.auditorUserId === harry?.id)).toEqual(
      [],
    );
    expect(created).toEqual([
      expect.objectContaining({ action: 'audit_round.create', recordId: String(id), actorUserId: sam!.id }),
    ]);
    expect(created[0]?.summary.after).toMatchObject({ seed: 77, audits: 24 });
  });

  it('leaves out children already in an open round or audited in the last 12 months', async () => {
    const preview = await ctx.services.rounds.preview(plan({ seed: 5 }));
    // Those in an open round were also audited recently: counted once, under the open round.
    expect(preview.excluded.inOtherOpenRound).toBeGreaterThan(0);
    expect(preview.excluded.recentlyAudited).toBe(0);
    const recentOnly = await ctx.services.rounds.preview(
      plan({ seed: 5, exclusions: { ...plan().exclusions, inOtherOpenRound: false } }),
    );
    expect(recentOnly.excluded.recentlyAudited).toBe(preview.excluded.inOtherOpenRound);
    expect(recentOnly.excluded.inOtherOpenRound).toBe(0);
    const kept = await ctx.services.rounds.preview(
      plan({
        seed: 5,
        exclusions: { auditedWithinMonths: null, inOtherOpenRound: false, closed: false, restricted: false },
      }),
    );
    expect(kept.eligible).toBe(240);
  });

  it('shows an auditor their allocated audits', async () => {
    const aisha = await ctx.services.users.findByEmail(DEMO.auditor);
    const { toDo } = await myAudits(ctx.services.rounds, aisha!.id, SYSTEM_ACTOR);
    expect(toDo.length).toBeGreaterThan(0);
    expect(toDo.every((a) => a.auditorUserId === aisha!.id)).toBe(true);
  });
});

describe('reallocating an audit', () => {
  it('refuses an auditor with a conflict of interest, and needs a reason', async () => {
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    const [round] = await ctx.services.rounds.list();
    const { audits } = await ctx.services.rounds.get(round!.id, SYSTEM_ACTOR);
    const inHisTeam = audits.find((a) => a.teamName === 'Assessment North');
    await expect(
      ctx.services.rounds.reallocate(inHisTeam!.id, harry!.id, 'cover', SYSTEM_ACTOR),
    ).rejects.toThrow(/cannot audit this case: (the case is in their own team|they manage the case’s team)/);
    await expect(ctx.services.rounds.reallocate(inHisTeam!.id, null, '  ', SYSTEM_ACTOR)).rejects.toThrow(
      'Give a reason for the reallocation.',
    );
  });

  it('names, for the reallocation page, the conflict of interest that stops each auditor', async () => {
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    const admin = await ctx.services.users.findByEmail(DEMO.admin);
    const [round] = await ctx.services.rounds.list();
    const { audits } = await ctx.services.rounds.get(round!.id, SYSTEM_ACTOR);
    const inHisTeam = audits.find((a) => a.teamName === 'Assessment North')!;
    const { audit, auditors } = await ctx.services.rounds.reallocation(
      round!.id,
      inHisTeam.id,
      admin!,
      SYSTEM_ACTOR,
    );
    expect(audit.id).toBe(inHisTeam.id);
    expect(auditors.find((a) => a.id === harry!.id)?.conflict).toMatch(
      /^(the case is in their own team|they manage the case’s team)$/,
    );
    expect(auditors.filter((a) => a.conflict === undefined).length).toBeGreaterThan(0);
    await expect(
      ctx.services.rounds.reallocation(round!.id + 1000, inHisTeam.id, admin!, SYSTEM_ACTOR),
    ).rejects.toThrow(NotFoundError);
  });

  it('moves an audit with its reason, kept in the history and the audit log', async () => {
    const priya = await ctx.services.users.findByEmail(DEMO.moderator);
    const [round] = await ctx.services.rounds.list();
    const { audits } = await ctx.services.rounds.get(round!.id, SYSTEM_ACTOR);
    const target = audits.find((a) => a.auditorUserId !== priya!.id && a.teamName !== 'Assessment North')!;
    const admin = await ctx.services.users.findByEmail(DEMO.admin);
    const mark = await eventMark(ctx.db.knex);
    await ctx.services.rounds.reallocate(target.id, priya!.id, 'Aisha is on leave', actorFor(admin!.id));
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'audit.reallocate',
        recordId: String(target.id),
        actorUserId: admin!.id,
      }),
    ]);
    const { audit, history } = await ctx.services.rounds.getAudit(target.id, admin!, SYSTEM_ACTOR);
    expect(audit.auditorUserId).toBe(priya!.id);
    expect(history.at(-1)).toMatchObject({ auditorName: 'Priya Shah', reason: 'Aisha is on leave' });
  });
});
