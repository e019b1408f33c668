import { isDeepStrictEqual } from 'node:util';
import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { mayUse, type Area } from '../../src/auth/access';
import { ROLES, type Role } from '../../src/auth/roles';
import { londonDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { fillPath, listRoutes } from '../support/routes';

/**
 * Case-level access, for every combination of two roles (and each role alone) with each kind of team
 * membership, on every route that serves a page or API read. Three cases with submitted audits: one in team A
 * (Assessment North, Front Door service area), one in team B (Family Safeguarding South 1, Safeguarding), and
 * C, a second case of team A that its case list marks restricted. A user may manage team A, lead team A's
 * service area, or neither, and may have been granted C; nobody but an admin reaches team B, and C is as
 * absent to everyone but admins and those granted it.
 */

let ctx: TestContext;
type Side = 'A' | 'B' | 'C';
const SIDES = ['A', 'B', 'C'] as const;
interface Fixture {
  importId: number;
  roundId: number;
  calibrationId: number;
  teamId: Record<Side, number>;
  auditId: Record<Side, number>;
  caseRef: Record<Side, string>;
  /** The escalation of each side's concern to its team manager, and to its head of service. */
  escalationId: Record<Side, number>;
  headEscalationId: Record<Side, number>;
  /** The remediation record of each side's audit (its grades made inadequate for the purpose). */
  remediationId: Record<Side, number>;
  /** An email written for the concerns (they carry no case content). */
  notificationId: number;
  /** A board pack of the whole service. */
  packId: number;
  /** A re-audit of each side's case, as a record's closing schedules one (nobody allocated). */
  reauditId: Record<Side, number>;
}
let f: Fixture;

const WHOLE_SERVICE = { roles: ['director' as const], managedTeamIds: [], serviceAreaTeamIds: [] };

/** C is a second case of team A that the case list marks restricted. */
const TEAM: Record<Side, string> = {
  A: 'assessment-north',
  B: 'family-safeguarding-south-1',
  C: 'assessment-north',
};

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  const knex = ctx.db.knex;
  const { roundId, auditIds } = await roundForAuditor(ctx.services, {
    name: 'Scope round',
    perTeam: 2,
    moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
  });
  const audits = await knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .select('a.id', 'c.case_ref as caseRef', 't.code', 't.id as teamId', 'c.import_id as importId');
  const inTeamA = audits.filter((a) => a.code === TEAM.A).sort((a, b) => a.id - b.id);
  const on = (side: Side) =>
    side === 'C' ? inTeamA[1] : side === 'A' ? inTeamA[0] : audits.find((a) => a.code === TEAM[side]);
  // C's record is restricted, as a case list marks it, and granted to its auditor only.
  await knex('case_record')
    .where({
      id: knex('audit')
        .where({ id: on('C').id })
        .select('case_id'),
    })
    .update({ restricted: true });
  await knex('restricted_case_access').insert({
    case_ref: on('C').caseRef,
    user_id: (await ctx.services.users.findByEmail(DEMO.auditor))!.id,
    reason: 'Audits it',
  });
  const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
  const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  for (const side of SIDES) {
    await ctx.services.audits.submit(
      on(side).id,
      { version: 0, response: completeResponse(framework, () => 1) },
      auditor!,
      SYSTEM_ACTOR,
    );
  }
  // A concern on each: A's head of service is no user (it reaches nobody), B's team manager and head are.
  const escalationOf = async (side: Side, role: string) =>
    (
      await knex('escalation as e')
        .join('safeguarding_concern as s', 's.id', 'e.concern_id')
        .where({ 's.audit_id': on(side).id, 'e.recipient_role': role })
        .first('e.id')
    ).id as number;
  for (const side of SIDES)
    await ctx.services.audits.raiseConcern(on(side).id, `Concern on ${side}`, auditor!, SYSTEM_ACTOR);
  const auditors = await ctx.services.users.listWithRole('auditor');
  const calibrationId = await ctx.services.calibration.create(
    {
      name: 'Scope calibration',
      caseRef: on('A').caseRef,
      frameworkId: FRAMEWORK.id,
      frameworkVersion: FRAMEWORK.version,
      dueDate: '2099-01-31',
      auditorUserIds: auditors.filter((u) => u.managedTeamIds.length === 0).map((u) => u.id),
    },
    SYSTEM_ACTOR,
  );
  // Each audit's record, as an inadequate overall grade opens it at submission.
  const remediationOf = async (side: Side) => {
    await ctx.infrastructure.db.transaction((tx) =>
      ctx.services.remediation.reconsider(
        tx,
        {
          auditId: on(side).id,
          framework,
          grades: [{ sectionId: 'overall', grade: 'inadequate' }],
          cause: 'submission',
        },
        SYSTEM_ACTOR,
      ),
    );
    return (
      await knex('remediation_record')
        .where({ audit_id: on(side).id })
        .first('id')
    ).id as number;
  };
  const bySide = async <T>(of: (side: Side) => Promise<T> | T) =>
    ({ A: await of('A'), B: await of('B'), C: await of('C') }) as Record<Side, T>;
  const remediationId = await bySide(remediationOf);
  // The records stay open (the Actions page lists them): their re-audits are written as closing writes them.
  const reauditOf = async (side: Side) =>
    (
      await knex('audit')
        .insert({
          remediation_record_id: remediationId[side],
          case_id: knex('audit')
            .where({ id: on(side).id })
            .select('case_id'),
          stratum: 'reaudit',
          framework_version_id: knex('audit')
            .where({ id: on(side).id })
            .select('framework_version_id'),
          status: 'unallocated',
          due_date: '2099-03-31',
        })
        .returning('id')
    )[0].id as number;
  f = {
    packId: (await ctx.services.packs.make(WHOLE_SERVICE, londonDate().slice(0, 7), SYSTEM_ACTOR)).id,
    notificationId: (await knex('notification').orderBy('id').first<{ id: number }>('id')).id,
    remediationId,
    reauditId: await bySide(reauditOf),
    importId: on('A').importId,
    roundId,
    calibrationId,
    teamId: await bySide((side) => on(side).teamId as number),
    auditId: await bySide((side) => on(side).id as number),
    caseRef: await bySide((side) => on(side).caseRef as string),
    escalationId: await bySide((side) => escalationOf(side, 'team_manager')),
    headEscalationId: await bySide((side) => escalationOf(side, 'head_of_service')),
  };
});
afterAll(() => ctx.close());

