import { createHash } from 'node:crypto';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { scopeFor, type ScopedUser, type TeamScope } from '../auth/scope';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { NotFoundError, ValidationError } from '../errors';
import type { FrameworksService } from '../frameworks/service';
import { headlineOf } from './figures';
import type { NotificationsService } from '../notifications/service';
import { usersReadModel } from '../users/read-model';
import { addMonths, monthName, periodOfMonth } from './months';
import { packDocument, type InadequateFinding } from './pack';
import { packRepository as packs, type PackSummary } from './pack-repository';
import { renderPdf } from './pdf/render';
import { renderHtml } from './pdf/html';
import { reportingRepository as repo, type FindingRow } from './repository';
import type { ReportingService } from './service';

/** A pack's scope as stored: the whole service, or its teams. */
const scopeKey = (scope: TeamScope) => (scope.kind === 'all' ? 'all' : `teams:${scope.teamIds.join(',')}`);

/** Whether a user whose aggregate scope is `scope` may read a pack of `key`: it covers no team beyond theirs. */
function covers(scope: TeamScope, key: string): boolean {
  if (scope.kind === 'all') return true;
  if (key === 'all') return false;
  return key
    .slice('teams:'.length)
    .split(',')
    .every((id) => scope.teamIds.includes(Number(id)));
}

/** The month before today's, in the UK: what the schedule makes on the 1st. */
export const previousMonth = (today = londonDate()): string => addMonths(today.slice(0, 7), -1);

const REMEDIATION_WORDS: Record<string, string> = {
  open: 'open',
  closed: 'closed: every action verified',
  withdrawn: 'withdrawn',
};

/** Every directors' and admins' view of the whole service: what the scheduled pack is made as. */
const WHOLE_SERVICE: ScopedUser = { roles: ['director'], managedTeamIds: [], serviceAreaTeamIds: [] };

export type PacksService = ReturnType<typeof createPacksService>;

/**
 * The monthly board packs: made from the same figures as the dashboard and the API, rendered as a tagged
 * PDF, stored as made with their SHA-256 (making one again adds a version), and downloaded with every
 * download in the audit log. The schedule makes last month's on the 1st, once, and tells the directors.
 */
