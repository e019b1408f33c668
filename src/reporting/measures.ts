/** Whether a measure is better higher or lower: what an SPC chart calls improvement and concern. */
export type Direction = 'up' | 'down';

export interface Measure {
  code: string;
  label: string;
  /** What the percentage is of, for its definition. */
  definition: string;
  direction: Direction;
}

/** The measures that carry a target. Percentages of submitted audits, from agreed grades. */
export const MEASURES = [
  {
    code: 'good-or-better',
    label: 'Audits graded good or better',
    definition:
      'Submitted audits whose agreed overall grade is in the better half of its scale (Outstanding or Good), as a percentage of submitted audits with an overall grade.',
    direction: 'up',
  },
  {
    code: 'inadequate',
    label: 'Audits graded inadequate',
    definition:
      'Submitted audits whose agreed overall grade is the worst of its scale (Inadequate), as a percentage of submitted audits with an overall grade.',
    direction: 'down',
  },
  {
    code: 'completed',
    label: 'Planned audits completed',
    definition: 'Round audits due in the period that were submitted, as a percentage of those due.',
    direction: 'up',
  },
] as const satisfies readonly Measure[];

export type MeasureCode = (typeof MEASURES)[number]['code'];

export const isMeasure = (code: unknown): code is MeasureCode => MEASURES.some((m) => m.code === code);
