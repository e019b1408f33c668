import { formatCount, formatNumber, formatPercent, formatRange } from './format';

describe('formatting figures in the GOV.UK style', () => {
  it('writes counts with commas for thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('writes a proportion as a whole percentage with no space before the sign, halves up', () => {
    expect(formatPercent(32 / 48)).toBe('67%'); // 66.67
    expect(formatPercent(0.675)).toBe('68%');
    expect(formatPercent(0.665)).toBe('67%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(-0.001)).toBe('0%');
  });

  it('writes other measures to at most one decimal place, never "-0"', () => {
    expect(formatNumber(50.11)).toBe('50.1');
    expect(formatNumber(71.39)).toBe('71.4');
    expect(formatNumber(6)).toBe('6');
    expect(formatNumber(1234.56)).toBe('1,234.6');
    expect(formatNumber(-0.04)).toBe('0');
    expect(formatNumber(-0.32)).toBe('-0.3');
  });

  it('writes ranges with "to"', () => {
    expect(formatRange('52%', '81%')).toBe('52% to 81%');
  });
});