export function createPacksService(
  db: Database,
  activityLog: ActivityLog,
  reporting: ReportingService,
  frameworks: FrameworksService,
  notify: NotificationsService['notify'],
) {
  const ex = db.executor;

  /** The period's audits graded at the worst level of their overall scale, with their remediation. */
  async function inadequateFindings(rows: readonly FindingRow[]): Promise<InadequateFinding[]> {
    const found: InadequateFinding[] = [];
    for (const row of rows) {
      const { framework } = await frameworks.get(row.frameworkId, row.frameworkVersion);
      if (!headlineOf(framework, row.grade)?.inadequate) continue;
      found.push({
        // Its readers (directors, board members) may not learn that a restricted case exists by its reference.
        caseRef: row.restricted ? 'A restricted case' : row.caseRef,
        team: row.team,
        submittedOn: row.submittedOn,
        remediation: row.remediationStatus
          ? (REMEDIATION_WORDS[row.remediationStatus] ?? row.remediationStatus)
          : 'none',
      });
    }
    return found;
  }

  /** Renders the month's pack for a scope: the figures read, laid out as a document, and made a PDF. */
  async function render(user: ScopedUser, month: string) {
    const snapshotAt = new Date();
    const period = periodOfMonth(month);
    const filter = { ...period, scope: scopeFor(user, 'aggregates') };
    const [report, rounds, findingRows] = await Promise.all([
      reporting.report(user, { ...period, trendMonths: 24 }),
      repo.roundsDue(ex, filter),
      repo.findings(ex, filter),
    ]);
    const document = packDocument(report, {
      month,
      snapshotAt,
      rounds,
      findings: await inadequateFindings(findingRows),
    });
    const pdf = await renderPdf(document);
    return {
      document,
      pdf,
      html: renderHtml(document),
      sha256: createHash('sha256').update(pdf).digest('hex'),
      pages: (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length,
      snapshotAt,
      scopeLabel: report.scope,
    };
  }

  function checkMonth(month: unknown): string {
    if (
      typeof month !== 'string' ||
      !/^\d{4}-(0[1-9]|1[0-2])$/.test(month) ||
      month > londonDate().slice(0, 7)
    )
      throw new ValidationError('Choose the month the pack covers.', [
        { field: 'month', message: 'must be a month written as YYYY-MM, not in the future' },
      ]);
    return month;
  }

  async function store(
    month: string,
    scope: TeamScope,
    made: Awaited<ReturnType<typeof render>>,
    actor: Actor,
    scheduled: boolean,
  ): Promise<{ id: number; version: number } | undefined> {
    return db.transaction(async (tx) => {
      const key = scopeKey(scope);
      if (scheduled) {
        await packs.lockMonth(tx, month, key);
        if (await packs.scheduledExists(tx, month, key)) return undefined;
      }
      const stored = await packs.insert(tx, { month, scope: key, ...made, userId: actor.userId });
      await activityLog.record(tx, actor, {
        action: 'report_pack.create',
        recordType: 'report_pack',
        recordId: stored.id,
        summary: {
          after: { month, scope: key, version: stored.version, sha256: made.sha256, pages: made.pages },
        },
      });
      if (scheduled) {
        const directors = await usersReadModel.withRole(tx, 'director');
        const name = monthName(month);
        await notify(tx, [
          {
            kind: 'report.pack',
            recipientUserIds: directors.map((d) => d.id),
            message: {
              subject: `The board pack for ${name} is ready`,
              body: `The monthly case audit board pack for ${name} (the whole service) is ready to download.`,
            },
            path: '/reports/packs',
            record: { type: 'report_pack', id: stored.id },
          },
        ]);
      }
      return stored;
    });
  }

  /** A pack the user's scope covers; to anyone else it does not exist. */
  async function readable(id: number, user: ScopedUser): Promise<PackSummary> {
    const pack = await packs.find(ex, id);
    if (!pack || !covers(scopeFor(user, 'aggregates'), pack.scope))
      throw new NotFoundError(`There is no pack ${id}.`);
    return pack;
  }

  const logDownload = (id: number, format: 'pdf' | 'html', actor: Actor) =>
    db.transaction((tx) =>
      activityLog.record(tx, actor, {
        action: 'report_pack.download',
        recordType: 'report_pack',
        recordId: id,
        summary: { after: { format } },
      }),
    );

  return {
    /**
     * The month's pack for the user's part of the service as `make` makes it, neither stored nor logged
     * (for measuring the making: a pack anyone reads is made by `make` and read through `download`, both
     * in the audit log): its PDF, and the document the PDF and its HTML twin are rendered from.
     */
    async render(user: ScopedUser, monthValue: unknown) {
      return render(user, checkMonth(monthValue));
    },

    /** Makes the month's pack for the user's part of the service, as a new version. */
    async make(user: ScopedUser, monthValue: unknown, actor: Actor) {
      const month = checkMonth(monthValue);
      const made = await render(user, month);
      return (await store(month, scopeFor(user, 'aggregates'), made, actor, false)) as {
        id: number;
        version: number;
      };
    },

    /** The schedule's pack: last month's, for the whole service, once however many servers run it. */
    async makeScheduled(actor: Actor, today = londonDate()) {
      const month = previousMonth(today);
      if (await packs.scheduledExists(ex, month, 'all')) return undefined;
      return store(month, { kind: 'all' }, await render(WHOLE_SERVICE, month), actor, true);
    },

    /** The packs the user may read, newest first. */
    async list(user: ScopedUser): Promise<PackSummary[]> {
      const scope = scopeFor(user, 'aggregates');
      return (await packs.list(ex, 'all')).filter((p) => covers(scope, p.scope));
    },

    /** A pack's PDF, for a user it covers; the download is logged before it is sent. */
    async download(id: number, user: ScopedUser, actor: Actor): Promise<{ pack: PackSummary; pdf: Buffer }> {
      const pack = await readable(id, user);
      const pdf = (await packs.pdf(ex, id)) as Buffer;
      await logDownload(id, 'pdf', actor);
      return { pack, pdf };
    },

    /** A pack's HTML twin, for a user it covers, logged like the PDF; a pack made without one has none. */
    async page(id: number, user: ScopedUser, actor: Actor): Promise<{ pack: PackSummary; html: string }> {
      const pack = await readable(id, user);
      const html = await packs.html(ex, id);
      if (typeof html !== 'string')
        throw new NotFoundError(
          `Pack ${id} was made before packs were kept as pages too: its PDF is all there is.`,
        );
      await logDownload(id, 'html', actor);
      return { pack, html };
    },
  };
}
