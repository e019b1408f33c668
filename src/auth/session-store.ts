import session from 'express-session';
import type { Executor } from '../db/transaction';
import { sessionRepository } from './session-repository';

type Callback = (err?: unknown) => void;

function userIdOf(sess: session.SessionData): number | null {
  const user = (sess as { passport?: { user?: unknown } }).passport?.user;
  return typeof user === 'number' ? user : null;
}

/**
 * Keeps express-session sessions in PostgreSQL (table `session`), through the same pool as everything else,
 * so any server node can serve any request and sessions survive restarts.
 */
export class PostgresSessionStore extends session.Store {
  constructor(
    private readonly ex: Executor,
    private readonly idleMs: number,
  ) {
    super();
  }

  private expiry(sess: session.SessionData): Date {
    return sess.cookie?.expires ? new Date(sess.cookie.expires) : new Date(Date.now() + this.idleMs);
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    sessionRepository.find(this.ex, sid).then(
      (sess) => callback(null, (sess as session.SessionData | undefined) ?? null),
      (err) => callback(err),
    );
  }

  override set(sid: string, sess: session.SessionData, callback: Callback = () => {}): void {
    sessionRepository
      .save(this.ex, sid, sess, this.expiry(sess), userIdOf(sess))
      .then(() => callback(), callback);
  }

  override touch(sid: string, sess: session.SessionData, callback: Callback = () => {}): void {
    sessionRepository.touch(this.ex, sid, this.expiry(sess)).then(() => callback(), callback);
  }

  override destroy(sid: string, callback: Callback = () => {}): void {
    sessionRepository.destroy(this.ex, sid).then(() => callback(), callback);
  }

  pruneExpired(): Promise<number> {
    return sessionRepository.pruneExpired(this.ex);
  }
}
