import type { Knex } from 'knex';
import type { AuditResponse } from '../src/audits/response';
import { DEMO_USERS, identityOf, type DemoUser } from '../src/demo/organisation';
import { completeResponse } from '../src/demo/responses';
import { scaleById } from '../src/frameworks/overall-grade';
import { rankedLevels } from '../src/frameworks/scales';
import type { Framework } from '../src/frameworks/types';
import { addMonths, monthName, monthsBetween, periodOfMonth } from '../src/reporting/months';
import { DEFAULT_EXCLUSIONS } from '../src/rounds/types';
import { addActions, addTeams, uniform } from './bulk';
import { insertImport } from './support';

/**
 * A year of reporting data, bulk-loaded in SQL on a database with the frameworks and the demo organisation:
 * teams, a monthly case list and audit round for each month, the rounds' audits submitted with plausible
 * responses and their grades, a share moderated, and remediation of the inadequate ones with actions.
 * Deterministic: the same rows on every run on the same day (hashes of ids, never random()).
 */

/** How much: teams in all, submitted round audits over `months` whole months, remediation records and actions. */
export interface ReportScale {
  teams: number;
  audits: number;
  months: number;
  records: number;
  actions: number;
}

/** A year of a county's audits. */
export const YEAR_OF_AUDITS: ReportScale = {
  teams: 30,
  audits: 1500,
  months: 12,
  records: 100,
  actions: 400,
};

const FRAMEWORK_ID = 'childrens-social-care-case-audit';
/** Distinct responses the audits are given, best overall grade first, one picked by a hash of each audit. */
const VARIANTS = 240;
/** Audits of each round not submitted: cancelled when the round closed, or still open (overdue) in the last. */
const UNSUBMITTED_PER_ROUND = 5;
/** Cases each monthly list holds beyond those a team's samples take in the year: closed, then restricted. */
const CLOSED_PER_TEAM = 4;
const RESTRICTED_PER_TEAM = 1;
/** The council's targets, as an admin would set them. */
const TARGETS = { 'good-or-better': 60, inadequate: 10, completed: 95 };

/** A pseudo-random number generator (mulberry32): the same numbers for the same seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The index whose share `u` falls in, the shares taken in turn. */
function pick(u: number, shares: readonly number[]): number {
  let total = 0;
  const index = shares.findIndex((share) => u < (total += share));
  return index < 0 ? shares.length - 1 : index;
}

/** How often the practitioner was not spoken with, and the family's view not sought. */
const ENGAGEMENT: Record<string, number> = { 'pc-held': 0.12, 'ff-sought': 0.33 };

/** How much more or less often than others a question is answered "no": 0.4 to 1.4, by its id. */
const weightOf = (questionId: string) =>
  0.4 + ([...questionId].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 11) / 10;

/**
 * One plausible complete response: an overall grade (8% outstanding, 47% good, 33% requires improvement,
 * 12% inadequate), each section that grade or one better (the sections that cap the overall grade exactly
 * it), and yes / no questions answered "no" more often the worse the audit, some questions more than
 * others; the practitioner spoken with in most audits, the family's view sought in two thirds.
 */
function variant(framework: Framework, seed: number): { overall: number; response: AuditResponse } {
  const random = generator(seed);
  const overall = pick(random(), [0.08, 0.47, 0.33, 0.12]);
  const capping = new Set(framework.overall.cappedBy ?? []);
  const ranks = new Map(
    framework.sections.map((s) => [s.id, capping.has(s.id) ? overall : overall - pick(random(), [0.6, 0.4])]),
  );
  const noRate = [0.03, 0.07, 0.18, 0.35][overall] as number;
  const response = completeResponse(
    framework,
    (sectionId, levels) => Math.max(0, Math.min(levels - 1, ranks.get(sectionId) ?? overall)),
    (questionId) => (random() < (ENGAGEMENT[questionId] ?? noRate * weightOf(questionId)) ? 'no' : 'yes'),
  );
  return { overall, response };
}

/** Each graded item's levels, best first, by section id and "overall": grades' ranks, moderation's changes. */
function levelCodes(framework: Framework): Record<string, string[]> {
  const codes = (scale: string) => rankedLevels(scaleById(framework, scale)).map((l) => l.code);
  return Object.fromEntries<string[]>([
    ...framework.sections
      .filter((s) => s.graded)
      .map((s): [string, string[]] => [s.id, codes(s.scale as string)]),
    ['overall', codes(framework.overall.scale)],
  ]);
}

