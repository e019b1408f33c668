import type { Knex } from 'knex';
import { createChangeListener, type ChangeListener } from '../db/listener';
import type { Logger } from '../logger';

/** Migration 20261203100000 sends it on commit of any change to users, their scope or API tokens. */
export const IDENTITY_CHANNEL = 'case_audit_identity';
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

export interface IdentityCache {
  /**
   * The value for `key` from the cache, or from `load` (then kept, unless a change was heard meanwhile).
   * Nothing is cached while the listener is not listening, and nothing missing (undefined) ever is.
   */
  through<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Starts listening for changes (else done at the first lookup): resolves once listening, or not able to. */
  start(): Promise<void>;
  /** Forgets everything (this server made a change itself; the others hear of it by NOTIFY). */
  clear(): void;
  close(): Promise<void>;
}

/**
 * Who requests act as (users by id, API tokens by hash), kept briefly in this process so that a request
 * does not look them up again. Every app server LISTENs for changes and forgets them all on any: a
 * revoked token or a deactivated user is refused by every server at once.
 */
export function createIdentityCache(options: {
  listener: (onChange: () => void) => ChangeListener;
  ttlMs?: number;
  now?: () => number;
}): IdentityCache {
  const ttlMs = options.ttlMs ?? TTL_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: unknown; at: number }>();
  // Bumped on every change: a lookup that was running when a change came in is not kept.
  let generation = 0;
  const clear = () => {
    generation++;
    entries.clear();
  };
  const listener = options.listener(clear);
  return {
    async through<T>(key: string, load: () => Promise<T | undefined>) {
      void listener.start();
      if (!listener.listening) return load();
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value as T;
      const started = generation;
      const value = await load();
      if (value !== undefined && started === generation && listener.listening) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { value, at: now() });
      }
      return value;
    },
    start: () => listener.start(),
    clear,
    close: () => listener.close(),
  };
}

/** A write to a table identities are built from (the tables migration 20261203100000 watches). */
const IDENTITY_WRITE =
  /^\s*(?:insert\s+into|update|delete\s+from|truncate)\s+"?(?:app_user|user_role|user_team|user_service_area|restricted_case_access|person|team|api_token)"?[\s(]/i;

/** A token's last use, kept to the minute: it changes nothing about who the token acts as. */
const LAST_USE = /^\s*update\s+"?api_token"?\s+set\s+"?last_used_at"?\s*=[^,]*\swhere\s/i;

/**
 * The cache for a server on this database: its listener connects with the pool's own settings. This
 * process's own writes also clear it as they are sent, so its next request never waits on the NOTIFY.
 */
export function identityCacheFor(knex: Knex, logger: Logger): IdentityCache {
  // knex types its client loosely: the connection settings are those createKnex gave (src/db/connection.ts).
  const client = knex.client as { config: { connection: { connectionString: string } }; pool?: unknown };
  const cache = createIdentityCache({
    listener: (onChange) =>
      createChangeListener({
        url: client.config.connection.connectionString,
        channel: IDENTITY_CHANNEL,
        logger,
        onChange,
        // knex.destroy() drops the pool: a process that closed its database stops listening too.
        inUse: () => client.pool !== undefined,
      }),
  });
  knex.on('query', (query: { sql?: unknown }) => {
    if (typeof query.sql === 'string' && IDENTITY_WRITE.test(query.sql) && !LAST_USE.test(query.sql))
      cache.clear();
  });
  return cache;
}
