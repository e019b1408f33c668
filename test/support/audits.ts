import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { ModerationPolicy } from '../../src/moderation/policy';
import type { Framework } from '../../src/frameworks/types';
import { gradedItems } from '../../src/moderation/service';
import type { Services } from '../../src/services';
import type { User } from '../../src/users/user';
import { DEMO } from './app';
import { importNativeCases } from './case-lists';

export const FRAMEWORK = { id: 'childrens-social-care-case-audit', version: '1.0.0' };
/** The same framework's version whose case-profile questions are pre-filled from the case list. */
export const PREFILLED_FRAMEWORK = { id: 'childrens-social-care-case-audit', version: '1.1.0' };

/**
 * A round of `perTeam` audits per team from a fresh import of `cases` cases, all allocated to the demo
 * auditor (Aisha Khan) or to the auditor with the email given, with the given moderation policy. Returns
 * the round and its audit ids.
 */
export async function roundForAuditor(
  services: Services,
  options: {
    cases?: number;
    perTeam?: number;
    moderation?: ModerationPolicy;
    name?: string;
    framework?: { id: string; version: string };
    auditor?: string;
  } = {},
): Promise<{ roundId: number; auditIds: number[]; auditorId: number }> {
  const auditor = await services.users.findByEmail(options.auditor ?? DEMO.auditor);
  if (!auditor) throw new Error('no demo auditor');
  const importId = await importNativeCases(
    services.cases,
    options.cases ?? 60,
    `${options.name ?? 'grading'}.csv`,
  );
  const { id } = await services.rounds.create(
    {
      name: options.name ?? 'Grading round',
      frameworkId: (options.framework ?? FRAMEWORK).id,
      frameworkVersion: (options.framework ?? FRAMEWORK).version,
      importId,
      dueDate: '2099-01-31',
      seed: 7,
      filters: {},
      size: { kind: 'per-team', perTeam: options.perTeam ?? 1 },
      stratifyBy: 'team',
      exclusions: { auditedWithinMonths: null, inOtherOpenRound: false, closed: true, restricted: true },
      auditors: [{ userId: auditor.id, capacity: 1000 }],
      ...(options.moderation ? { moderation: options.moderation } : {}),
    },
    SYSTEM_ACTOR,
  );
  const { audits } = await services.rounds.get(id, SYSTEM_ACTOR);
  return {
    roundId: id,
    auditIds: audits.filter((a) => a.auditorUserId === auditor.id).map((a) => a.id),
    auditorId: auditor.id,
  };
}

/** The demo moderator grades a blind moderation at `code` for every graded item, then agrees those grades. */
export async function moderateAll(services: Services, framework: Framework, auditId: number, code: string) {
  const moderator = (await services.users.findByEmail(DEMO.moderator)) as User;
  const as = { ...SYSTEM_ACTOR, userId: moderator.id };
  const items = gradedItems(framework);
  await services.moderation.record(
    auditId,
    { grades: Object.fromEntries(items.map((i) => [i.id, code])) },
    moderator,
    as,
  );
  await services.moderation.record(
    auditId,
    {
      agreed: Object.fromEntries(
        items.map((i) => [i.id, { grade: code, reason: 'The file shows otherwise.' }]),
      ),
      summary: 'Regraded.',
    },
    moderator,
    as,
  );
}

/**
 * The form fields of a complete answer to a section, every grade at `rank` on its scale (0 the best), as the
 * browser would send them from the section's page.
 */
export function sectionFormOf(
  framework: Framework,
  sectionId: string,
  rank: number,
): Record<string, string | string[]> {
  const section = completeResponse(framework, () => rank).sections?.[sectionId] ?? {};
  const form: Record<string, string | string[]> = {};
  for (const key of ['grade', 'rationale', 'strengths', 'developments'] as const) {
    const value = section[key];
    if (value) form[key] = value;
  }
  for (const [id, answer] of Object.entries(section.answers ?? {})) {
    if (typeof answer === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(answer)) {
      const [y, m, d] = answer.split('-');
      Object.assign(form, { [`q-${id}-day`]: d, [`q-${id}-month`]: m, [`q-${id}-year`]: y });
    } else if (Array.isArray(answer) || typeof answer === 'string') form[`q-${id}`] = answer;
    else if (typeof answer === 'number') form[`q-${id}`] = String(answer);
    else {
      form[`q-${id}`] = answer.grade ?? '';
      form[`q-${id}-rationale`] = answer.rationale ?? '';
    }
  }
  return form;
}