/** How the case lists are laid out: the most a round takes from a team, and the cases a team's list holds. */
interface Layout {
  teams: number;
  /** The most audits a round takes from one team. */
  quota: number;
  /** Cases a team's list holds: `quota` for each month, then the closed and restricted ones. */
  listed: number;
  samplable: number;
}

/** The demo's users the data names: the admin, the auditors (Harry Chen a team manager) and the moderators. */
interface People {
  admin: number;
  aisha: number;
  priya: number;
  harry: number;
  fiona: number;
}

async function peopleOf(knex: Knex): Promise<People> {
  const idOf = async (user: number) => {
    const { email } = identityOf(DEMO_USERS[user] as DemoUser);
    const row = await knex('app_user').where('email', email).first<{ id: number } | undefined>('id');
    if (!row) throw new Error(`the demo user ${email} is missing`);
    return row.id;
  };
  const [admin, aisha, priya, harry, fiona] = await Promise.all([0, 1, 2, 3, 5].map(idOf));
  return { admin, aisha, priya, harry, fiona } as People;
}

/** A month's round: `m` counts the months from 0, `submitted` of its `sample` audits were submitted. */
interface Round {
  m: number;
  month: string;
  importId: number;
  roundId: number;
  due: string;
  submitted: number;
  sample: number;
  open: boolean;
}

async function layoutOf(knex: Knex, scale: ReportScale): Promise<Layout> {
  const teams = Number((await knex('team').count<{ n: number }[]>({ n: '*' }))[0]?.n);
  const quota = Math.ceil((Math.ceil(scale.audits / scale.months) + UNSUBMITTED_PER_ROUND) / teams);
  const samplable = quota * scale.months;
  return { teams, quota, samplable, listed: samplable + CLOSED_PER_TEAM + RESTRICTED_PER_TEAM };
}

/**
 * A case list and an audit round for each month. Every list holds the same children, the year's samples
 * and a few closed and restricted; each round is due on its month's last day, samples its share of the
 * year's audits and a few more, and its summary is what sampling said (earlier months' samples audited
 * recently). All but the last are closed.
 */
async function addRounds(
  knex: Knex,
  scale: ReportScale,
  layout: Layout,
  months: string[],
  version: { id: number; version: string },
  people: People,
): Promise<Round[]> {
  const share = (m: number) =>
    Math.floor(((m + 1) * scale.audits) / scale.months) - Math.floor((m * scale.audits) / scale.months);
  const population = layout.teams * layout.listed;
  const rounds: Round[] = [];
  for (const [m, month] of months.entries()) {
    const importId = await insertImport(knex, `case-list-${month}.csv`, population);
    const sample = share(m) + UNSUBMITTED_PER_ROUND;
    const open = m === months.length - 1;
    const excluded = {
      closed: layout.teams * CLOSED_PER_TEAM,
      restricted: layout.teams * RESTRICTED_PER_TEAM,
      inOtherOpenRound: 0,
      recentlyAudited: rounds.reduce((sum, r) => sum + r.sample, 0),
    };
    const seed = 1000 + m * 7919;
    const name = `${monthName(month)} monthly audit`;
    const due = periodOfMonth(month).to;
    const [round] = await knex('audit_round')
      .insert({
        name,
        framework_version_id: version.id,
        import_id: importId,
        plan: {
          name,
          frameworkId: FRAMEWORK_ID,
          frameworkVersion: version.version,
          importId,
          dueDate: due,
          filters: {},
          size: { kind: 'fixed', total: sample },
          stratifyBy: 'team',
          exclusions: DEFAULT_EXCLUSIONS,
          seed,
          auditors: [people.aisha, people.priya, people.harry].map((userId) => ({
            userId,
            capacity: sample,
          })),
        },
        seed,
        due_date: due,
        status: open ? 'open' : 'closed',
        summary: {
          seed,
          population,
          excluded,
          eligible: population - Object.values(excluded).reduce((a, b) => a + b, 0),
          total: sample,
        },
        created_by_user_id: people.admin,
        created_at: `${month}-01T09:00:00Z`,
        closed_at: open ? null : `${addMonths(month, 1)}-07T17:00:00Z`,
        closed_by_user_id: open ? null : people.admin,
        unsubmitted_outcome: open ? null : 'cancelled',
      })
      .returning<{ id: number }[]>('id');
    const roundId = (round as { id: number }).id;
    rounds.push({ m, month, importId, roundId, due, submitted: share(m), sample, open });
  }
  await knex.raw(
    `insert into case_record (import_id, case_ref, case_type, team_id, worker_id, age_years, closed, restricted,
                              source_sheet, source_line)
     with teams as (
       select id, (row_number() over (order by id) - 1)::int as n,
              (select array_agg(p.id order by p.id) from person p where p.team_id = team.id) as staff
       from team
     )
     select r.import_id, 'CH' || (100000 + t.n * :listed::int + c),
            (array['child-in-need','child-protection','child-in-care','care-leaver','early-help','disabled-children'])
              [1 + abs(hashint4(t.n * :listed::int + c)) % 6],
            t.id, t.staff[2 + c % (array_length(t.staff, 1) - 1)], abs(hashint4(t.n * :listed::int + c + 1)) % 18,
            c >= :samplable::int and c < :samplable::int + :closed::int, c >= :samplable::int + :closed::int,
            'cases', 2 + t.n * :listed::int + c
     from jsonb_to_recordset(:rounds::jsonb) as r(import_id int), teams t, generate_series(0, :listed::int - 1) c`,
    {
      listed: layout.listed,
      samplable: layout.samplable,
      closed: CLOSED_PER_TEAM,
      rounds: JSON.stringify(rounds.map((r) => ({ import_id: r.importId }))),
    },
  );
  return rounds;
}