type Membership = 'none' | 'manages A' | 'leads A’s area' | 'granted C' | 'manages A, granted C';
interface Probe {
  roles: Role[];
  membership: Membership;
}

const managesA = (p: Probe) => p.membership.startsWith('manages A');
const grantedC = (p: Probe) => p.membership.endsWith('granted C');

/** Whether the user may see team X's records (C's team is A's): the rule, written out independently of the code. */
function seesTeamOf(p: Probe, side: Side): boolean {
  if (p.roles.includes('admin')) return true;
  if (side === 'B') return false;
  return (
    (p.roles.includes('team_manager') && managesA(p)) ||
    (p.roles.includes('head_of_service') && p.membership === 'leads A’s area')
  );
}

/** Whether the user may see one case's records: its team's, and for restricted C, only if granted (or admin). */
function seesTeam(p: Probe, side: Side): boolean {
  if (side === 'C' && !p.roles.includes('admin') && !grantedC(p)) return false;
  return seesTeamOf(p, side);
}

/** The cases of the side's team the user sees: a list filtered to that team shows these. */
const teamCases = (p: Probe, side: Side): Side[] =>
  SIDES.filter((other) => TEAM[other] === TEAM[side] && seesTeam(p, other));

const has = (p: Probe, area: Area) => mayUse(p.roles, area);

/** What a route should answer for a user asking about one side: a status, and which cases it shows. */
type Expect = { status: number | 'redirect-or-ok'; shows: Side[] };
type Rule = (p: Probe, side: Side) => Expect;

