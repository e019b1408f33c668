/**
 * How reporting figures are written, in the GOV.UK style: "67%" (no space before the sign), "1,234"
 * (a comma for thousands), ranges with "to" ("52% to 81%"), never "-0".
 */

const percent = new Intl.NumberFormat('en-GB', {
  style: 'percent',
  maximumFractionDigits: 0,
  signDisplay: 'negative',
});
const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0, signDisplay: 'negative' });
const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, signDisplay: 'negative' });

/** A whole count: 1234 → "1,234". */
export const formatCount = (value: number): string => count.format(value);

/** A proportion (0 to 1) as a whole percentage, halves rounded up: 0.6667 → "67%", 0.675 → "68%". */
export const formatPercent = (proportion: number): string => percent.format(proportion);

/** Any other measure, to at most one decimal place: 12.25 → "12.3", 3 → "3", 1234.5 → "1,234.5". */
export const formatNumber = (value: number): string => number.format(value);

/** A range written the GOV.UK way: "52% to 81%". */
export const formatRange = (lower: string, upper: string): string => `${lower} to ${upper}`;
