import http from 'node:http';
import os from 'node:os';
import type { Knex } from 'knex';
import { createApp } from '../src/app';
import { scaleById } from '../src/frameworks/overall-grade';
import { rankedLevels } from '../src/frameworks/scales';
import type { Framework } from '../src/frameworks/types';
import { londonDate } from '../src/dates';
import { completeResponse } from '../src/demo/responses';
import { DEMO_USERS, identityOf, type DemoUser } from '../src/demo/organisation';
import { addMonths, monthsBetween } from '../src/reporting/months';
import { tallyRepository } from '../src/reporting/tally-repository';
import { countsRepository as counts } from '../src/reporting/counts-repository';
import { reportingRepository as repo, type ReportFilter } from '../src/reporting/repository';
import { remediationReadModel } from '../src/remediation/read-model';
import { asExecutor } from '../src/db/transaction';
import { demoAuditorIds } from './demo';
import { count, ms, percentile, signIn, timedGet } from './http';
import { sized } from './options';
import { rowsOf, type ResultRow } from './results';
import { benchServices, close, insertImport, listen, median, seconds } from './support';

/**
 * The report summary at scale: 1,000,000 submitted audits (200,000 unless --full) over the last two years across 150 teams in
 * the demo's localities (the demo's teams and more), one case each. Every audit has a submitted revision
 * (2% were reopened and submitted again a few days later) with its section grades and overall grade and
 * a response with some sixty short answers (yes / no / not applicable and choices) and free text; 10%
 * were moderated (most completed, some grades changed); the inadequate ones opened remediation records,
 * 1,000 of them closed and re-audited. Times GET /api/reports/summary for the last twelve whole months
 * and one locality, signed in as the demo's director, 50 calls after warm-up, against as the reference
 * a plain `select count(*)` of the locality's audits submitted in the same months on the same server.
 */

/** How much data: teams in all, submitted audits, days of history, response variants per framework version. */
const SCALE = {
  teams: 150,
  audits: sized(1_000_000, 200_000),
  days: 730,
  variants: 256,
  reaudits: 1000,
} as const;
/** The target: the summary's 95th percentile under 200 ms. */
const TARGET = { p95Ms: 200 } as const;
const CALLS = 50;
const WARMUP_CALLS = 5;
const REFERENCE_RUNS = 5;
const FRAMEWORK_ID = 'childrens-social-care-case-audit';
const CASE_TYPES = ['child-in-need', 'child-protection', 'child-in-care', 'care-leaver'];

/** A uniform number in [0, 1) from a column and a salt: the same data on every run. */
const uniform = (column: string, salt: number) =>
  `((abs(hashint4(${column}::int + ${salt})) % 10000) / 10000.0)`;

/** A deterministic generator for the response variants. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Ranks with 10% outstanding, 50% good, 30% requires improvement and 10% inadequate. */
const rankOf = (u: number) => (u < 0.1 ? 0 : u < 0.6 ? 1 : u < 0.9 ? 2 : 3);

/**
 * `variants` complete responses to one framework version, graded at random (overall 10% outstanding, 50%
 * good, 30% requires improvement, 10% inadequate) and answered at random: the yes / no
 * questions answered yes 70%, no 25%, not applicable 5%; choices spread over their options.
 */
