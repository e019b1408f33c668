import fc from 'fast-check';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { LEFT_OUT_REASONS, type LeftOutReason } from '../../src/rounds/population';
import { previewView } from '../../src/rounds/preview-view';
import type { RoundInput } from '../../src/rounds/types';
import { createTestContext, type TestContext } from '../support/app';
import { importCaseList, nativeCsv, type NativeRow } from '../support/case-lists';

/**
 * Every total the round preview shows equals the sum of its parts, for any case list and plan: cases in
 * scope = left out + eligible, left out = its reasons (each case counted once), eligible and sample = their
 * groups, sample = audits by auditor + those without one. The counts are checked against the generated list.
 */

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
});
afterAll(() => ctx.close());

const TEAMS = [
  'Assessment North',
  'Family Safeguarding South 1',
  'Children in Care North',
  'Leaving Care North',
  'Multi-Agency Safeguarding Hub',
];
const TYPES = ['child-in-need', 'child-protection', 'child-in-care', 'care-leaver', 'front-door'] as const;

interface GeneratedCase {
  ref: number;
  type: (typeof TYPES)[number];
  team: string;
  age: number;
  closed: boolean;
  restricted: boolean;
}

const caseList = fc.uniqueArray(
  fc.record({
    // A small pool of children, so later lists meet the rounds made from earlier ones.
    ref: fc.integer({ min: 1, max: 60 }),
    type: fc.constantFrom(...TYPES),
    team: fc.constantFrom(...TEAMS),
    age: fc.integer({ min: 0, max: 17 }),
    closed: fc.boolean(),
    restricted: fc.boolean(),
  }),
  { minLength: 1, maxLength: 50, selector: (c) => c.ref },
);

const sizeRule = fc.oneof(
  fc.record({ kind: fc.constant('fixed' as const), total: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('per-team' as const), perTeam: fc.integer({ min: 1, max: 6 }) }),
  fc.record({
    kind: fc.constant('margin-of-error' as const),
    margin: fc.constantFrom(0.05, 0.1, 0.2, 0.3),
  }),
);

const plan = fc.record({
  size: sizeRule,
  stratifyBy: fc.constantFrom('none' as const, 'team' as const, 'case-type' as const),
  exclusions: fc.record({
    auditedWithinMonths: fc.constantFrom(null, 12),
    inOtherOpenRound: fc.boolean(),
    closed: fc.boolean(),
    restricted: fc.boolean(),
  }),
  caseTypes: fc.option(fc.subarray([...TYPES], { minLength: 1 }), { nil: undefined }),
  ageMax: fc.option(fc.integer({ min: 0, max: 17 }), { nil: undefined }),
  /** Make a round of this list first, so its children are in an open round and audited recently. */
  roundFirst: fc.boolean(),
});

const refOf = (n: number) => `P${String(n).padStart(5, '0')}`;
const number = (shown: string) => Number(shown.replace(/,/g, ''));
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Children in a round made by an earlier run: every round stays open, and its audits are recent. */
const inRounds = new Set<string>();
let lists = 0;

async function importList(cases: readonly GeneratedCase[]): Promise<number> {
  const rows: NativeRow[] = cases.map((c) => ({
    case_reference: refOf(c.ref),
    case_type: c.type,
    team: c.team,
    age: String(c.age),
    closed: c.closed ? 'yes' : 'no',
    restricted: c.restricted ? 'yes' : 'no',
  }));
  const name = `list-${(lists += 1)}.csv`;
  const outcome = await importCaseList(ctx.services.cases, nativeCsv(rows), name);
  expect(outcome.status).toBe('imported');
  return outcome.id;
}

it('shows totals that equal the sum of their parts, and counts that match the list', async () => {
  const active = await ctx.db.knex('team').where({ active: true }).pluck<string[]>('name');
  await fc.assert(
    fc.asyncProperty(caseList, plan, fc.integer(), async (cases, p, seed) => {
      const importId = await importList(cases);
      const input: RoundInput = {
        name: 'Property',
        frameworkId: 'childrens-social-care-case-audit',
        frameworkVersion: '1.0.0',
        importId,
        dueDate: '2999-12-31',
        seed,
        filters: {
          ...(p.caseTypes ? { caseTypes: p.caseTypes } : {}),
          ...(p.ageMax !== undefined ? { ageMax: p.ageMax } : {}),
        },
        size: p.size,
        stratifyBy: p.stratifyBy,
        exclusions: p.exclusions,
      };
      if (p.roundFirst) {
        const made = await ctx.services.rounds
          .create(
            { ...input, seed: seed ^ 1, exclusions: { ...p.exclusions, inOtherOpenRound: false } },
            SYSTEM_ACTOR,
          )
          .catch(() => undefined);
        for (const audit of made?.preview.sample ?? []) inRounds.add(audit.caseRef);
      }
      const preview = await ctx.services.rounds.preview(input);
      const view = previewView(preview, input.size);

      // Shown totals equal the sum of their parts.
      expect(number(view.population)).toBe(number(view.excludedTotal) + number(view.eligible));
      expect(number(view.excludedTotal)).toBe(sum(view.excluded.map((e) => number(e.count))));
      expect(number(view.eligible)).toBe(sum(view.strata.map((s) => number(s.eligible))));
      expect(number(view.total)).toBe(sum(view.strata.map((s) => number(s.size))));
      expect(number(view.total)).toBe(
        sum(view.auditors.map((a) => number(a.allocated))) + view.unallocatedCount,
      );
      expect(view.unallocatedCount).toBe(sum(view.unallocatedReasons.map((r) => number(r.count))));
      for (const s of view.strata) expect(number(s.size)).toBeLessThanOrEqual(number(s.eligible));
      expect(preview.sample).toHaveLength(preview.total);

      // The counts are those of the list: each case in scope counted once, under its first reason.
      const inScope = cases.filter(
        (c) =>
          (!p.caseTypes || p.caseTypes.includes(c.type)) && (p.ageMax === undefined || c.age <= p.ageMax),
      );
      const reasonOf = (c: GeneratedCase): LeftOutReason | undefined => {
        const round = inRounds.has(refOf(c.ref));
        const flags = {
          closed: c.closed,
          restricted: c.restricted,
          inOtherOpenRound: round,
          recentlyAudited: round,
        };
        const inForce = {
          ...p.exclusions,
          recentlyAudited: p.exclusions.auditedWithinMonths !== null,
        };
        return LEFT_OUT_REASONS.find((r) => flags[r] && inForce[r]);
      };
      expect(preview.population).toBe(inScope.length);
      for (const reason of LEFT_OUT_REASONS)
        expect([reason, preview.excluded[reason]]).toEqual([
          reason,
          inScope.filter((c) => reasonOf(c) === reason).length,
        ]);
      const eligible = inScope.filter((c) => !reasonOf(c));
      expect(preview.eligible).toBe(eligible.length);

      // Every team is accounted for: it gets an audit, or it is named with a reason.
      const teamOf = new Map(cases.map((c) => [refOf(c.ref), c.team]));
      const audited = new Set(preview.sample.map((s) => teamOf.get(s.caseRef)));
      const without = preview.teamsWithoutAudits.map((t) => t.name);
      expect([...audited].filter((t) => without.includes(t as string))).toEqual([]);
      expect([...audited, ...without].sort()).toEqual([...active].sort());
      for (const t of preview.teamsWithoutAudits) expect(t.reason).not.toBe('');
      if (input.size.kind === 'per-team')
        for (const c of eligible) expect([c.team, audited.has(c.team)]).toEqual([c.team, true]);
    }),
    { numRuns: 25 },
  );
}, 180_000);
