import semver from 'semver';
import { scopeFor, scopeIncludes, type ScopedUser, type TeamScope } from '../auth/scope';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { ValidationError } from '../errors';
import type { FrameworksService } from '../frameworks/service';
import type { Framework } from '../frameworks/types';
import { figuresOf, median, reauditOutcomes } from './figures';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { engagement, inspectionReadiness, learningThemes } from './themes';
import { present } from './present';
import { monthlyProportions, trendOf } from './trends';
import { addMonths, monthsBetween } from './months';
import { targetRepository } from './target-repository';
import { remediationReadModel } from '../remediation/read-model';
import { workingDayCalendar } from '../working-days/calendar';
import type { TeamRow } from './repository';
import { reportingRepository as repo, type ReportFilter } from './repository';
import { countsRepository as counts } from './counts-repository';
import { teamIdsOf } from './units';
import { periodOf, type Period } from './period';

/** What a report is asked for: a period (UK dates) and, optionally, a narrower part of the service. */
export interface ReportQuery {
  from?: string;
  to?: string;
  teamId?: number;
  serviceAreaId?: number;
  localityId?: number;
  caseType?: string;
  frameworkId?: string;
  /** How many months the trend charts show, ending with the period's last month: 3, 12 or 24 (default). */
  trendMonths?: 3 | 12 | 24;
}

/** The period asked for, checked (see `periodOf`): refused with each problem named by its field. */
function checkedPeriod(query: ReportQuery, today: string): Period {
  const { period, problems } = periodOf(query, today);
  if (problems.length > 0) throw new ValidationError('The period is not valid.', problems);
  return period;
}

/** The teams a filter covers within its scope, as a scope: for figures read by team only. */
function teamsOf(filter: ReportFilter, teams: readonly TeamRow[]): TeamScope {
  const narrowed =
    filter.teamId !== undefined || filter.serviceAreaId !== undefined || filter.localityId !== undefined;
  if (!narrowed) return filter.scope;
  return { kind: 'teams', teamIds: teamIdsOf(filter, teams) };
}

/** The part of the service a report covers, in words: "the whole service", a team, an area, a list of teams. */
export function scopeLabel(filter: ReportFilter, teams: readonly TeamRow[], frameworkTitle?: string): string {
  const inList = (names: string[]) =>
    names.length <= 1
      ? (names[0] ?? 'no team')
      : `${names.slice(0, -1).join(', ')} and ${names.at(-1) as string}`;
  const team = teams.find((t) => t.id === filter.teamId);
  const area = teams.find((t) => t.serviceAreaId === filter.serviceAreaId)?.serviceAreaName;
  const locality = teams.find((t) => t.localityId === filter.localityId)?.localityName;
  const scoped = teams.filter((t) => scopeIncludes(filter.scope, t.id)).map((t) => t.name);
  const where = team
    ? team.name
    : area
      ? `the ${area} service area`
      : locality
        ? `${locality} locality`
        : filter.scope.kind === 'all'
          ? 'the whole service'
          : scoped.length <= 4
            ? inList(scoped)
            : `${scoped.length} teams`;
  const caseType = filter.caseType
    ? `, ${(CASE_TYPE_LABELS[filter.caseType] ?? filter.caseType).toLowerCase()} cases only`
    : '';
  const framework = frameworkTitle ? `, audited with ${frameworkTitle}` : '';
  return `${where}${caseType}${framework}`;
}

export type ReportingService = ReturnType<typeof createReportingService>;

/**
 * Reports: aggregate figures for a period and a part of the service, from the agreed (post-moderation)
 * grades, never a child-level row. Each user's scope is worked out for aggregates: directors and admins
 * the whole service, heads of service their areas, team managers their teams.
 */
