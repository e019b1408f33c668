import { SYSTEM_ACTOR } from './activity-log/actor';
import { londonDate } from './dates';
import type { Infrastructure } from './infrastructure';
import type { Schedule, Worker } from './jobs/queue';
import type { SendJob } from './notifications/service';
import type { Services } from './services';
import { workingDayCalendar } from './working-days/calendar';

/** Whether today is a working day (not a weekend, bank holiday or council closure day). */
async function workingDay({ db }: Pick<Infrastructure, 'db'>): Promise<boolean> {
  const calendar = await workingDayCalendar(db.executor);
  return calendar.addWorkingDays(londonDate(-1), 1) === londonDate();
}

/**
 * What the job queue runs, and when: every app server runs the workers, and the queue gives each job to one
 * of them; a schedule puts one job on the queue per tick, however many servers there are.
 */
export function jobsOf(
  infrastructure: Pick<Infrastructure, 'db' | 'logger' | 'mailer'>,
  services: Services,
): { workers: Worker[]; schedules: Schedule[] } {
  const { logger, mailer } = infrastructure;
  /** Logs a failure (the logger keeps no data from it) before the queue retries the job. */
  const logged = (what: string, work: () => Promise<void>) => async (): Promise<void> => {
    try {
      await work();
    } catch (err) {
      logger.warn({ err }, what);
      throw err;
    }
  };
  return {
    workers: [
      {
        queue: 'notification-send',
        handle: (data) => services.notifications.deliver((data as SendJob).notificationId, mailer, logger),
      },
      {
        queue: 'notification-digest',
        handle: logged('could not write the daily digests', async () => {
          if (!(await workingDay(infrastructure))) return;
          const digests = await services.notifications.writeDigests();
          if (digests > 0) logger.info({ digests }, 'daily digests written');
        }),
      },
      {
        queue: 'remediation-sweep',
        handle: logged('could not run the remediation escalation sweep', async () => {
          const result = await services.remediation.sweep(SYSTEM_ACTOR);
          if (result.toHeadsOfService + result.toDirectors > 0)
            logger.info(result, 'overdue remediation escalated');
        }),
      },
      {
        queue: 'report-pack',
        handle: logged('could not make the monthly board pack', async () => {
          const made = await services.packs.makeScheduled(SYSTEM_ACTOR);
          if (made) logger.info(made, 'monthly board pack made');
        }),
      },
      {
        queue: 'retention-sweep',
        handle: logged('could not run the retention sweep', async () => {
          // Counts only: never a case reference.
          const { enforce, due, erased } = await services.retention.sweep(SYSTEM_ACTOR, londonDate());
          logger.info(
            { enforce, due, erased },
            enforce ? 'retention sweep run' : 'retention dry run recorded',
          );
        }),
      },
      {
        queue: 'case-import-pending-sweep',
        handle: logged('could not sweep case list uploads and imports', async () => {
          const deleted = await services.cases.pending.sweep();
          if (deleted > 0) logger.info({ deleted }, 'expired case list uploads deleted');
          const failed = await services.cases.failAbandonedImports();
          if (failed > 0)
            logger.warn({ failed }, 'case imports left unfinished by a stopped server marked failed');
        }),
      },
    ],
    schedules: [
      // Case list uploads waiting for a column mapping are kept a day at most.
      { queue: 'case-import-pending-sweep', cron: '20 * * * *' },
      // Escalation is checked every hour; the sweep is idempotent, so a missed or repeated tick does no harm.
      { queue: 'remediation-sweep', cron: '5 * * * *' },
      // Digests at seven on weekday mornings; a bank holiday's wait for the next working day.
      { queue: 'notification-digest', cron: '0 7 * * 1-5' },
      // Last month's board pack at six on the 1st, before the directors' working day.
      { queue: 'report-pack', cron: '0 6 1 * *' },
      // Retention at half past two each night, when nobody is working; a run takes a bounded batch.
      { queue: 'retention-sweep', cron: '30 2 * * *' },
    ],
  };
}