const refused: Expect = { status: 403, shows: [] };
const areaThen =
  (area: Area, then: Rule): Rule =>
  (p, side) =>
    has(p, area) ? then(p, side) : refused;
/** A list filtered to the side's team: 200 either way, the case shown only within scope. */
const scopedList: Rule = (p, side) => ({ status: 200, shows: teamCases(p, side) });
/** One record of the side's team: not found outside scope, so ids cannot be probed. */
const scopedRecord: Rule = (p, side) =>
  seesTeam(p, side) ? { status: 200, shows: [side] } : { status: 404, shows: [] };
/**
 * Remediation records: those of the teams in scope. The probes graded no audit and no action waits for a
 * moderator's verification, so being an auditor or a moderator shows none.
 */
const remediationList: Rule = (p) => ({
  status: 200,
  shows: SIDES.filter((side) => seesTeam(p, side)),
});
/** A team's page lists its staff and its submitted audits: of the cases the user sees. */
const teamPage: Rule = (p, side) =>
  seesTeamOf(p, side) ? { status: 200, shows: teamCases(p, side) } : { status: 404, shows: [] };
/** A page of an audit that only its auditor edits: readers are sent to the read view. */
const auditSubPage: Rule = (p, side) =>
  seesTeam(p, side) ? { status: 'redirect-or-ok', shows: [] } : { status: 404, shows: [] };
const adminOnly =
  (shows: Side[]): Rule =>
  (p) =>
    p.roles.includes('admin') ? { status: 200, shows } : refused;
/**
 * A moderator has a conflict of interest with cases A and C when they manage their team or lead its service
 * area, and with restricted C unless they were granted it (or are an admin).
 */
const conflictedWith = (p: Probe, side: Side) =>
  (side !== 'B' && (managesA(p) || p.membership === 'leads A’s area')) ||
  (side === 'C' && !grantedC(p) && !p.roles.includes('admin'));
/** One moderation: any moderator free of a conflict of interest; to others it does not exist. */
const moderation: Rule = (p, side) => {
  if (!has(p, 'moderation')) return refused;
  return conflictedWith(p, side) ? { status: 404, shows: [] } : { status: 200, shows: [side] };
};
/** The moderation queue: every moderation the moderator is free to take. */
const moderationQueue: Rule = (p) =>
  has(p, 'moderation') ? { status: 200, shows: SIDES.filter((side) => !conflictedWith(p, side)) } : refused;
/** Calibration exercises are run by moderators and admins, whatever the case's team (case A here). */
const calibration: Rule = areaThen('calibration', () => ({ status: 200, shows: ['A'] }));
/**
 * An escalation: only its recipient and admins know it exists. The probes are made after the concerns were
 * raised, so none is a recipient: admins see it, other users of Escalations are told it does not exist.
 */
const escalation: Rule = (p, side) => {
  if (!has(p, 'escalations')) return refused;
  return p.roles.includes('admin') ? { status: 200, shows: [side] } : { status: 404, shows: [] };
};
/**
 * A board pack of the whole service: for those whose aggregate scope is the whole service (directors and
 * admins); to other users of reports it does not exist.
 */
const wholeServicePack: Rule = (p) => {
  if (!has(p, 'reports')) return refused;
  return p.roles.includes('director') || p.roles.includes('admin')
    ? { status: 200, shows: [] }
    : { status: 404, shows: [] };
};
/** An export of audit results: one row per submitted audit of the teams in scope, for those who may export. */
const exportAll: Rule = (p) =>
  has(p, 'exports') ? { status: 200, shows: SIDES.filter((side) => seesTeam(p, side)) } : refused;
/** ...narrowed to one side's team: a team outside scope is a bad filter (400), not an empty file. */
const exportTeam: Rule = (p, side) => {
  if (!has(p, 'exports')) return refused;
  return seesTeamOf(p, side) ? { status: 200, shows: teamCases(p, side) } : { status: 400, shows: [] };
};
/** The inbox: the probes receive nothing; admins read every escalation. */
const escalationList: Rule = (p) =>
  has(p, 'escalations') ? { status: 200, shows: p.roles.includes('admin') ? [...SIDES] : [] } : refused;
