import { moderationDraw, moderationReason } from './policy';

const policy = { samplePercent: 20, allInadequate: true, allOutstanding: false, blind: true };
const audit = (overallRank: number | null, auditId = 1) => ({
  overallRank,
  worstRank: 3,
  seed: 42,
  auditId,
  revision: 1,
});

describe('moderation policy', () => {
  it('draws the same number for the same round seed, audit and revision', () => {
    expect(moderationDraw(42, 7, 1)).toBe(moderationDraw(42, 7, 1));
    expect(moderationDraw(42, 7, 1)).not.toBe(moderationDraw(43, 7, 1));
  });

  it('samples about the policy’s percentage at random', () => {
    const picked = Array.from({ length: 5000 }, (_, i) => moderationReason(policy, audit(1, i + 1))).filter(
      (reason) => reason === 'random',
    ).length;
    // 20 % of 5,000 is 1,000; the binomial standard deviation is about 28, so ±120 is over 4 sd.
    expect(Math.abs(picked - 1000)).toBeLessThan(120);
  });

  it('takes every inadequate audit, and every outstanding one only when asked', () => {
    const none = { ...policy, samplePercent: 0 };
    expect(moderationReason(none, audit(3))).toBe('inadequate');
    expect(moderationReason(none, audit(0))).toBeUndefined();
    expect(moderationReason({ ...none, allOutstanding: true }, audit(0))).toBe('outstanding');
    expect(moderationReason({ ...none, allInadequate: false }, audit(3))).toBeUndefined();
    expect(moderationReason({ ...none, samplePercent: 100 }, audit(1))).toBe('random');
  });
});