function variants(framework: Framework, versionId: number) {
  const random = seeded(versionId);
  const responses = [];
  const grades = [];
  for (let n = 0; n < SCALE.variants; n++) {
    // The overall grade as it is spread, each section at it or better (the overall is the worst of them).
    const target = rankOf(random());
    const response = completeResponse(framework, () =>
      random() < 0.4 ? target : Math.min(target, rankOf(random())),
    );
    for (const section of framework.sections)
      for (const question of section.questions) {
        const answers = response.sections?.[section.id]?.answers;
        if (!answers || !(question.id in answers)) continue;
        const u = random();
        if (question.type === 'yes-no-na') answers[question.id] = u < 0.7 ? 'yes' : u < 0.95 ? 'no' : 'na';
        if (question.type === 'single-choice' && question.options)
          answers[question.id] = question.options[Math.floor(u * question.options.length)]?.value ?? '';
      }
    responses.push({ version_id: versionId, n, response: JSON.stringify(response) });
    const levels = rankedLevels(scaleById(framework, framework.overall.scale));
    const rank = (code: string) => {
      const i = levels.findIndex((l) => l.code === code);
      return i < 0 ? null : i;
    };
    for (const [sectionId, s] of Object.entries(response.sections ?? {}))
      if (s.grade)
        grades.push({ version_id: versionId, n, section_id: sectionId, grade: s.grade, rank: rank(s.grade) });
    const overall = response.overall?.grade as string;
    grades.push({ version_id: versionId, n, section_id: 'overall', grade: overall, rank: rank(overall) });
  }
  return { responses, grades };
}

/** 150 teams: the demo's and more, spread over its service areas and localities. */
async function addTeams(knex: Knex): Promise<void> {
  const existing = Number((await knex('team').count<{ n: number }[]>({ n: '*' }))[0]?.n);
  await knex.raw(
    `insert into team (code, name, kind, service_area_id, locality_id)
     select 'bench-' || g, 'Bench Team ' || g, 'family_safeguarding',
            s.ids[1 + g % array_length(s.ids, 1)], l.ids[1 + g % array_length(l.ids, 1)]
     from generate_series(1, ?) g, (select array_agg(id order by id) as ids from service_area) s,
          (select array_agg(id order by id) as ids from locality) l`,
    [SCALE.teams - existing],
  );
}

/** The response variants of both versions of the framework, in work tables dropped at the end. */
async function addVariants(
  knex: Knex,
  frameworks: { get(id: string, v: string): Promise<{ framework: Framework }> },
) {
  const versions = await knex('framework_version')
    .where('framework_id', FRAMEWORK_ID)
    .orderBy('id')
    .select<{ id: number; version: string }[]>('id', 'version');
  if (versions.length < 2) throw new Error('the bench needs two versions of the framework');
  await knex.raw(
    `create unlogged table bench_variant (version_id int, n int, response jsonb, primary key (version_id, n))`,
  );
  await knex.raw(
    `create unlogged table bench_variant_grade (version_id int, n int, section_id text, grade text, rank int)`,
  );
  for (const v of versions.slice(-2)) {
    const { responses, grades } = variants((await frameworks.get(FRAMEWORK_ID, v.version)).framework, v.id);
    await knex.batchInsert('bench_variant', responses, 100);
    await knex.batchInsert('bench_variant_grade', grades, 1000);
  }
  return versions.slice(-2).map((v) => v.id) as [number, number];
}

/**
 * One case per audit and a round a month (the older framework version the first year, the newer the
 * second), each audit submitted on a day of the last two years during office hours; 2% reopened and
 * submitted again three days later (never after now).
 */
