import type { AgreementStats } from '../moderation/agreement';
import type { RemediationReportCounts } from '../remediation/read-model';
import type { Distribution, Figures, GradeSummary, Proportion } from './figures';
import { MEASURES, type MeasureCode } from './measures';
import { suppressCount, suppressFigure, SUPPRESSION_LIMIT, type Count, type Figure } from './statistics';
import type { Gap, SectionThemes } from './themes';

/** A proportion as every report shows it: small counts withheld, the percentage with its 95% interval. */
const figure = (p: Proportion): Figure => suppressFigure({ count: p.count, denominator: p.of });

/** A measure with the council's target beside it. */
export interface Measured extends Figure {
  measure: MeasureCode;
  targetPercent: number | null;
}

/** Shown where a count of five or more is withheld so that a small one cannot be worked out from it. */
export const WITHHELD = 'withheld';

/**
 * A distribution's levels. When exactly one level is withheld as fewer than five while the total is shown,
 * it could be worked out by taking the others from the total: the smallest other non-zero level is withheld
 * too (secondary suppression, as official statistics do).
 */
export function distribution(d: Distribution, total: number) {
  const levels = d.levels.map((l) => ({
    code: l.code,
    label: l.label,
    ...figure({ count: l.count, of: total }),
  }));
  const small = levels.filter((l) => l.count === null);
  if (small.length === 1 && total >= SUPPRESSION_LIMIT) {
    const next = levels
      .filter((l) => l.count !== null && l.count > 0)
      .sort((a, b) => (a.count ?? 0) - (b.count ?? 0))[0];
    if (next)
      Object.assign(next, {
        count: null,
        display: WITHHELD,
        percent: null,
        percentDisplay: null,
        interval: null,
        intervalDisplay: null,
        suppressed: true,
      });
  }
  return { scale: d.scaleLabel, levels };
}

function grades(summary: GradeSummary) {
  return {
    submitted: suppressCount(summary.submitted),
    goodOrBetter: figure(summary.goodOrBetter),
    inadequate: figure(summary.inadequate),
    distributions: summary.distributions.map((d) =>
      distribution(
        d,
        d.levels.reduce((n, l) => n + l.count, 0),
      ),
    ),
  };
}

/** Agreement needs enough pairs to mean anything: kappa is withheld with fewer than five. */
function agreement(stats: AgreementStats) {
  const enough = stats.pairs >= SUPPRESSION_LIMIT;
  return {
    compared: suppressCount(stats.pairs),
    agreed: figure({ count: stats.agreed, of: stats.pairs }),
    kappa: enough && stats.kappa !== null ? Math.round(stats.kappa * 100) / 100 : null,
  };
}

const gap = (g: Gap) => ({ questionId: g.questionId, text: g.text, answeredNo: figure(g.no) });

const themes = (list: readonly SectionThemes[]) =>
  list
    .filter((t) => t.gaps.length > 0)
    .map((t) => ({ section: t.title, judgementArea: t.judgementArea, gaps: t.gaps.map(gap) }));

/** The full figures of a report as shown everywhere (screen, API, PDF, exports): suppressed alike. */
export type Presented = ReturnType<typeof present>;

export function present(
  figures: Figures & {
    engagement: { practitionerConversation: Proportion; familyFeedback: Proportion };
    reaudits: { reaudited: number; better: number; same: number; worse: number };
    themes: SectionThemes[];
    inspectionReadiness: {
      area: string;
      label: string;
      sections: { title: string; distribution: Distribution; gaps: Gap[] }[];
    }[];
    remediation: RemediationReportCounts & { medianWorkingDaysToClose: number | null };
  },
  targets: ReadonlyMap<string, number>,
) {
  const measured = (measure: MeasureCode, p: Proportion): Measured => ({
    measure,
    targetPercent: targets.get(measure) ?? null,
    ...figure(p),
  });
  const r = figures.remediation;
  return {
    plan: {
      planned: suppressCount(figures.plan.planned),
      completed: measured('completed', { count: figures.plan.completed, of: figures.plan.planned }),
      overdue: suppressCount(figures.plan.overdue),
      byTeam: figures.planByTeam.map((t) => ({
        team: t.teamName,
        planned: suppressCount(t.planned),
        completed: figure({ count: t.completed, of: t.planned }),
        overdue: suppressCount(t.overdue),
      })),
    },
    grades: {
      ...grades(figures.overall),
      goodOrBetter: measured('good-or-better', figures.overall.goodOrBetter),
      inadequate: measured('inadequate', figures.overall.inadequate),
    },
    byTeam: figures.byTeam.map((t) => ({ team: t.teamName, ...grades(t) })),
    byCaseType: figures.byCaseType.map((t) => ({ caseType: t.caseType, label: t.label, ...grades(t) })),
    bySection: figures.bySection.map((s) => ({
      section: s.title,
      ...distribution(
        s.distribution,
        s.distribution.levels.reduce((n, l) => n + l.count, 0),
      ),
    })),
    moderation: {
      moderated: suppressCount(figures.moderation.moderated),
      upheld: figure({ count: figures.moderation.upheld, of: figures.moderation.moderated }),
      upgraded: figure({ count: figures.moderation.upgraded, of: figures.moderation.moderated }),
      downgraded: figure({ count: figures.moderation.downgraded, of: figures.moderation.moderated }),
      agreement: agreement(figures.moderation.agreement),
    },
    engagement: {
      practitionerConversation: figure(figures.engagement.practitionerConversation),
      familyFeedback: figure(figures.engagement.familyFeedback),
    },
    remediation: {
      opened: suppressCount(r.opened),
      open: suppressCount(r.open),
      overdue: figure({ count: r.overdue, of: r.open }),
      closed: suppressCount(r.closed),
      withdrawn: suppressCount(r.withdrawn),
      repeatInadequate: suppressCount(r.repeatInadequate),
      actionsVerified: figure({ count: r.actionsVerified, of: r.actions }),
      // A median of fewer than five closings would all but give them away.
      medianWorkingDaysToClose: r.closed >= SUPPRESSION_LIMIT ? r.medianWorkingDaysToClose : null,
    },
    reaudits: {
      reaudited: suppressCount(figures.reaudits.reaudited),
      better: figure({ count: figures.reaudits.better, of: figures.reaudits.reaudited }),
      same: figure({ count: figures.reaudits.same, of: figures.reaudits.reaudited }),
      worse: figure({ count: figures.reaudits.worse, of: figures.reaudits.reaudited }),
    },
    themes: themes(figures.themes),
    inspectionReadiness: figures.inspectionReadiness.map((a) => ({
      area: a.area,
      label: a.label,
      sections: a.sections.map((s) => ({
        section: s.title,
        ...distribution(
          s.distribution,
          s.distribution.levels.reduce((n, l) => n + l.count, 0),
        ),
        gaps: s.gaps.map(gap),
      })),
    })),
    definitions: Object.fromEntries(MEASURES.map((m) => [m.code, m.definition])),
  };
}

export type { Count, Figure };
