import { gradeRank, scaleById } from '../frameworks/overall-grade';
import type { Framework } from '../frameworks/types';
import { gradedItems } from '../moderation/service';
import type { CalibrationAudit } from './repository';

export interface ItemComparison {
  id: string;
  title: string;
  /** Each submitted auditor's grade label, in the order of `auditors`. */
  grades: (string | undefined)[];
  /** How many grades apart the furthest two are (0: everyone agrees). */
  spread: number;
  /** The grade most auditors gave, when one grade has a strict majority. */
  consensus?: string;
}

/**
 * Where auditors who graded the same case differ: per section and overall, every auditor's grade, the
 * spread in grades and any majority grade. Only submitted audits count.
 */
export function compareGrades(framework: Framework, audits: readonly CalibrationAudit[]) {
  const submitted = audits.filter((a) => Object.keys(a.grades).length > 0);
  const items: ItemComparison[] = gradedItems(framework).map((item) => {
    const allLevels = scaleById(framework, item.scaleId).levels;
    const codes = submitted.map((a) => a.grades[item.id]);
    const ranks = codes
      .map((c) => gradeRank(framework, item.scaleId, c))
      .filter((r): r is number => r !== undefined);
    const counts = new Map<string, number>();
    for (const code of codes) if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
    const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    return {
      id: item.id,
      title: item.title,
      grades: codes.map((c) => allLevels.find((l) => l.code === c)?.label ?? c),
      spread: ranks.length > 0 ? Math.max(...ranks) - Math.min(...ranks) : 0,
      consensus:
        top && top[1] * 2 > codes.length ? allLevels.find((l) => l.code === top[0])?.label : undefined,
    };
  });
  return {
    auditors: submitted.map((a) => a.auditorName),
    waitingFor: audits.filter((a) => Object.keys(a.grades).length === 0).map((a) => a.auditorName),
    items,
    agreedCount: items.filter((i) => i.spread === 0).length,
  };
}
