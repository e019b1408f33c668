import type { SizeRule } from '../sampling/size';
import { LEFT_OUT_REASONS, LEFT_OUT_WORDS } from './population';
import type { RoundPreview } from './service';

const n = (value: number) => value.toLocaleString('en-GB');
const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;
const plural = (count: number, one: string, many: string) => `${n(count)} ${count === 1 ? one : many}`;

/**
 * The short sentence a screen reader hears when the preview changes as answers are typed (the panel
 * itself is not read out again): "Preview updated: 40 audits, 2 per team".
 */
export function previewAnnouncement(preview: RoundPreview, size?: SizeRule): string {
  const parts = [plural(preview.total, 'audit', 'audits')];
  if (size?.kind === 'per-team') parts.push(`${n(size.perTeam)} per team`);
  const without = preview.teamsWithoutAudits?.length ?? 0;
  if (without > 0) parts.push(`${plural(without, 'team gets', 'teams get')} none`);
  if (preview.unallocated.length > 0)
    parts.push(`${plural(preview.unallocated.length, 'case', 'cases')} without an auditor`);
  return `Preview updated: ${parts.join(', ')}`;
}

/**
 * What the preview panel shows: the plan's counts, worked out, in words and tables. Every total is the sum
 * of the parts shown under it: cases in scope = left out + eligible; left out = its reasons; eligible and
 * sample = their groups; sample = audits by auditor + those that cannot be allocated.
 */
export function previewView(preview: RoundPreview, size?: SizeRule) {
  const excluded = LEFT_OUT_REASONS.map((reason) => ({ reason, count: preview.excluded[reason] ?? 0 }));
  const excludedTotal = excluded.reduce((sum, e) => sum + e.count, 0);
  const moe = preview.marginOfError;
  const reasons = new Map<string, number>();
  for (const u of preview.unallocated) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
  return {
    population: n(preview.population),
    eligible: n(preview.eligible),
    total: n(preview.total),
    excludedTotal: n(excludedTotal),
    excluded: excluded
      .filter((e) => e.count > 0)
      .map((e) => ({ text: LEFT_OUT_WORDS[e.reason], count: n(e.count) })),
    strata: preview.strata.map((s) => ({ label: s.label, eligible: n(s.eligible), size: n(s.size) })),
    marginOfError: moe && {
      margin: percent(moe.margin),
      confidence: percent(moe.confidence),
      z: moe.z,
      proportion: moe.proportion,
      complement: Math.round((1 - moe.proportion) * 1000) / 1000,
      population: n(moe.population),
      infinite: (Math.round(moe.infinite * 10) / 10).toLocaleString('en-GB'),
      size: n(moe.size),
    },
    auditors: preview.auditors
      .filter((a) => a.capacity > 0 || a.allocated > 0)
      .map((a) => ({ name: a.name, capacity: n(a.capacity), allocated: n(a.allocated) })),
    unallocatedCount: preview.unallocated.length,
    unallocatedReasons: [...reasons].map(([reason, count]) => ({ reason, count: n(count) })),
    // Rounds created before this was worked out have no list.
    teamsWithoutAudits: preview.teamsWithoutAudits ?? [],
    announcement: previewAnnouncement(preview, size),
    seed: preview.seed,
  };
}