const roundsJson = (rounds: readonly Round[]) =>
  JSON.stringify(
    rounds.map((r) => ({
      m: r.m,
      import_id: r.importId,
      round_id: r.roundId,
      due: r.due,
      submitted: r.submitted,
      sample: r.sample,
      open: r.open,
      start: `${r.month}-01`,
    })),
  );
/** The rounds' ids as a PostgreSQL array, for `= any(:roundIds::int[])`. */
const idList = (rounds: readonly Round[]) => `{${rounds.map((r) => r.roundId).join(',')}}`;
const ROUNDS = `jsonb_to_recordset(:rounds::jsonb)
  as r(m int, import_id int, round_id int, due date, submitted int, sample int, open boolean, start date)`;

/**
 * The rounds' audits, each month's sample spread over the teams (at most `quota` each) from the next cases
 * of each team's list. The first `submitted` by a hash of the case are submitted, the rest cancelled when
 * the round closed or, in the open round, allocated or in progress and overdue. Aisha Khan and Priya Shah
 * audit, Harry Chen one case in five (never his own team's).
 */
async function addAudits(
  knex: Knex,
  layout: Layout,
  rounds: readonly Round[],
  versionId: number,
  people: People,
): Promise<void> {
  const harryTeam = await knex('user_team')
    .where('user_id', people.harry)
    .first<{ team_id: number }>('team_id');
  await knex.raw(
    `insert into audit (round_id, case_id, stratum, framework_version_id, auditor_user_id, status, due_date,
                        lock_version, current_revision, created_at,
                        cancelled_reason, cancelled_at, cancelled_by_user_id)
     with teams as (
       select id, (row_number() over (order by id) - 1)::int as n, count(*) over ()::int as total from team
     ), sampled as (
       select r.*, c.id as case_id, c.team_id,
              row_number() over (partition by r.m order by abs(hashint4(c.id::int)), c.id) as pick
       from ${ROUNDS}
       join case_record c on c.import_id = r.import_id
       join teams t on t.id = c.team_id
       where (c.source_line - 2) % :listed::int >= r.m * :quota::int
         and (c.source_line - 2) % :listed::int < r.m * :quota::int
             + floor((t.n + 1) * r.sample / t.total::numeric) - floor(t.n * r.sample / t.total::numeric)
     ), stated as (
       select *, case when pick <= submitted then 'submitted' when not open then 'cancelled'
                      when pick % 2 = 0 then 'in_progress' else 'allocated' end as status,
              case when case_id % 5 = 0 and team_id <> :harryTeam::int then :harry::int
                   else (array[:aisha::int, :priya::int])[1 + case_id % 2] end as auditor
       from sampled
     )
     select round_id, case_id, 'team:' || team_id, :versionId::int, auditor, status, due,
            case status when 'submitted' then 2 when 'in_progress' then 1 else 0 end,
            case when status in ('submitted', 'in_progress') then 1 else 0 end,
            (start + interval '9 hours') at time zone 'Europe/London',
            case when status = 'cancelled' then 'The round closed first; the case can be sampled again.' end,
            case when status = 'cancelled' then (due + interval '7 days 17 hours') at time zone 'Europe/London' end,
            case when status = 'cancelled' then :adminId::int end
     from stated order by round_id, case_id`,
    {
      rounds: roundsJson(rounds),
      listed: layout.listed,
      quota: layout.quota,
      harry: people.harry,
      harryTeam: harryTeam?.team_id ?? 0,
      aisha: people.aisha,
      priya: people.priya,
      versionId,
      adminId: people.admin,
    },
  );
  await knex.raw(
    `insert into audit_allocation (audit_id, auditor_user_id, allocated_at)
     select id, auditor_user_id, created_at from audit where round_id = any(:roundIds::int[])`,
    { roundIds: idList(rounds) },
  );
}

