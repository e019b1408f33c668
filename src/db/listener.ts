import type { Socket } from 'node:net';
import pg from 'pg';
import type { Logger } from '../logger';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export interface ChangeListener {
  /** True while LISTEN is in force: only then can a cache trust that it hears of every change. */
  readonly listening: boolean;
  /**
   * Connects and LISTENs, if not already; reconnects by itself after losing the connection. Resolves once
   * the first attempt is over, listening or not.
   */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A connection of its own (not the pool's: LISTEN belongs to one session) that LISTENs on `channel` and
 * calls `onChange` for every notification, and also whenever it stops listening (notifications may be
 * missed while it is down, so whatever it guards must be forgotten).
 */
export function createChangeListener(options: {
  url: string;
  channel: string;
  logger: Logger;
  onChange: () => void;
  /** Whether what it serves is still in use: once not (its pool closed), it stops reconnecting. */
  inUse?: () => boolean;
}): ChangeListener {
  const { url, channel, logger, onChange, inUse = () => true } = options;
  let client: pg.Client | undefined;
  let listening = false;
  let started: Promise<void> | undefined;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  function lost(err?: unknown) {
    if (!listening && !client) return;
    if (err && !closed) logger.warn({ err, channel }, 'stopped listening for changes; reconnecting');
    listening = false;
    const old = client;
    client = undefined;
    old?.end().catch(() => undefined);
    onChange();
    retry();
  }

  function retry() {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  async function connect() {
    if (!inUse()) closed = true;
    if (closed || client) return;
    const next = new pg.Client({ connectionString: url, application_name: 'case-audit-listener' });
    client = next;
    next.on('error', (err) => lost(err));
    next.on('end', () => lost());
    next.on('notification', () => onChange());
    try {
      await next.connect();
      // The listener never keeps a process alive by itself: the server's own socket does that.
      (next as unknown as { connection?: { stream?: Socket } }).connection?.stream?.unref?.();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (closed || client !== next) return;
      listening = true;
      retryMs = RETRY_MIN_MS;
    } catch (err) {
      // The database is gone for good (dropped): nothing more to hear.
      if ((err as { code?: unknown }).code === '3D000') closed = true;
      if (client === next) lost(err);
    }
  }

  return {
    get listening() {
      return listening;
    },
    start() {
      if (closed) return Promise.resolve();
      started ??= connect();
      return started;
    },
    async close() {
      closed = true;
      listening = false;
      clearTimeout(timer);
      const old = client;
      client = undefined;
      await old?.end().catch(() => undefined);
    },
  };
}
