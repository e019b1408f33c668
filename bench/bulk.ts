import type { Knex } from 'knex';

/** Data for the benchmarks, made in SQL in bulk: the same on every run (no random(), hashes of row numbers). */

/** A uniform number in [0, 1) from a row number (or another integer column) and a salt: the same data on every run. */
export const uniform = (salt: number, of = 'g') =>
  `((abs(hashint4(${of}::int + ${salt})) % 10000) / 10000.0)`;

/**
 * Teams up to `total` in all (the demo's and more, spread over its service areas), five staff each, and a
 * team manager user for every team without one.
 */
export async function addTeams(knex: Knex, total: number): Promise<void> {
  const existing = Number((await knex('team').count<{ n: number }[]>({ n: '*' }))[0]?.n);
  await knex.raw(
    `insert into team (code, name, kind, service_area_id)
     select 'bench-' || g, 'Bench Team ' || g, 'family_safeguarding', s.ids[1 + g % array_length(s.ids, 1)]
     from generate_series(1, ?) g, (select array_agg(id order by id) as ids from service_area) s`,
    [Math.max(0, total - existing)],
  );
  await knex.raw(
    `insert into person (display_name, job_title, team_id, external_ref)
     select 'Bench Staff ' || t.id || '-' || m, case m when 0 then 'Team Manager' else 'Social Worker' end,
            t.id, 'BENCH-STAFF-' || t.id || '-' || m
     from team t, generate_series(0, 4) m where t.code like 'bench-%'`,
  );
  await knex.raw(
    `insert into app_user (email, display_name, person_id)
     select 'bench.manager.' || t.id || '@demoshire.example', p.display_name, p.id
     from team t
     join lateral (select id, display_name from person where team_id = t.id order by id limit 1) p on true
     where not exists (select 1 from user_team ut where ut.team_id = t.id)
       and not exists (select 1 from app_user u where u.person_id = p.id)`,
  );
  await knex.raw(
    `insert into user_team (user_id, team_id)
     select u.id, p.team_id from app_user u join person p on p.id = u.person_id
     where u.email like 'bench.manager.%'`,
  );
  await knex.raw(
    `insert into user_role (user_id, role_code)
     select id, 'team_manager' from app_user where email like 'bench.manager.%'`,
  );
}

/**
 * `count` actions on the remediation records that have a response (or need none), at least one each, the rest at
 * random: due 10 to 50 days after the record opened, owned by the case's team's staff. A closed record's
 * are verified; an open record's are mostly open or in progress while not yet due, mostly completed or
 * verified once due, with 15% of those past due still unfinished (overdue).
 */
export async function addActions(knex: Knex, count: number, today: string): Promise<void> {
  await knex.raw(
    `insert into remediation_action (record_id, description, intended_difference, kind, owner_person_id, due_date,
                                     status, evidence, verification_note, verified_by_user_id, verified_at,
                                     created_by_user_id, created_at, updated_at)
     with eligible as (
       select array_agg(id order by id) as ids, count(*)::int as n from remediation_record
       where status <> 'withdrawn' and not (response_required and response is null)
     ), chosen as (
       select g, case when g <= e.n then e.ids[g] else e.ids[1 + abs(hashint4(g)) % e.n] end as record_id
       from generate_series(1, :actions) g, eligible e
     ), planned as (
       select ch.g, r.id as record_id, r.status as record_status, r.created_at, a.auditor_user_id,
              coalesce(r.responded_by_user_id, m.manager, a.auditor_user_id) as creator,
              (select array_agg(p.id order by p.id) from person p where p.team_id = r.team_id) as staff,
              (r.created_at at time zone 'Europe/London')::date + 10 + abs(hashint4(ch.g + 7)) % 41 as due,
              ${uniform(11)} as u
       from chosen ch
       join remediation_record r on r.id = ch.record_id
       join audit a on a.id = r.audit_id
       left join (select team_id, min(user_id) as manager from user_team group by team_id) m on m.team_id = r.team_id
     ), stated as (
       select *, case when record_status = 'closed' then 'verified'
                      when due >= :today then case when u < 0.45 then 'open' when u < 0.85 then 'in_progress' else 'completed' end
                      else case when u < 0.08 then 'open' when u < 0.15 then 'in_progress' when u < 0.5 then 'completed' else 'verified' end
                 end as status
       from planned
     )
     select record_id,
            (array['Visit the child at home and see them alone; record their wishes and feelings.',
                   'Hold a case discussion in supervision and write a chronology of the last 12 months.',
                   'Upload the missing strategy discussion notes and the signed safety plan.'])[1 + g % 3],
            (array['The child’s own view shapes the plan.',
                   'Patterns of harm are seen together, so the plan responds to them.',
                   'Anyone picking up the case sees at once what keeps the child safe.'])[1 + g % 3],
            case when g % 3 = 2 then 'compliance' else 'practice' end,
            staff[1 + g % array_length(staff, 1)],
            due, status,
            case when status in ('completed', 'verified') then 'Recorded on the case file.' end,
            case when status = 'verified' then 'Checked the case file.' end,
            case when status = 'verified' then auditor_user_id end,
            case when status = 'verified' then least(now(), created_at + interval '40 days') end,
            creator, created_at + interval '4 days', created_at + interval '4 days'
     from stated`,
    { actions: count, today },
  );
}