/**
 * A revision for each audit begun: the submitted ones a response picked by a hash of the audit (better ones
 * more likely as the year goes on), submitted on a day of the round's month; the ones in progress a draft.
 * Then the submitted revisions' grades, each section's and the overall, with their ranks.
 */
async function addResponses(knex: Knex, framework: Framework, rounds: readonly Round[]): Promise<void> {
  const variants = Array.from({ length: VARIANTS }, (_, i) => variant(framework, i + 1))
    .sort((a, b) => a.overall - b.overall)
    .map((v) => v.response);
  await knex.raw(
    `insert into audit_revision (audit_id, revision, status, response, content_hash, overall_grade,
                                 created_by_user_id, created_at, updated_by_user_id, updated_at,
                                 submitted_by_user_id, submitted_at)
     with variants as (
       select (i - 1)::int as v, value as response
       from jsonb_array_elements(:variants::jsonb) with ordinality as x(value, i)
     ), timed as (
       select a.id, a.status = 'submitted' as submitted, a.auditor_user_id as auditor,
              ((r.start + abs(hashint4(a.id)) % ((r.start + interval '1 month')::date - r.start))
                + interval '9 hours' + (abs(hashint4(a.id + 1)) % 480) * interval '1 minute')
                at time zone 'Europe/London' as at,
              floor(:count::int * power(${uniform(3, 'a.id')}, 0.8 + 0.04 * r.m))::int as v
       from audit a join ${ROUNDS} on r.round_id = a.round_id
       where a.status in ('submitted', 'in_progress')
     )
     select t.id, 1, case when submitted then 'submitted' else 'draft' end,
            case when submitted then v.response else '{}'::jsonb end,
            case when submitted then encode(sha256(convert_to(v.response::text, 'UTF8')), 'hex') end,
            case when submitted then v.response->'overall'->>'grade' end,
            auditor, t.at - interval '2 days', auditor, t.at,
            case when submitted then auditor end, case when submitted then t.at end
     from timed t join variants v on v.v = t.v
     order by t.id`,
    { variants: JSON.stringify(variants), count: VARIANTS, rounds: roundsJson(rounds) },
  );
  await knex.raw(
    `insert into audit_section_grade (audit_revision_id, section_id, grade, rank)
     select r.id, g.section_id, g.grade,
            (select (i - 1)::int from jsonb_array_elements_text(:codes::jsonb -> g.section_id) with ordinality e(code, i)
              where e.code = g.grade)
     from audit_revision r
     join audit a on a.id = r.audit_id
     cross join lateral (
       select s.key as section_id, s.value->>'grade' as grade
       from jsonb_each(r.response->'sections') s where s.value->>'grade' is not null
       union all select 'overall', r.response->'overall'->>'grade'
     ) g
     where r.status = 'submitted' and a.round_id = any(:roundIds::int[])`,
    { codes: JSON.stringify(levelCodes(framework)), roundIds: idList(rounds) },
  );
}

/**
 * Moderation as the rounds' policy asks: every audit graded inadequate and one in five of the rest. All
 * completed but a quarter of the open round's, by Priya Shah (or Fiona Gallagher, for Priya's own audits):
 * most grades upheld, one in eight lowered a grade and one in eight raised one, the moderator's own blind
 * grade differing from the agreed one now and then.
 */
