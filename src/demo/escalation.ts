import type { Actor } from '../activity-log/actor';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { remediationRepository } from '../remediation/repository';
import type { Services } from '../services';
import type { User } from '../users/user';

/** The team whose area has a head of service in the demo (Fiona Gallagher leads Safeguarding). */
const TEAM = 'Family Safeguarding South 1';

/**
 * Escalation in the demo: one record of Family Safeguarding South 1 whose management response fell due a
 * week ago and was never given, escalated by the sweep to the head of service of its area. Its due dates
 * are moved back directly (the demo's own shortcut: a real record only gets there by time passing).
 */
export async function seedDemoEscalation(
  services: Pick<Services, 'remediation' | 'users'>,
  db: Database,
  actor: Actor,
): Promise<{ escalated: number }> {
  const admin = (await services.users.list()).find((u) => u.roles.includes('admin')) as User;
  const target = (await services.remediation.list(admin, { status: 'open' })).find(
    (r) => r.teamName === TEAM && r.responseRequired && r.response === null,
  );
  if (!target) return { escalated: 0 };
  await remediationRepository.update(db.executor, target.id, target.version, {
    responseDue: londonDate(-7),
  });
  const swept = await services.remediation.sweep(actor);
  return { escalated: swept.toHeadsOfService };
}