/** Choosing who receives a concern: A's head of service escalation reached nobody, B's did (a redirect). */
const recipientChoice: Rule = (p, side) =>
  p.roles.includes('admin') ? { status: side === 'B' ? 302 : 200, shows: [side] } : refused;
/** A restricted case's page (only C is one): admins only; for an unrestricted case there is none. */
const restrictedCase: Rule = (p, side) => {
  if (!p.roles.includes('admin')) return refused;
  return side === 'C' ? { status: 200, shows: ['C'] } : { status: 404, shows: [] };
};

/** A round's progress: admins see every audit, managers their teams' audits. */
const roundPage: Rule = (p) =>
  has(p, 'roundProgress') ? { status: 200, shows: SIDES.filter((side) => seesTeam(p, side)) } : refused;

/** Routes that never show case-level records: only their status is role-gated. */
const noCaseData: Rule = () => ({ status: 'redirect-or-ok', shows: [] });

type Spec = { path: (side: Side) => string; rule: Rule } | 'no case data';
const audit = (suffix: string, rule: Rule): Spec => ({
  path: (s) => `/audits/${f.auditId[s]}${suffix}`,
  rule,
});

/** Every GET route, classified. A new route fails the test until it is added here. */
const GET_RULES: Record<string, Spec> = {
  '/assets/govuk-frontend.min.js': 'no case data',
  '/ping': 'no case data',
  '/health': 'no case data',
  '/info': 'no case data',
  '/accessibility': 'no case data',
  '/privacy': 'no case data',
  '/sign-in': 'no case data',
  '/api/me': 'no case data',
  '/api/frameworks': 'no case data',
  '/api/frameworks/:id/versions/:version': 'no case data',
  '/api/frameworks/:id/versions/:version/response-schema': 'no case data',
  '/api/frameworks/:id/versions/:version/export': 'no case data',
  '/frameworks': 'no case data',
  '/frameworks/upload': 'no case data',
  '/frameworks/:id': 'no case data',
  '/frameworks/:id/versions/:version': 'no case data',
  '/frameworks/:id/versions/:version/download.:format': 'no case data',
  '/': 'no case data',
  '/actions': { path: () => '/actions', rule: areaThen('actions', remediationList) },
  '/api/remediations': { path: () => '/api/remediations', rule: areaThen('actions', remediationList) },
  '/remediations/:id': {
    path: (s) => `/remediations/${f.remediationId[s]}`,
    rule: areaThen('actions', scopedRecord),
  },
  '/api/remediations/:id': {
    path: (s) => `/api/remediations/${f.remediationId[s]}`,
    rule: areaThen('actions', scopedRecord),
  },
  '/reports': 'no case data',
  '/agreement': 'no case data',
  '/api/moderation/statistics': 'no case data',
  '/admin': 'no case data',
  '/admin/users': 'no case data',
  '/rounds/new': 'no case data',
  '/rounds/new/check': 'no case data',
  '/rounds/new/:step': 'no case data',
  '/calibration/new': 'no case data',
  '/my-audits': 'no case data',
  // Emails carry no case content (src/notifications/messages.ts).
  '/account/notifications': 'no case data',
  // Reports are aggregates: counts under five withheld, never a child-level row.
  '/api/reports/summary': 'no case data',
  '/api/report-targets': 'no case data',
  '/reports/packs': 'no case data',
  '/api/packs': 'no case data',
  '/reports/packs/:id.pdf': { path: () => `/reports/packs/${f.packId}.pdf`, rule: wholeServicePack },
  '/api/packs/:id.pdf': { path: () => `/api/packs/${f.packId}.pdf`, rule: wholeServicePack },
  '/reports/packs/:id.html': { path: () => `/reports/packs/${f.packId}.html`, rule: wholeServicePack },
  '/api/packs/:id.html': { path: () => `/api/packs/${f.packId}.html`, rule: wholeServicePack },
  '/reports/exports': {
    path: () => `/reports/exports?framework=${FRAMEWORK.id}&format=csv`,
    rule: exportAll,
  },
  '/api/exports/audit-results.:format': {
    path: (s) => `/api/exports/audit-results.csv?framework=${FRAMEWORK.id}&team=${f.teamId[s]}`,
    rule: exportTeam,
  },
  '/admin/outbox/:id': { path: () => `/admin/outbox/${f.notificationId}`, rule: adminOnly([]) },
  '/api/my-audits': 'no case data',
  '/moderation': { path: () => '/moderation', rule: moderationQueue },
  '/api/moderation/queue': { path: () => '/api/moderation/queue', rule: moderationQueue },
  '/api/audits/:id/moderation': { path: (s) => `/api/audits/${f.auditId[s]}/moderation`, rule: moderation },
  '/moderation/audits/:id': { path: (s) => `/moderation/audits/${f.auditId[s]}`, rule: moderation },
  '/api/cases': {
    path: (s) => `/api/cases?import=${f.importId}&team=${f.teamId[s]}`,
    rule: areaThen('cases', scopedList),
  },
  '/cases': {
    path: (s) => `/cases?import=${f.importId}&team=${f.teamId[s]}`,
    rule: areaThen('cases', scopedList),
  },
  '/teams': { path: () => '/teams', rule: areaThen('teams', () => ({ status: 200, shows: [] })) },
  '/teams/:id': { path: (s) => `/teams/${f.teamId[s]}`, rule: areaThen('teams', teamPage) },
  '/api/audits/:id': { path: (s) => `/api/audits/${f.auditId[s]}`, rule: scopedRecord },
  '/audits/:id': audit('', scopedRecord),
  '/audits/:id/sections/:sectionId': audit('/sections/recording', auditSubPage),
  '/audits/:id/overall': audit('/overall', auditSubPage),
  '/audits/:id/check': audit('/check', auditSubPage),
  '/audits/:id/safeguarding': audit('/safeguarding', scopedRecord),
  '/api/case-imports': { path: () => '/api/case-imports', rule: adminOnly([]) },
  '/api/case-imports/:id': { path: () => `/api/case-imports/${f.importId}`, rule: adminOnly([]) },
  '/cases/imports': { path: () => '/cases/imports', rule: adminOnly([]) },
  '/cases/imports/new': { path: () => '/cases/imports/new', rule: adminOnly([]) },
  // An upload waiting for its mapping is its uploader's alone: to anyone else it does not exist.
  '/cases/imports/mapping/:pendingId': {
    path: () => '/cases/imports/mapping/00000000-0000-4000-8000-000000000000',
    rule: (p) => (p.roles.includes('admin') ? { status: 404, shows: [] } : refused),
  },
  '/cases/imports/:id': { path: () => `/cases/imports/${f.importId}`, rule: adminOnly([]) },
  '/cases/imports/:id/rejections.csv': {
    path: () => `/cases/imports/${f.importId}/rejections.csv`,
    rule: adminOnly([]),
  },
  '/api/audit-rounds': { path: () => '/api/audit-rounds', rule: adminOnly([]) },
  '/api/audit-rounds/:id': { path: () => `/api/audit-rounds/${f.roundId}`, rule: adminOnly([...SIDES]) },
  '/rounds': { path: () => '/rounds', rule: areaThen('roundProgress', () => ({ status: 200, shows: [] })) },
  '/rounds/:id': { path: () => `/rounds/${f.roundId}`, rule: roundPage },
  '/rounds/:id/close': { path: () => `/rounds/${f.roundId}/close`, rule: adminOnly([]) },
  '/rounds/:id/moderation': { path: () => `/rounds/${f.roundId}/moderation`, rule: adminOnly([]) },
  '/rounds/:id/audits/:auditId/reallocate': {
    path: (s) => `/rounds/${f.roundId}/audits/${f.auditId[s]}/reallocate`,
    rule: (p, side) => adminOnly([side])(p, side),
  },
  '/reaudits/:auditId/allocate': {
    path: (s) => `/reaudits/${f.reauditId[s]}/allocate`,
    rule: (p, side) => adminOnly([side])(p, side),
  },
  '/api/calibrations': { path: () => '/api/calibrations', rule: calibration },
  '/calibration': { path: () => '/calibration', rule: calibration },
  '/api/calibrations/:id': { path: () => `/api/calibrations/${f.calibrationId}`, rule: calibration },
  '/calibration/:id': { path: () => `/calibration/${f.calibrationId}`, rule: calibration },
  '/escalations': { path: () => '/escalations', rule: escalationList },
  '/api/escalations': { path: () => '/api/escalations', rule: escalationList },
  '/escalations/:id': { path: (s) => `/escalations/${f.escalationId[s]}`, rule: escalation },
  '/api/escalations/:id': { path: (s) => `/api/escalations/${f.escalationId[s]}`, rule: escalation },
  '/escalations/:id/recipient': {
    path: (s) => `/escalations/${f.headEscalationId[s]}/recipient`,
    rule: recipientChoice,
  },
  // A's head of service is nobody; C reached nobody, as no manager of its team was granted it.
  '/needs-attention': { path: () => '/needs-attention', rule: adminOnly(['A', 'C']) },
  '/api/needs-attention': { path: () => '/api/needs-attention', rule: adminOnly(['A', 'C']) },
  '/admin/restricted-cases': { path: () => '/admin/restricted-cases', rule: adminOnly(['C']) },
  // Users come with the restricted cases they were granted (C's auditor was).
  '/api/users': { path: () => '/api/users', rule: adminOnly(['C']) },
  '/api/restricted-cases': { path: () => '/api/restricted-cases', rule: adminOnly(['C']) },
  '/admin/restricted-cases/:caseRef': {
    path: (s) => `/admin/restricted-cases/${f.caseRef[s]}`,
    rule: restrictedCase,
  },
  '/api/restricted-cases/:caseRef': {
    path: (s) => `/api/restricted-cases/${f.caseRef[s]}`,
    rule: restrictedCase,
  },
  // The audit log names audits by their case reference: asked for one side's audit, it shows that case.
  '/admin/audit-log': {
    path: (s) => `/admin/audit-log?recordType=audit&recordId=${f.auditId[s]}`,
    rule: (p, side) => adminOnly([side])(p, side),
  },
  '/api/audit-log': {
    path: (s) => `/api/audit-log?recordType=audit&recordId=${f.auditId[s]}`,
    rule: (p, side) => adminOnly([side])(p, side),
  },
  // A subject access request names the case by its reference: admins only, showing that case alone. The ZIPs'
  // bytes are compressed, so nothing in them reads as the reference here (test/subject-access opens them).
  '/admin/subject-access': {
    path: (s) => `/admin/subject-access?caseRef=${f.caseRef[s]}`,
    rule: (p, side) => adminOnly([side])(p, side),
  },
  '/admin/subject-access/:caseRef.zip': {
    path: (s) => `/admin/subject-access/${f.caseRef[s]}.zip`,
    rule: adminOnly([]),
  },
  '/api/subject-access/:caseRef': {
    path: (s) => `/api/subject-access/${f.caseRef[s]}`,
    rule: (p, side) => adminOnly([side])(p, side),
  },
  '/api/subject-access/:caseRef.zip': {
    path: (s) => `/api/subject-access/${f.caseRef[s]}.zip`,
    rule: adminOnly([]),
  },
  // The retention report lists the children due by case reference, to admins only (none is due here).
  '/admin/retention': { path: () => '/admin/retention', rule: adminOnly([]) },
  '/api/retention/due': { path: () => '/api/retention/due', rule: adminOnly([]) },
  ...Object.fromEntries(
    [
      ['/admin/users/new', '/admin/users/new'],
      ['/admin/users/:id', '/admin/users/1'],
      ['/admin/users/:id/roles', '/admin/users/1/roles'],
      ['/admin/users/:id/deactivate', '/admin/users/1/deactivate'],
      ['/admin/teams', '/admin/teams'],
      ['/admin/teams/new', '/admin/teams/new'],
      ['/admin/teams/:id', '/admin/teams/1'],
      ['/admin/teams/:id/edit', '/admin/teams/1/edit'],
      ['/admin/teams/:id/close', '/admin/teams/1/close'],
      ['/admin/people/new', '/admin/people/new'],
      ['/admin/people/:id', '/admin/people/1'],
      ['/admin/closure-days', '/admin/closure-days'],
      ['/admin/closure-days/new', '/admin/closure-days/new'],
      ['/admin/outbox', '/admin/outbox'],
      ['/admin/targets', '/admin/targets'],
      ['/admin/retention/classes/:code', '/admin/retention/classes/child-protection'],
      ['/api/users/:id', '/api/users/1'],
      ['/api/teams', '/api/teams'],
      ['/api/teams/:id', '/api/teams/1'],
      ['/api/people', '/api/people'],
      ['/api/people/:id', '/api/people/1'],
      ['/api/localities', '/api/localities'],
      ['/api/service-areas', '/api/service-areas'],
      ['/api/closure-days', '/api/closure-days'],
    ].map(([route, path]) => [route, { path: () => path as string, rule: adminOnly([]) }]),
  ),
};