async function addAudits(knex: Knex, [older, newer]: [number, number], today: string): Promise<void> {
  const importId = await insertImport(knex, 'summary bench', SCALE.audits);
  await knex.raw(
    `insert into case_record (import_id, case_ref, case_type, team_id, age_years)
     select :importId, 'S' || g, (:types::text[])[1 + g % 4],
            t.ids[1 + abs(hashint4(g + 5)) % array_length(t.ids, 1)], g % 18
     from generate_series(1, :audits) g, (select array_agg(id order by id) as ids from team) t`,
    { importId, audits: SCALE.audits, types: `{${CASE_TYPES.join(',')}}` },
  );
  const first = addMonths(today.slice(0, 7), -24);
  await knex.raw(
    `insert into audit_round (name, framework_version_id, import_id, plan, seed, due_date, summary)
     select 'Summary bench ' || to_char(m, 'YYYY-MM'), case when m < :first::date + interval '12 months' then :older::int else :newer::int end,
            :importId, '{}', 1, (m + interval '1 month' - interval '1 day')::date, '{}'
     from generate_series(:first::date, :today::date, interval '1 month') m`,
    { first: `${first}-01`, today, older, newer, importId },
  );
  await knex.raw(
    `create unlogged table bench_submission as
     select c.id as case_id, c.import_id,
            ((:today::date - 1 - abs(hashint4(c.id::int)) % :days)::timestamp + interval '9 hours'
              + (abs(hashint4(c.id::int + 1)) % 28800) * interval '1 second') at time zone 'Europe/London' as submitted_at
     from case_record c where c.import_id = :importId`,
    { today, days: SCALE.days, importId },
  );
  const auditors = await demoAuditorIds(knex);
  await knex.raw(
    `insert into audit (round_id, case_id, stratum, framework_version_id, auditor_user_id, status, due_date,
                        lock_version, current_revision, created_at)
     select r.id, s.case_id, 'all', r.framework_version_id, (:auditors::int[])[1 + s.case_id % 2], 'submitted',
            r.due_date, 2, case when s.case_id % 50 = 0 then 2 else 1 end, s.submitted_at - interval '20 days'
     from bench_submission s
     join audit_round r on r.name = 'Summary bench ' || to_char(s.submitted_at at time zone 'Europe/London', 'YYYY-MM')
     order by s.submitted_at`,
    { auditors: `{${auditors.join(',')}}` },
  );
  await knex.raw(
    `insert into audit_revision (audit_id, revision, status, response, content_hash, overall_grade,
                                 created_by_user_id, created_at, updated_at, submitted_by_user_id, submitted_at)
     with revisions as (
       select a.id as audit_id, rev, a.framework_version_id, a.auditor_user_id,
              least(s.submitted_at + (rev - 1) * interval '3 days', now() - interval '1 minute') as submitted_at
       from audit a join bench_submission s on s.case_id = a.case_id
       cross join lateral generate_series(1, a.current_revision) rev
     )
     select rv.audit_id, rv.rev, 'submitted', v.response, 'bench', g.grade, rv.auditor_user_id,
            rv.submitted_at - interval '2 days', rv.submitted_at, rv.auditor_user_id, rv.submitted_at
     from revisions rv
     join bench_variant v on v.version_id = rv.framework_version_id
      and v.n = abs(hashint4(rv.audit_id * 2 + rv.rev)) % ${SCALE.variants}
     join bench_variant_grade g on g.version_id = v.version_id and g.n = v.n and g.section_id = 'overall'
     order by rv.submitted_at`,
  );
  await knex.raw(
    `insert into audit_section_grade (audit_revision_id, section_id, grade, rank)
     select r.id, g.section_id, g.grade, g.rank
     from audit_revision r join audit a on a.id = r.audit_id
     join bench_variant_grade g on g.version_id = a.framework_version_id
      and g.n = abs(hashint4(r.audit_id * 2 + r.revision)) % ${SCALE.variants}`,
  );
}

/**
 * 10% of the latest revisions moderated: nine in ten completed (the moderator's own grade differs for one
 * section in five, and the agreed grade follows it half the time), the rest still queued.
 */
async function addModerations(knex: Knex): Promise<void> {
  const [moderator] = await knex('app_user')
    .where('email', identityOf(DEMO_USERS[5] as DemoUser).email)
    .pluck<number[]>('id');
  await knex.raw(
    `insert into moderation (audit_id, audit_revision_id, reason, blind, status, moderator_user_id, graded_at,
                             completed_at, created_at)
     select r.audit_id, r.id, 'random', true, case when ${uniform('r.id', 21)} < 0.9 then 'completed' else 'queued' end,
            :moderator, r.submitted_at + interval '5 days',
            case when ${uniform('r.id', 21)} < 0.9 then r.submitted_at + interval '6 days' end, r.submitted_at
     from audit a join audit_revision r on r.audit_id = a.id and r.revision = a.current_revision
     where ${uniform('r.id', 20)} < 0.1`,
    { moderator },
  );
  await knex.raw(
    `insert into moderation_grade (moderation_id, section_id, auditor_grade, moderator_grade, agreed_grade, outcome)
     with graded as (
       select m.id, g.section_id, g.grade, g.rank,
              case when ${uniform('m.id', 22)} < 0.2
                then least(3, greatest(0, g.rank + case when m.id % 2 = 0 then 1 else -1 end)) else g.rank end as own,
              ${uniform('m.id', 23)} < 0.5 as follows
       from moderation m join audit_section_grade g on g.audit_revision_id = m.audit_revision_id
       where m.status = 'completed'
     ), named as (
       select *, (array['outstanding','good','requires-improvement','inadequate'])[1 + own] as own_grade from graded
     )
     select id, section_id, grade, own_grade, case when follows then own_grade else grade end,
            case when not follows or own = rank then 'upheld' when own > rank then 'downgraded' else 'upgraded' end
     from named`,
  );
}