async function addModeration(
  knex: Knex,
  framework: Framework,
  rounds: readonly Round[],
  people: People,
): Promise<void> {
  const codes = levelCodes(framework);
  await knex.raw(
    `insert into moderation (audit_id, audit_revision_id, reason, blind, status, moderator_user_id, graded_at,
                             summary, completed_at, created_at)
     with chosen as (
       select a.id as audit_id, r.id as revision_id, a.auditor_user_id, r.submitted_at, ar.status = 'open' as open,
              r.overall_grade = :worst as inadequate, ${uniform(21, 'a.id')} as u
       from audit a
       join audit_round ar on ar.id = a.round_id
       join audit_revision r on r.audit_id = a.id and r.status = 'submitted'
       where a.round_id = any(:roundIds::int[]) and (r.overall_grade = :worst or ${uniform(20, 'a.id')} < 0.2)
     ), stated as (
       select *, case when open and u < 0.25 then 'queued' else 'completed' end as status from chosen
     )
     select audit_id, revision_id, case when inadequate then 'inadequate' else 'random' end, true, status,
            case when status = 'completed' then case when auditor_user_id = :priya::int then :fiona::int else :priya::int end end,
            case when status = 'completed' then least(now(), submitted_at + interval '3 days') end,
            case when status = 'completed' then 'The grades are supported by the file; see each section.' end,
            case when status = 'completed' then least(now(), submitted_at + interval '5 days') end,
            submitted_at
     from stated order by audit_id`,
    {
      worst: codes.overall?.at(-1) as string,
      roundIds: idList(rounds),
      priya: people.priya,
      fiona: people.fiona,
    },
  );
  await knex.raw(
    `insert into moderation_grade (moderation_id, section_id, auditor_grade, moderator_grade, agreed_grade, outcome,
                                   reason)
     with shifted as (
       select m.id, g.section_id, g.grade, g.rank, ${uniform(32, 'm.id')} as u,
              greatest(0, least(jsonb_array_length(:codes::jsonb -> g.section_id) - 1,
                g.rank + case when ${uniform(31, 'm.id')} < 0.125 then 1 when ${uniform(31, 'm.id')} < 0.25 then -1 else 0 end))
                as agreed_rank
       from moderation m
       join audit_section_grade g on g.audit_revision_id = m.audit_revision_id
       join audit a on a.id = m.audit_id
       where m.status = 'completed' and a.round_id = any(:roundIds::int[])
     ), agreed as (
       select *, :codes::jsonb -> section_id ->> agreed_rank as agreed from shifted
     )
     select id, section_id, grade, case when u < 0.85 then agreed else grade end, agreed,
            case when agreed_rank = rank then 'upheld' when agreed_rank < rank then 'upgraded' else 'downgraded' end,
            case when agreed_rank <> rank then 'The evidence on the file supports a different grade.' end
     from agreed order by id, section_id`,
    { codes: JSON.stringify(codes), roundIds: idList(rounds) },
  );
}

/**
 * Remediation of the `records` latest audits whose agreed overall grade is inadequate (then requires
 * improvement, if too few): a record opened on submission, those over 30 days old mostly closed, the
 * newest awaiting their management response now and then; then the actions on them.
 */