/** Reads asked at once by one user. */
const READS_AT_ONCE = 6;

const MEMBERSHIPS: Membership[] = [
  'none',
  'manages A',
  'leads A’s area',
  'granted C',
  'manages A, granted C',
];
const COMBINATIONS: Role[][] = ROLES.flatMap((first, i) => [
  [first],
  ...ROLES.slice(i + 1).map((second) => [first, second]),
]);

it('classifies every GET route the app serves', () => {
  const gets = listRoutes(ctx.app)
    .filter((r) => r.method === 'get')
    .map((r) => r.path);
  expect(gets.filter((path) => !(path in GET_RULES))).toEqual([]);
  expect(Object.keys(GET_RULES).filter((path) => !gets.includes(path))).toEqual([]);
  expect(COMBINATIONS.length).toBe(21);
});

describe.each(COMBINATIONS.map((roles) => [roles.join(' + '), roles] as const))('%s', (_name, roles) => {
  it.each(MEMBERSHIPS)('with membership: %s', async (membership) => {
    const email = `${roles.join('.')}.${MEMBERSHIPS.indexOf(membership)}@scope.example.gov.uk`;
    await ctx.services.users.add(
      {
        email,
        displayName: `Scope ${roles.join(' ')} ${membership}`,
        roles,
        ...(membership.startsWith('manages A') ? { teamCodes: [TEAM.A] } : {}),
        ...(membership === 'leads A’s area' ? { serviceAreaCodes: ['front-door'] } : {}),
      },
      SYSTEM_ACTOR,
    );
    if (grantedC({ roles, membership }))
      await ctx.db.knex('restricted_case_access').insert({
        case_ref: f.caseRef.C,
        user_id: (await ctx.services.users.findByEmail(email))!.id,
        reason: 'A probe',
      });
    const agent = await signedInAgent(ctx, email);
    const probe: Probe = { roles, membership };
    const failures: string[] = [];
    const asks = Object.entries(GET_RULES).flatMap(([route, spec]) =>
      // A route whose address names no side's record is asked once.
      (spec === 'no case data' || spec.path.length === 0 ? (['A'] as const) : SIDES).map((side) => ({
        path:
          spec === 'no case data'
            ? fillPath(route, { id: FRAMEWORK.id, version: FRAMEWORK.version, format: 'json', step: 'scope' })
            : spec.path(side),
        expected: spec === 'no case data' ? noCaseData(probe, side) : spec.rule(probe, side),
      })),
    );
    // Reads only, so asked a few at a time.
    for (let i = 0; i < asks.length; i += READS_AT_ONCE) {
      await Promise.all(
        asks.slice(i, i + READS_AT_ONCE).map(async ({ path, expected }) => {
          const res = await agent.get(path);
          const okStatus =
            expected.status === 'redirect-or-ok'
              ? [200, 302, 303, 403].includes(res.status)
              : res.status === expected.status;
          if (!okStatus) failures.push(`${path}: ${res.status}, expected ${expected.status}`);
          const body = res.text || JSON.stringify(res.body);
          for (const other of SIDES) {
            const shown = body.includes(f.caseRef[other]);
            const expectedShown = res.status === 200 && expected.shows.includes(other);
            if (shown !== expectedShown)
              failures.push(`${path}: case ${other} ${shown ? 'shown' : 'not shown'}`);
          }
        }),
      );
    }
    failures.push(...(await refusedChanges(agent, probe)));
    failures.push(...(await refusedRemediationChanges(agent, probe)));
    expect(failures).toEqual([]);
  });
});

