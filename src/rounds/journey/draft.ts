import type { CaseType } from '../../frameworks/types';
import type { Stratify } from '../../sampling/sample';
import type { SizeRule } from '../../sampling/size';
import {
  DEFAULT_EXCLUSIONS,
  type AuditorCapacity,
  type Exclusions,
  type RoundFilters,
  type RoundInput,
} from '../types';

export type Themes = Pick<
  RoundFilters,
  | 'categoriesOfAbuse'
  | 'placementTypes'
  | 'legalStatuses'
  | 'uasc'
  | 'disability'
  | 'missingEpisodes'
  | 'ageMin'
  | 'ageMax'
>;

/** A round being planned, page by page: kept in the session until it is created or discarded. */
export interface RoundDraft {
  seed: number;
  name?: string;
  framework?: { id: string; version: string };
  importId?: number;
  caseTypes?: CaseType[];
  /** Undefined until answered; null for every team. */
  teamIds?: number[] | null;
  /** Undefined until answered; null for a round that is not themed. */
  themes?: Themes | null;
  exclusions?: Exclusions;
  size?: SizeRule;
  stratifyBy?: Stratify;
  /** Every active auditor with their capacity for this round (undefined: an even share). */
  auditors?: AuditorCapacity[];
  dueDate?: string;
}

/** Until the size is chosen, the preview shows the usual monthly quota. */
const PREVIEW_SIZE: SizeRule = { kind: 'per-team', perTeam: 2 };

function filtersOf(draft: RoundDraft): RoundFilters {
  return {
    ...(draft.caseTypes ? { caseTypes: draft.caseTypes } : {}),
    ...(draft.teamIds ? { teamIds: draft.teamIds } : {}),
    ...(draft.themes ?? {}),
  };
}

/**
 * The plan the service takes. For a preview, answers not yet given take their defaults (and a name and
 * due date that are never saved); otherwise every answer must be there.
 */
export function toRoundInput(draft: RoundDraft, forPreview = false): RoundInput | undefined {
  if (!draft.framework || draft.importId === undefined) return undefined;
  if (!forPreview && (!draft.name || !draft.size || !draft.dueDate || !draft.exclusions)) return undefined;
  const size = draft.size ?? PREVIEW_SIZE;
  const auditors = draft.auditors?.filter((a) => a.capacity !== 0);
  return {
    name: draft.name ?? 'Preview',
    frameworkId: draft.framework.id,
    frameworkVersion: draft.framework.version,
    importId: draft.importId,
    dueDate: forPreview ? '2999-12-31' : (draft.dueDate as string),
    seed: draft.seed,
    filters: filtersOf(draft),
    size,
    stratifyBy: size.kind === 'per-team' ? 'team' : (draft.stratifyBy ?? 'team'),
    exclusions: draft.exclusions ?? DEFAULT_EXCLUSIONS,
    ...(auditors && draft.auditors?.some((a) => a.capacity !== undefined) ? { auditors } : {}),
  };
}
