import PgBoss from 'pg-boss';
import { sqlRunner } from '../db/raw-client';
import type { Database, Executor } from '../db/transaction';
import type { Logger } from '../logger';

/** Every queue, with how its jobs are retried: the server brings the settings up to date when it starts. */
export const QUEUES = {
  'notification-send': { retryLimit: 10, retryDelay: 30, retryBackoff: true },
  'notification-digest': { retryLimit: 5, retryDelay: 60, retryBackoff: true },
  'remediation-sweep': { retryLimit: 3, retryDelay: 60, retryBackoff: true },
  'report-pack': { retryLimit: 3, retryDelay: 300, retryBackoff: true },
  'retention-sweep': { retryLimit: 3, retryDelay: 600, retryBackoff: true },
  'case-import-pending-sweep': { retryLimit: 3, retryDelay: 300, retryBackoff: true },
} as const;
export type QueueName = keyof typeof QUEUES;

/** Jobs a worker takes at a time: a backlog (a first sweep's emails) drains this many each poll. */
const BATCH = 20;

export interface Worker<T extends object = object> {
  queue: QueueName;
  /** Runs one job; a throw fails it, and it is retried with back-off while retries remain. */
  handle(data: T): Promise<void>;
}

export interface Schedule {
  queue: QueueName;
  /** A cron expression, in Europe/London time (so 07:00 is 07:00 in summer too). */
  cron: string;
}

export interface JobQueueOptions {
  /** How long a job may run before it counts as failed (a worker that died holding it): it is then retried. */
  expireInSeconds: Partial<Record<QueueName, number>>;
  /** How often workers look for new jobs. */
  pollingIntervalSeconds: number;
  /** How often expired jobs are found and retried, and old ones removed. */
  maintenanceIntervalSeconds: number;
  /** The first retry's delay for every queue, instead of each queue's own (it doubles, with back-off). */
  retryDelaySeconds?: number;
}

export type JobQueue = ReturnType<typeof createJobQueue>;

const DEADLOCK = '40P01';
const QUEUE_SETUP_ATTEMPTS = 5;

/**
 * Runs `work` again when PostgreSQL broke a deadlock by failing it: servers started together (a rolling
 * deployment) create the same queues at once, and pg-boss's DDL for one can deadlock with another's.
 * Creating and updating a queue is idempotent, so the retry finds the work done or does it.
 */
export async function retriedOnDeadlock(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if ((err as { code?: unknown }).code !== DEADLOCK || attempt >= QUEUE_SETUP_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 200));
    }
  }
}

/**
 * The job queue: pg-boss 10 (the line that runs on Node 20), in its own schema of the application's
 * database, on the application's own connection pool. A job is put on the queue inside the transaction of
 * the change that calls for it, so it exists exactly when that change committed; workers run it after
 * commit, retrying with back-off. Knows no feature: the server hands it the workers and schedules.
 */
export function createJobQueue(db: Database, logger: Logger, options: JobQueueOptions) {
  const boss = new PgBoss({
    db: sqlRunner(db.executor),
    schema: 'pgboss',
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    // Jobs kept a week after they finish, for anyone looking into a delivery.
    deleteAfterDays: 7,
  });
  boss.on('error', (err: Error) => logger.error({ err }, 'job queue error'));
  let started = false;

  return {
    /** Puts a job on the queue in the caller's transaction: it runs only if that transaction commits. */
    async enqueue(tx: Executor, queue: QueueName, data: object): Promise<void> {
      await boss.send(queue, data, { db: sqlRunner(tx) });
    },

    /** A job with no data, now, outside any transaction (a sweep at start). */
    async enqueueNow(queue: QueueName): Promise<void> {
      await boss.send(queue, {});
    },

    /** Many jobs in one statement, in the caller's transaction. */
    async enqueueAll(tx: Executor, queue: QueueName, data: readonly object[]): Promise<void> {
      if (data.length === 0) return;
      await boss.insert(
        data.map((d) => ({ name: queue, data: d })),
        { db: sqlRunner(tx) },
      );
    },

    /** Brings the queues up to date and starts the workers and schedules of this process. */
    async start(workers: readonly Worker[], schedules: readonly Schedule[]): Promise<void> {
      await boss.start();
      started = true;
      for (const [queue, settings] of Object.entries(QUEUES) as [QueueName, PgBoss.Queue][]) {
        const expireInSeconds = options.expireInSeconds[queue];
        const queueOptions = {
          ...settings,
          ...(expireInSeconds ? { expireInSeconds } : {}),
          ...(options.retryDelaySeconds ? { retryDelay: options.retryDelaySeconds } : {}),
        };
        await retriedOnDeadlock(async () => {
          await boss.createQueue(queue, queueOptions);
          await boss.updateQueue(queue, queueOptions);
        });
      }
      for (const worker of workers)
        await boss.work<object>(
          worker.queue,
          { batchSize: BATCH, pollingIntervalSeconds: options.pollingIntervalSeconds },
          async (jobs) => {
            // Each job on its own: one that fails is failed (and retried) alone; the rest complete together.
            for (const job of jobs) {
              try {
                await worker.handle(job.data);
              } catch (err) {
                // The handler logs what it knows; an error's message may quote data (an address), so only
                // its kind is kept here and in the queue.
                const kind = err instanceof Error ? err.name : 'Error';
                logger.warn({ queue: worker.queue, jobId: job.id, kind }, 'job failed; it will be retried');
                await boss.fail(worker.queue, job.id, { kind });
              }
            }
          },
        );
      for (const schedule of schedules)
        await boss.schedule(schedule.queue, schedule.cron, {}, { tz: 'Europe/London' });
    },

    /** Lets running jobs finish (up to `timeoutMs`); what is left is failed, and retried later. */
    async stop(timeoutMs: number): Promise<void> {
      if (started) await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
      started = false;
    },
  };
}