/** Moderation and reallocation are changes of their own, tested with their features. */
const OWN_RULES = /\/(moderation|reallocate)$/;

/**
 * Every change to an audit, made by someone it is not allocated to: refused with 403 when they may read it,
 * 404 when they may not even know it exists; never made.
 */
async function refusedChanges(agent: TestAgent, probe: Probe): Promise<string[]> {
  const failures: string[] = [];
  const csrf = csrfTokenIn((await agent.get('/').expect(200)).text);
  const changes = listRoutes(ctx.app).filter(
    (r) => r.method !== 'get' && /^(\/api)?\/audits\/:id/.test(r.path) && !OWN_RULES.test(r.path),
  );
  for (const route of changes) {
    for (const side of SIDES) {
      const id = f.auditId[side];
      const path = fillPath(route.path, { id, sectionId: 'recording' });
      const before = await ctx.db.knex('audit').where({ id }).first('lock_version', 'status');
      const res = await agent[route.method](path)
        .set('X-CSRF-Token', csrf)
        .type(path.startsWith('/api/') ? 'json' : 'form')
        .send({ version: 1, response: {}, reason: 'A probe', details: 'A probe', grade: 'good' });
      const expected = seesTeam(probe, side) ? 403 : 404;
      if (res.status !== expected)
        failures.push(`${route.method} ${path}: ${res.status}, expected ${expected}`);
      if (
        !isDeepStrictEqual(await ctx.db.knex('audit').where({ id }).first('lock_version', 'status'), before)
      )
        failures.push(`${route.method} ${path} changed the audit`);
    }
  }
  return failures;
}

