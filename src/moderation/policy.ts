import { createHash } from 'node:crypto';
import { compile, type FromSchema } from '../validation';

export const moderationPolicySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['samplePercent', 'allInadequate', 'allOutstanding', 'blind'],
  properties: {
    samplePercent: { type: 'integer', minimum: 0, maximum: 100 },
    allInadequate: { type: 'boolean' },
    allOutstanding: { type: 'boolean' },
    blind: { type: 'boolean' },
  },
} as const;

/** Which of a round's submitted audits go to moderation, and whether moderators grade blind. */
export type ModerationPolicy = FromSchema<typeof moderationPolicySchema>;
export const validateModerationPolicy = compile(moderationPolicySchema);

/** 20 % at random, every inadequate one, blind. */
export const DEFAULT_MODERATION: ModerationPolicy = {
  samplePercent: 20,
  allInadequate: true,
  allOutstanding: false,
  blind: true,
};

/** The policy in words, for the round page. */
export function policyText(policy: ModerationPolicy): string {
  const parts = [`${policy.samplePercent}% of submitted audits at random`];
  if (policy.allInadequate) parts.push('every audit graded inadequate overall');
  if (policy.allOutstanding) parts.push('every audit graded outstanding overall');
  return `${parts.join(', ')}; ${policy.blind ? 'blind (moderators grade before seeing the auditor’s grades)' : 'not blind'}.`;
}

export type ModerationReason = 'random' | 'inadequate' | 'outstanding';

/** Why an audit is in moderation, as the moderator may know it ('selected' while blind grading is due). */
export type ShownReason = ModerationReason | 'selected';

export const REASON_WORDS: Record<ShownReason, string> = {
  random: 'Random sample',
  inadequate: 'Graded inadequate',
  outstanding: 'Graded outstanding',
  selected: 'Selected for moderation',
};

/**
 * Why the audit was selected, withheld from a blind moderation until the moderator has recorded their own
 * grades: "graded inadequate" would tell them the auditor's grade.
 */
export function shownReason(moderation: {
  reason: ModerationReason;
  blind: boolean;
  status: string;
}): ShownReason {
  return moderation.blind && moderation.status === 'queued' ? 'selected' : moderation.reason;
}

/**
 * A number in [0, 1) drawn from the round's seed and the audit: the same audit in the same round always
 * draws the same number, so whether it was sampled can be checked afterwards.
 */
export function moderationDraw(seed: number, auditId: number, revision: number): number {
  const digest = createHash('sha256').update(`moderation:${seed}:${auditId}:${revision}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/**
 * Whether a submitted audit goes to moderation, and why. `overallRank` is the overall grade's position on
 * its scale (0 for the best, `worstRank` for the worst). Inadequate and outstanding audits are all
 * moderated when the policy says so; the rest are sampled at random at the policy's percentage.
 */
export function moderationReason(
  policy: ModerationPolicy,
  audit: { overallRank: number | null; worstRank: number; seed: number; auditId: number; revision: number },
): ModerationReason | undefined {
  if (policy.allInadequate && audit.overallRank === audit.worstRank) return 'inadequate';
  if (policy.allOutstanding && audit.overallRank === 0) return 'outstanding';
  if (moderationDraw(audit.seed, audit.auditId, audit.revision) < policy.samplePercent / 100) return 'random';
  return undefined;
}

/**
 * Whether a viewer must not see an audit's grades because of its moderation: a moderator, who may be the
 * one to take it, never learns the auditor's grades of an audit waiting for blind moderation.
 */
export function gradesWithheldFrom(
  roles: readonly string[],
  moderation: { blind: boolean | null; status: string | null },
): boolean {
  return roles.includes('moderator') && moderation.blind === true && moderation.status === 'queued';
}
