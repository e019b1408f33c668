import type { Actor } from '../activity-log/actor';
import { mayUse } from '../auth/access';
import { londonDate } from '../dates';
import { myAudits } from '../my-audits/sections';
import { boardView } from '../remediation/page-views';
import type { Services } from '../services';
import type { User } from '../users/user';

export type HomeServices = Pick<
  Services,
  | 'organisation'
  | 'frameworks'
  | 'cases'
  | 'rounds'
  | 'moderation'
  | 'escalations'
  | 'auditOutcomes'
  | 'users'
  | 'remediation'
>;

/**
 * The figures on a user's home page. Each count comes from the same service call as the list it links to
 * (My audits, the moderation queue, Escalations, Needs attention, Teams, …), so the two always agree.
 */
export async function homeFigures(services: HomeServices, user: User, actor: Actor) {
  const has = (role: User['roles'][number]) => user.roles.includes(role);
  const manages = has('team_manager') || has('head_of_service');
  const [myAudits, moderation, inbox, teams, inadequate, admin, actions, remediationTotals, escalatedToMe] =
    await Promise.all([
      has('auditor') ? auditorFigures(services, user, actor) : undefined,
      has('moderator') ? services.moderation.queue(user) : undefined,
      manages && mayUse(user.roles, 'escalations') ? services.escalations.inbox(user) : undefined,
      manages || has('admin') ? services.organisation.listTeams(user) : undefined,
      manages ? services.auditOutcomes.inadequateThisMonth(user, actor) : undefined,
      has('admin') ? adminFigures(services, user) : undefined,
      mayUse(user.roles, 'actions') ? actionFigures(services, user) : undefined,
      has('director') ? services.remediation.totals(user) : undefined,
      has('director') || has('head_of_service') ? services.remediation.escalatedTo(user) : undefined,
    ]);
  return {
    myAudits,
    moderationCount: moderation?.length,
    toAcknowledge: inbox?.toAcknowledge.length,
    teams,
    inadequate,
    admin,
    actions,
    remediationTotals,
    escalatedToMe,
  };
}

/** What the Actions page lists, counted group by group (the page's own grouping), and in all. */
async function actionFigures(services: HomeServices, user: User) {
  const { groups, total } = boardView(await services.remediation.board(user));
  return { total, groups: groups.map((g) => ({ id: g.id, heading: g.heading, count: g.rows.length })) };
}

/** What My audits lists, counted: its audits to do and submitted, those to do, the overdue, the next due date. */
async function auditorFigures(services: HomeServices, user: User, actor: Actor) {
  const { toDo, submitted } = await myAudits(services.rounds, user.id, actor);
  const today = londonDate();
  return {
    count: toDo.length + submitted.length,
    submitted: submitted.length,
    toDo: toDo.length,
    overdue: toDo.filter((a) => a.dueDate < today).length,
    nextDue: toDo.map((a) => a.dueDate).sort()[0],
  };
}

async function adminFigures(services: HomeServices, user: User) {
  const [needsAttention, users, frameworks, rounds, imports, counts, reaudits] = await Promise.all([
    services.escalations.needsAttention(user),
    services.users.list(),
    services.frameworks.list(),
    services.rounds.list(),
    services.cases.listImports(),
    services.organisation.counts(),
    services.remediation.reauditsToAllocate(),
  ]);
  const open = rounds.filter((r) => r.status === 'open');
  return {
    needsAttention: needsAttention.length,
    users: users.length,
    frameworks: frameworks.length,
    frameworkProblems: services.frameworks.startupProblems().length,
    rounds: rounds.length,
    openRounds: open.length,
    unallocated: open.reduce((sum, r) => sum + (r.unallocatedCount ?? 0), 0),
    latestImport: imports.find((i) => i.status === 'imported'),
    reauditsToAllocate: reaudits,
    localities: counts.localities,
    people: counts.people,
  };
}