/**
 * A remediation record for each inadequate latest revision (closed when submitted over four months ago,
 * else open), and a re-audit of 1,000 of the closed ones, submitted 60 days after the audit.
 */
async function addRemediation(knex: Knex, newer: number): Promise<void> {
  await knex.raw(
    `insert into remediation_record (audit_id, team_id, status, findings, response_required, response_due,
                                     completion_due, closed_at, created_at)
     select a.id, c.team_id, case when r.submitted_at < now() - interval '4 months' then 'closed' else 'open' end,
            '[{"on":"overall","sectionId":"overall","grade":"inadequate","worst":true}]', false,
            (r.submitted_at at time zone 'Europe/London')::date + 7, (r.submitted_at at time zone 'Europe/London')::date + 28,
            case when r.submitted_at < now() - interval '4 months' then r.submitted_at + interval '50 days' end,
            r.submitted_at + interval '1 hour'
     from audit a join case_record c on c.id = a.case_id
     join audit_revision r on r.audit_id = a.id and r.revision = a.current_revision
     where r.overall_grade = 'inadequate'`,
  );
  await knex.raw(
    `insert into audit (remediation_record_id, case_id, stratum, framework_version_id, auditor_user_id, status,
                        due_date, lock_version, current_revision, created_at)
     select rr.id, a.case_id, 'reaudit', :newer, a.auditor_user_id, 'submitted',
            (rr.closed_at at time zone 'Europe/London')::date + 10, 2, 1, rr.closed_at
     from remediation_record rr join audit a on a.id = rr.audit_id
     where rr.status = 'closed' and rr.closed_at < now() - interval '20 days'
     order by rr.id limit :reaudits`,
    { newer, reaudits: SCALE.reaudits },
  );
  await knex.raw(
    `insert into audit_revision (audit_id, revision, status, response, content_hash, overall_grade,
                                 created_by_user_id, created_at, updated_at, submitted_by_user_id, submitted_at)
     select a.id, 1, 'submitted', v.response, 'bench', g.grade, a.auditor_user_id, a.created_at, a.created_at + interval '10 days',
            a.auditor_user_id, a.created_at + interval '10 days'
     from audit a
     join bench_variant v on v.version_id = a.framework_version_id and v.n = abs(hashint4(a.id)) % ${SCALE.variants}
     join bench_variant_grade g on g.version_id = v.version_id and g.n = v.n and g.section_id = 'overall'
     where a.remediation_record_id is not null`,
  );
  await knex.raw(
    `insert into audit_section_grade (audit_revision_id, section_id, grade, rank)
     select r.id, g.section_id, g.grade, g.rank
     from audit a join audit_revision r on r.audit_id = a.id
     join bench_variant_grade g on g.version_id = a.framework_version_id and g.n = abs(hashint4(a.id)) % ${SCALE.variants}
     where a.remediation_record_id is not null`,
  );
}