export function createReportingService(db: Database, frameworks: FrameworksService) {
  const ex = db.executor;

  async function frameworkLookup(keys: readonly { frameworkId: string; frameworkVersion: string }[]) {
    const loaded = new Map<string, Framework>();
    for (const { frameworkId, frameworkVersion } of keys) {
      const key = `${frameworkId}@${frameworkVersion}`;
      if (!loaded.has(key)) loaded.set(key, (await frameworks.get(frameworkId, frameworkVersion)).framework);
    }
    return (id: string, version: string) => loaded.get(`${id}@${version}`) as Framework;
  }

  /** The title of the framework a report is narrowed to: one that was never loaded is refused. */
  async function frameworkTitleOf(frameworkId: string | undefined): Promise<string | undefined> {
    if (frameworkId === undefined) return undefined;
    const found = (await frameworks.list()).find((f) => f.id === frameworkId);
    if (!found)
      throw new ValidationError('There is no such framework.', [
        { field: 'framework', message: 'is not a framework loaded in the service' },
      ]);
    return found.latest.title;
  }

  /** Every figure for the query, within the user's scope; a team outside it is refused as unknown. */
  async function summary(user: ScopedUser, query: ReportQuery) {
    const today = londonDate();
    const scope: TeamScope = scopeFor(user, 'aggregates');
    if (query.teamId !== undefined && !scopeIncludes(scope, query.teamId))
      throw new ValidationError('There is no such team in your part of the service.', [
        { field: 'team', message: 'is not a team you can report on' },
      ]);
    const filter: ReportFilter = { ...query, ...checkedPeriod(query, today), scope };
    const frameworkTitle = await frameworkTitleOf(query.frameworkId);
    const [grades, answerCounts, reauditCounts, planCounts, teams] = await Promise.all([
      counts.gradeViews(ex, filter),
      counts.answerCounts(ex, filter),
      repo.reauditCounts(ex, filter),
      counts.planCounts(ex, filter, today),
      repo.teams(ex),
    ]);
    const frameworkOf = await frameworkLookup([...grades.whole, ...answerCounts, ...reauditCounts]);
    const latestOf = (id: string) => {
      const versions = [...grades.whole, ...answerCounts].filter((c) => c.frameworkId === id);
      const newest = versions
        .map((c) => c.frameworkVersion)
        .sort(semver.compare)
        .at(-1);
      return newest === undefined ? undefined : frameworkOf(id, newest);
    };
    const remediation = await remediationReadModel.reportFigures(ex, teamsOf(filter, teams), filter, today);
    const calendar = await workingDayCalendar(ex);
    const { closings, ...remediationCounts } = remediation;
    const figures = figuresOf({ grades, planCounts, teams }, frameworkOf);
    const themes = learningThemes(answerCounts, frameworkOf);
    return {
      period: { from: filter.from, to: filter.to },
      scope: scopeLabel(filter, teams, frameworkTitle),
      figures: {
        ...figures,
        engagement: engagement(answerCounts, frameworkOf),
        reaudits: reauditOutcomes(reauditCounts, frameworkOf),
        themes,
        inspectionReadiness: inspectionReadiness(figures.bySection, themes, latestOf),
        remediation: {
          ...remediationCounts,
          medianWorkingDaysToClose: median(
            closings.map((c) => calendar.workingDaysBetween(c.openedOn, c.closedOn)),
          ),
        },
      },
    };
  }

  /** The monthly trend of each headline measure, as SPC charts over the months asked for. */
  async function trends(
    user: ScopedUser,
    query: ReportQuery,
    to: string,
    targets: ReadonlyMap<string, number>,
  ) {
    const last = to.slice(0, 7);
    const start = addMonths(last, 1 - (query.trendMonths ?? 24));
    const months = monthsBetween(start, last);
    const filter: ReportFilter = { ...query, from: `${start}-01`, to, scope: scopeFor(user, 'aggregates') };
    const rows = await counts.monthlyOverall(ex, filter);
    const proportions = monthlyProportions(rows, await frameworkLookup(rows));
    return (['good-or-better', 'inadequate'] as const).map((measure) =>
      trendOf(measure, months, proportions, targets.get(measure) ?? null),
    );
  }

  return {
    summary,

    /**
     * What the user may narrow a report to: the teams of their scope, those teams' areas and localities,
     * and the frameworks loaded.
     */
    async filterOptions(user: ScopedUser) {
      const scope = scopeFor(user, 'aggregates');
      const teams = (await repo.teams(ex)).filter((t) => scopeIncludes(scope, t.id));
      const distinct = (pairs: [number | null, string | null][]) =>
        [...new Map(pairs.filter((p): p is [number, string] => p[0] !== null && p[1] !== null)).entries()]
          .map(([id, name]) => ({ id, name }))
          .sort((a, b) => a.name.localeCompare(b.name));
      return {
        frameworks: (await frameworks.list())
          .map((f) => ({ id: f.id, name: f.latest.title }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        teams: teams.map((t) => ({ id: t.id, name: t.name })),
        serviceAreas: distinct(teams.map((t) => [t.serviceAreaId, t.serviceAreaName])),
        localities: distinct(teams.map((t) => [t.localityId, t.localityName])),
      };
    },

    /**
     * The report as every reader sees it (screen, API, PDF): counts under five withheld, percentages with
     * their 95% intervals, the council's targets beside their measures.
     */
    async report(user: ScopedUser, query: ReportQuery) {
      const [raw, targets] = await Promise.all([summary(user, query), targetRepository.all(ex)]);
      return {
        period: raw.period,
        scope: raw.scope,
        ...present(raw.figures, targets),
        trends: await trends(user, query, raw.period.to, targets),
      };
    },
  };
}