async function addRemediation(
  knex: Knex,
  framework: Framework,
  rounds: readonly Round[],
  scale: ReportScale,
  today: string,
): Promise<void> {
  const overall = levelCodes(framework).overall as string[];
  await knex.raw(
    `insert into remediation_record (audit_id, team_id, status, findings, response_required, response_due,
                                     completion_due, response, responded_by_user_id, responded_at,
                                     repeat_inadequate, closed_at, created_at)
     with reported as (
       select a.id as audit_id, a.auditor_user_id, c.team_id, r.submitted_at,
              coalesce(mg.agreed_grade, g.grade) as grade
       from audit a
       join case_record c on c.id = a.case_id
       join audit_revision r on r.audit_id = a.id and r.status = 'submitted'
       join audit_section_grade g on g.audit_revision_id = r.id and g.section_id = 'overall'
       left join moderation m on m.audit_revision_id = r.id and m.status = 'completed'
       left join moderation_grade mg on mg.moderation_id = m.id and mg.section_id = 'overall'
       where a.round_id = any(:roundIds::int[])
     ), chosen as (
       select *, grade = :worst as inadequate from reported where grade in (:worst, :next)
       order by grade = :worst desc, submitted_at desc, audit_id limit :records::int
     ), dated as (
       select ch.*, (submitted_at at time zone 'Europe/London')::date as opened,
              :today::date - (submitted_at at time zone 'Europe/London')::date as age,
              ${uniform(41, 'audit_id')} as u, m.manager
       from chosen ch
       left join (select team_id, min(user_id) as manager from user_team group by team_id) m using (team_id)
     ), stated as (
       select *, case when age >= 30 and u < 0.75 then 'closed' else 'open' end as status,
              age < 10 and u < 0.5 as awaiting
       from dated
     )
     select audit_id, team_id, status,
            jsonb_build_array(jsonb_build_object('on', 'overall', 'sectionId', 'overall', 'grade', grade)),
            inadequate, opened + case when inadequate then 7 else 14 end,
            opened + case when inadequate then 28 else 56 end,
            case when not awaiting then 'Read the audit with the social worker; the actions below put right what it found.' end,
            case when not awaiting then coalesce(manager, auditor_user_id) end,
            case when not awaiting then least(now(), (opened + 3 + interval '10 hours') at time zone 'Europe/London') end,
            inadequate and audit_id % 12 = 0,
            case when status = 'closed' then least(now(), (opened + 40 + abs(hashint4(audit_id)) % 20 + interval '15 hours')
                                                           at time zone 'Europe/London') end,
            submitted_at + interval '1 minute'
     from stated order by submitted_at, audit_id`,
    {
      worst: overall.at(-1) as string,
      next: overall.at(-2) as string,
      records: scale.records,
      today,
      roundIds: idList(rounds),
    },
  );
  await addActions(knex, scale.actions, today);
}

/** What the loader made, counted. */
export interface ReportDataShape {
  /** The last whole month: the month's pack to make. */
  month: string;
  teams: number;
  rounds: number;
  submitted: number;
  notSubmitted: number;
  moderated: number;
  records: number;
  recordsOpen: number;
  actions: number;
  actionsByStatus: Record<string, number>;
}

/**
 * Loads `scale` of reporting data for the `scale.months` whole months to the last (today's month not
 * included), on a database with the frameworks and the demo organisation, then analyzes it.
 */
export async function loadReportData(
  knex: Knex,
  scale: ReportScale,
  today: string,
): Promise<ReportDataShape> {
  const lastMonth = addMonths(today.slice(0, 7), -1);
  const months = monthsBetween(addMonths(lastMonth, 1 - scale.months), lastMonth);
  const version = await knex('framework_version')
    .where('framework_id', FRAMEWORK_ID)
    .orderBy('id', 'desc')
    .first<{ id: number; version: string; content: Framework }>('id', 'version', 'content');
  if (!version) throw new Error(`the framework ${FRAMEWORK_ID} is not loaded`);
  const people = await peopleOf(knex);
  await addTeams(knex, scale.teams);
  const layout = await layoutOf(knex, scale);
  const rounds = await addRounds(knex, scale, layout, months, version, people);
  await addAudits(knex, layout, rounds, version.id, people);
  await addResponses(knex, version.content, rounds);
  await addModeration(knex, version.content, rounds, people);
  await addRemediation(knex, version.content, rounds, scale, today);
  await knex('report_target').insert(
    Object.entries(TARGETS).map(([measure, target]) => ({
      measure,
      target_percent: target,
      updated_by_user_id: people.admin,
    })),
  );
  await knex.raw('analyze');

  const one = async (sql: string) => (await knex.raw<{ rows: { n: number }[] }>(sql)).rows[0]?.n ?? 0;
  const actions = await knex('remediation_action')
    .groupBy('status')
    .select<{ status: string; n: number }[]>('status', knex.raw('count(*)::int as n'));
  return {
    month: lastMonth,
    teams: layout.teams,
    rounds: rounds.length,
    submitted: await one(`select count(*)::int as n from audit where status = 'submitted'`),
    notSubmitted: await one(`select count(*)::int as n from audit where status <> 'submitted'`),
    moderated: await one(`select count(*)::int as n from moderation where status = 'completed'`),
    records: await one(`select count(*)::int as n from remediation_record`),
    recordsOpen: await one(`select count(*)::int as n from remediation_record where status = 'open'`),
    actions: actions.reduce((sum, a) => sum + a.n, 0),
    actionsByStatus: Object.fromEntries(actions.map((a) => [a.status, a.n])),
  };
}