/** Milliseconds for a plain count of the locality's audits submitted in the period: the reference. */
async function referenceCount(knex: Knex, localityId: number, from: string, to: string) {
  const started = performance.now();
  const { rows } = await knex.raw<{ rows: { n: number }[] }>(
    `select count(*)::int as n from audit a
     join audit_revision r on r.audit_id = a.id and r.revision = a.current_revision
     join case_record c on c.id = a.case_id join team t on t.id = c.team_id
     where t.locality_id = :localityId
       and r.submitted_at >= :from::timestamp at time zone 'Europe/London'
       and r.submitted_at < (:to::date + 1)::timestamp at time zone 'Europe/London'`,
    { localityId, from, to },
  );
  return { n: rows[0]?.n as number, ms: performance.now() - started };
}

/** Milliseconds of each query the summary makes, once each after the calls (the median of three). */
async function partTimes(knex: Knex, filter: ReportFilter, today: string): Promise<[string, number][]> {
  const ex = asExecutor(knex);
  const trend = { ...filter, from: `${addMonths(filter.to.slice(0, 7), -23)}-01` };
  const teams = (await repo.teams(ex)).filter((t) => t.localityId === filter.localityId).map((t) => t.id);
  const queries: [string, () => Promise<unknown>][] = [
    ['gradeViews', () => counts.gradeViews(ex, filter)],
    ['answerCounts', () => counts.answerCounts(ex, filter)],
    ['reauditCounts', () => repo.reauditCounts(ex, filter)],
    ['planCounts', () => counts.planCounts(ex, filter, today)],
    ['monthlyOverall, 24 months', () => counts.monthlyOverall(ex, trend)],
    [
      'remediation reportFigures',
      () => remediationReadModel.reportFigures(ex, { kind: 'teams', teamIds: teams }, filter, today),
    ],
  ];
  const times: [string, number][] = [];
  for (const [name, query] of queries) {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await query();
      runs.push(performance.now() - started);
    }
    times.push([name, median(runs)]);
  }
  return times;
}

