import type { Database } from '../db/transaction';
import type { Logger } from '../logger';
import { healthRepository } from './repository';

export interface HealthReport {
  status: 'UP' | 'DOWN';
  checks: { database: { status: 'UP' | 'DOWN'; responseTimeMs: number; problem?: string } };
  uptimeSeconds: number;
}

export type HealthService = ReturnType<typeof createHealthService>;

/** Readiness: DOWN when the database does not answer in time, or while the server is shutting down. */
export function createHealthService(db: Database, timeoutMs: number, logger: Logger) {
  let shuttingDown = false;
  return {
    markShuttingDown() {
      shuttingDown = true;
    },
    async check(): Promise<HealthReport> {
      const started = performance.now();
      let problem: string | undefined;
      try {
        await healthRepository.ping(db.executor, timeoutMs);
      } catch (err) {
        problem = `database unreachable: ${(err as Error).message}`;
        logger.warn({ err }, 'health check: database unreachable');
      }
      const database = {
        status: problem ? ('DOWN' as const) : ('UP' as const),
        responseTimeMs: Math.round(performance.now() - started),
        ...(problem ? { problem } : {}),
      };
      return {
        status: database.status === 'UP' && !shuttingDown ? 'UP' : 'DOWN',
        checks: { database },
        uptimeSeconds: Math.round(process.uptime()),
      };
    },
  };
}
