import type { TeamScope } from '../auth/scope';
import type { Executor } from '../db/transaction';
import { remediationRepository } from './repository';

export type { RemediationReportCounts } from './repository';

/** What other features (reports) may read of remediation, in aggregate only. */
export const remediationReadModel = {
  reportFigures: (ex: Executor, scope: TeamScope, period: { from: string; to: string }, today: string) =>
    remediationRepository.reportFigures(ex, scope, period, today),
};
