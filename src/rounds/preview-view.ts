import type { RoundPreview } from './service';

const EXCLUSION_WORDS: Record<keyof RoundPreview['excluded'], string> = {
  closed: 'closed',
  restricted: 'restricted records',
  recentlyAudited: 'audited recently',
  inOtherOpenRound: 'in another open round',
};

const n = (value: number) => value.toLocaleString('en-GB');
const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;

/** What the preview panel shows: the plan's counts, worked out, in words and tables. */
export function previewView(preview: RoundPreview) {
  const excludedTotal = preview.population - preview.eligible;
  const moe = preview.marginOfError;
  const reasons = new Map<string, number>();
  for (const u of preview.unallocated) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
  return {
    population: n(preview.population),
    eligible: n(preview.eligible),
    total: n(preview.total),
    excludedTotal: n(excludedTotal),
    excluded: (Object.keys(EXCLUSION_WORDS) as (keyof RoundPreview['excluded'])[])
      .filter((k) => preview.excluded[k] > 0)
      .map((k) => ({ text: EXCLUSION_WORDS[k], count: n(preview.excluded[k]) })),
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
      .filter((a) => a.capacity > 0)
      .map((a) => ({ name: a.name, capacity: n(a.capacity), allocated: n(a.allocated) })),
    unallocatedCount: preview.unallocated.length,
    unallocatedReasons: [...reasons].map(([reason, count]) => ({ reason, count: n(count) })),
    seed: preview.seed,
  };
}