/**
 * Every change to a remediation record, sent incomplete by each probe: those who may not use Actions are
 * refused (403), those who may not see the record are told it does not exist (404), those who see it but do
 * not own it are refused (403), and its owners (the managers of team A) are asked for what is missing (422).
 * Nothing is ever written.
 */
async function refusedRemediationChanges(agent: TestAgent, probe: Probe): Promise<string[]> {
  const failures: string[] = [];
  const csrf = csrfTokenIn((await agent.get('/').expect(200)).text);
  const changes = listRoutes(ctx.app).filter(
    (r) => r.method !== 'get' && /^(\/api)?\/remediations\/:id/.test(r.path),
  );
  expect(changes.length).toBe(4);
  const count = async () =>
    ctx.db.knex.raw<{ rows: unknown[] }>(
      `select (select count(*) from remediation_action) as actions,
              (select count(*) from remediation_record where response is not null) as responses`,
    );
  for (const route of changes) {
    for (const side of SIDES) {
      const path = fillPath(route.path, { id: f.remediationId[side] });
      const before = (await count()).rows;
      const res = await agent[route.method](path)
        .set('X-CSRF-Token', csrf)
        .type(path.startsWith('/api/') ? 'json' : 'form')
        .send({ version: 1 });
      const owner =
        side !== 'B' && probe.roles.includes('team_manager') && managesA(probe) && seesTeam(probe, side);
      const expected = !has(probe, 'actions') ? 403 : !seesTeam(probe, side) ? 404 : owner ? 422 : 403;
      if (res.status !== expected)
        failures.push(`${route.method} ${path}: ${res.status}, expected ${expected}`);
      if (!isDeepStrictEqual((await count()).rows, before))
        failures.push(`${route.method} ${path} wrote something`);
    }
  }
  return failures;
}
