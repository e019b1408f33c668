import type { RoundInput } from '../../src/rounds/types';
import { createTestContext, type TestContext } from '../support/app';
import { importCaseList, nativeCsv, type NativeRow } from '../support/case-lists';

/** A round's preview names every team it reaches that gets no audit, and why: none is dropped silently. */

let ctx: TestContext;
let importId: number;
let otherTeams: string[];

const row = (n: number, team: string, type: string, extra: Partial<NativeRow> = {}): NativeRow => ({
  case_reference: `T${String(n).padStart(6, '0')}`,
  case_type: type,
  team,
  age: '8',
  closed: 'no',
  restricted: 'no',
  ...extra,
});

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  const rows = [
    // The front door holds only front-door cases, a type this framework does not audit.
    row(1, 'Multi-Agency Safeguarding Hub', 'front-door'),
    row(2, 'Multi-Agency Safeguarding Hub', 'front-door'),
    row(3, 'Assessment North', 'child-in-need'),
    row(4, 'Assessment North', 'child-in-need'),
    row(5, 'Assessment North', 'child-in-need'),
    // Every case of this team is closed, or restricted.
    row(6, 'Leaving Care North', 'care-leaver', { closed: 'yes' }),
    row(7, 'Leaving Care North', 'care-leaver', { closed: 'yes', restricted: 'yes' }),
    row(8, 'Leaving Care North', 'care-leaver', { restricted: 'yes' }),
    // Only older children.
    row(9, 'Children in Care North', 'child-in-care', { age: '16' }),
    row(10, 'Family Safeguarding South 1', 'child-protection'),
  ];
  const outcome = await importCaseList(ctx.services.cases, nativeCsv(rows), 'teams.csv');
  importId = outcome.id;
  const named = new Set(rows.map((r) => r.team));
  otherTeams = (await ctx.db.knex('team').where({ active: true }).pluck<string[]>('name')).filter(
    (name) => !named.has(name),
  );
});
afterAll(() => ctx.close());

const plan = (overrides: Partial<RoundInput> = {}): RoundInput => ({
  name: 'Monthly audit',
  frameworkId: 'childrens-social-care-case-audit',
  frameworkVersion: '1.0.0',
  importId,
  dueDate: '2099-12-31',
  seed: 11,
  filters: { caseTypes: ['early-help', 'child-in-need', 'child-protection', 'child-in-care', 'care-leaver'] },
  size: { kind: 'per-team', perTeam: 2 },
  stratifyBy: 'team',
  exclusions: { auditedWithinMonths: 12, inOtherOpenRound: true, closed: true, restricted: true },
  ...overrides,
});

const reasons = async (input: RoundInput) =>
  Object.fromEntries(
    (await ctx.services.rounds.preview(input)).teamsWithoutAudits.map((t) => [t.name, t.reason]),
  );

it('a quota per team names each team left without an audit, with the reason', async () => {
  const input = plan({ filters: { ...plan().filters, ageMax: 12 } });
  expect(await reasons(input)).toEqual({
    'Multi-Agency Safeguarding Hub': 'no cases of the chosen types',
    'Leaving Care North': 'all 3 cases are left out (2 closed, 1 restricted)',
    'Children in Care North': 'no cases of the chosen types match the chosen themes',
    ...Object.fromEntries(otherTeams.map((name) => [name, 'no cases in this case list'])),
  });
});

it('a sample not shared by team names the teams it happens to miss', async () => {
  const missed = await reasons(plan({ size: { kind: 'fixed', total: 1 }, stratifyBy: 'none' }));
  const drawnFrom = ['Assessment North', 'Children in Care North', 'Family Safeguarding South 1'].filter(
    (team) => !missed[team],
  );
  expect(drawnFrom).toHaveLength(1);
  for (const team of ['Assessment North', 'Children in Care North', 'Family Safeguarding South 1'])
    if (missed[team])
      expect(missed[team]).toBe('none of its cases was drawn: the sample is not shared out by team');

  const shared = await reasons(plan({ size: { kind: 'fixed', total: 2 }, stratifyBy: 'team' }));
  expect(Object.values(shared)).toContain('its share of the sample rounds down to none');
});

it('a team outside the chosen teams is not listed', async () => {
  const teamId = (await ctx.db.knex('team').where({ name: 'Assessment North' }).first('id')).id as number;
  expect(await reasons(plan({ filters: { teamIds: [teamId] } }))).toEqual({});
});