export async function benchSummary(): Promise<ResultRow[]> {
  const bench = await benchServices();
  const { knex, infrastructure, services } = bench;
  let server: http.Server | undefined;
  try {
    const director = await services.users.findByEmail(identityOf(DEMO_USERS[6] as DemoUser).email);
    if (!director) throw new Error('the demo data is not as expected');
    const today = londonDate();
    const steps: [string, number][] = [];
    const step = async (name: string, work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      steps.push([name, performance.now() - started]);
    };

    const built = performance.now();
    await step('teams', () => addTeams(knex));
    const versions = await addVariants(knex, services.frameworks);
    await step('audits', () => addAudits(knex, versions, today));
    await step('moderation', () => addModerations(knex));
    await step('remediation', () => addRemediation(knex, versions[1]));
    await knex.raw('drop table bench_submission, bench_variant, bench_variant_grade');
    await step('analyze', () => knex.raw('analyze'));
    const buildMs = performance.now() - built;

    const one = async <T>(sql: string) => (await knex.raw<{ rows: T[] }>(sql)).rows[0] as T;
    const shape = await one<Record<string, number>>(
      `select (select count(*) from team)::int as teams,
              (select count(*) from audit where status = 'submitted')::int as audits,
              (select count(*) from audit_revision)::int as revisions,
              (select count(*) from audit_section_grade)::int as grades,
              (select count(*) from moderation)::int as moderations,
              (select count(*) from moderation where status = 'completed')::int as completed,
              (select count(*) from remediation_record)::int as records,
              (select count(*) from audit where remediation_record_id is not null)::int as reaudits,
              (select pg_total_relation_size('audit_revision') / 1048576)::int as "revisionMb"`,
    );
    const [locality] = await knex('locality as l')
      .join('team as t', 't.locality_id', 'l.id')
      .groupBy('l.id', 'l.name')
      .orderBy('l.id')
      .limit(1)
      .select<{ id: number; name: string; teams: number }[]>(
        'l.id',
        'l.name',
        knex.raw('count(*)::int as teams'),
      );
    if (!locality) throw new Error('the demo has no localities');
    const last = addMonths(today.slice(0, 7), -1);
    const from = `${addMonths(last, -11)}-01`;
    const to = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 0))
      .toISOString()
      .slice(0, 10);

    const reference = [];
    let inPeriod = 0;
    for (let i = 0; i < REFERENCE_RUNS; i++) {
      const { n, ms: took } = await referenceCount(knex, locality.id, from, to);
      inPeriod = n;
      reference.push(took);
    }
    const referenceMs = median(reference);

    // The first report after loading computes the tallies of the whole months it reads (24, for the trends).
    const computing = performance.now();
    await tallyRepository.ensure(asExecutor(knex), monthsBetween(addMonths(last, -23), last));
    const computeMs = performance.now() - computing;

    const app = await listen(createApp(infrastructure, services));
    server = app.server;
    const cookie = await signIn(app.url, director.id);
    const url = `${app.url}/api/reports/summary?from=${from}&to=${to}&locality=${locality.id}`;
    const calls: number[] = [];
    for (let i = 0; i < WARMUP_CALLS + CALLS; i++) {
      const took = await timedGet(url, cookie);
      if (i >= WARMUP_CALLS) calls.push(took);
    }
    const parts = await partTimes(knex, { from, to, scope: { kind: 'all' }, localityId: locality.id }, today);
    const [p50, p95] = [percentile(calls, 50), percentile(calls, 95)];

    console.log(
      `\nReport summary at scale (Node ${process.version}, ${os.cpus().length} CPUs, PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}; data built in ${seconds(buildMs)}: ${steps.map(([n, t]) => `${n} ${seconds(t)}`).join(', ')}): ` +
        `${count(shape.teams as number)} teams; ${count(shape.audits as number)} submitted audits over ${SCALE.days} days ` +
        `(${count(shape.revisions as number)} submitted revisions, ${count(shape.revisionMb as number)} MB; ${count(shape.grades as number)} section grades); ` +
        `${count(shape.moderations as number)} moderated (${count(shape.completed as number)} completed); ${count(shape.records as number)} remediation records, ${count(shape.reaudits as number)} re-audits`,
    );
    console.log(
      `  GET /api/reports/summary?from=${from}&to=${to}&locality=${locality.id} (${locality.name}, ${locality.teams} teams, ${count(inPeriod)} audits in the period) as ${director.displayName}; ${CALLS} calls after ${WARMUP_CALLS} of warm-up`,
    );
    const widths = [44, 9, 50, 8, 10, 3];
    const line = (cells: string[]) =>
      console.log(
        `  ${cells.map((cell, i) => (i === 0 || i === 2 || i === 4 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')}`,
      );
    const ref = `select count(*) of the locality's period: ${ms(referenceMs)}`;
    line(['figure', 'value', 'reference', 'ratio', 'target', 'met']);
    line(['tallies of 24 whole months computed', seconds(computeMs), '', '', '', '']);
    for (const [name, took] of parts)
      line([`  ${name}`, ms(took), ref, `${(took / referenceMs).toFixed(2)}x`, '', '']);
    line(['report summary, p50', ms(p50), ref, `${(p50 / referenceMs).toFixed(2)}x`, '', '']);
    line([
      'report summary, p95',
      ms(p95),
      ref,
      `${(p95 / referenceMs).toFixed(2)}x`,
      `< ${TARGET.p95Ms} ms`,
      p95 < TARGET.p95Ms ? 'yes' : 'NO',
    ]);
    const figure = rowsOf('summary');
    const size = `${count(SCALE.audits)} audits`;
    const against = { reference: referenceMs };
    return [
      figure(`data built, ${size}`, buildMs / 1000, 's'),
      figure('tallies of 24 whole months computed', computeMs / 1000, 's'),
      ...parts.map(([name, took]) => figure(`query: ${name}`, took, 'ms', against)),
      figure(`report summary, a year and a locality, p50 of ${CALLS}, ${size}`, p50, 'ms', against),
      figure(`report summary, p95 of ${CALLS}`, p95, 'ms', {
        ...against,
        target: `< ${TARGET.p95Ms} ms`,
        met: p95 < TARGET.p95Ms,
      }),
    ];
  } finally {
    if (server) await close(server);
    await bench.close();
  }
}
