import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Ajv from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import type { JobQueueOptions } from './jobs/queue';
import type { MailSettings } from './notifications/mailer';
import type { RateLimitSettings } from './http/rate-limit';
import { readSamlSettings, SAML_ENV, type SamlEnv, type SamlSettings } from './saml/settings';

export type NodeEnv = 'development' | 'test' | 'production';
export type AuthMode = 'dev' | 'saml';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** `json`: one JSON object a line, for log collectors. `pretty`: lines for people reading a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface Config {
  env: NodeEnv;
  port: number;
  host: string;
  /** Unset: the app starts its own embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolMax: number;
  /** Longest a statement may run before PostgreSQL cancels it (0: no limit). */
  databaseStatementTimeoutMs: number;
  dataDir: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  authMode: AuthMode;
  /** Single sign-on, when `authMode` is saml. */
  saml: SamlSettings | undefined;
  seedDemo: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
  trustProxyHops: number;
  bodyLimit: string;
  /**
   * Largest case list accepted: CSV streams, so this can be large; a workbook's zip is held in memory while
   * it is read, so at most 50 MB (src/files/limits.ts).
   */
  caseImportMaxMb: number;
  healthTimeoutMs: number;
  shutdownTimeoutMs: number;
  gitCommit: string | undefined;
  /** Working days an overdue remediation record stays with the head of service before it goes to the director. */
  remediationDirectorAfterDays: number;
  /** Where users reach the service: the links in emails, and the domain of their Message-IDs. */
  publicUrl: string;
  mail: MailSettings;
  jobs: JobQueueOptions;
  rateLimits: RateLimitSettings;
  /** Retention of children's records: whether the nightly sweep pseudonymises what is due, and how many a run. */
  retention: { enforce: boolean; batchSize: number };
}

/** Every environment variable the service reads, with its type and default; the README's table mirrors this. */
const envSchema = {
  type: 'object',
  properties: {
    NODE_ENV: { enum: ['development', 'test', 'production'], default: 'development' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1 },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    DATABASE_POOL_MAX: { type: 'integer', minimum: 2, maximum: 200, default: 10 },
    DATABASE_STATEMENT_TIMEOUT_MS: { type: 'integer', minimum: 0, maximum: 3600000, default: 30000 },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    SESSION_SECRET: { type: 'string', minLength: 32 },
    SESSION_IDLE_MINUTES: { type: 'integer', minimum: 1, maximum: 1440, default: 30 },
    SESSION_MAX_HOURS: { type: 'integer', minimum: 1, maximum: 168, default: 10 },
    AUTH_MODE: { enum: ['dev', 'saml'] },
    SEED_DEMO: { enum: ['0', '1', 'true', 'false'] },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    LOG_FORMAT: { enum: ['json', 'pretty'] },
    TRUST_PROXY: { type: 'integer', minimum: 0, maximum: 10, default: 0 },
    BODY_LIMIT: { type: 'string', pattern: '^[0-9]+(b|kb|mb)$', default: '1mb' },
    CASE_IMPORT_MAX_MB: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
    HEALTH_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 60000, default: 2000 },
    SHUTDOWN_TIMEOUT_MS: { type: 'integer', minimum: 1000, maximum: 300000, default: 10000 },
    GIT_COMMIT: { type: 'string', pattern: '^[0-9a-f]{7,40}$' },
    REMEDIATION_DIRECTOR_AFTER_DAYS: { type: 'integer', minimum: 1, maximum: 60, default: 10 },
    PUBLIC_URL: { type: 'string', pattern: '^https?://[^/?#\\s]+/?$' },
    MAIL_TRANSPORT: { enum: ['smtp', 'outbox'] },
    SMTP_URL: { type: 'string', pattern: '^smtps?://[^\\s]+$' },
    MAIL_FROM: { type: 'string', pattern: '^([^<>]*<[^\\s<>@]+@[^\\s<>@]+>|[^\\s<>@]+@[^\\s<>@]+)$' },
    JOB_POLL_SECONDS: { type: 'integer', minimum: 1, maximum: 60, default: 2 },
    JOB_MAINTENANCE_SECONDS: { type: 'integer', minimum: 1, maximum: 3600, default: 60 },
    NOTIFICATION_SEND_TIMEOUT_SECONDS: { type: 'integer', minimum: 1, maximum: 3600, default: 120 },
    REPORT_PACK_TIMEOUT_SECONDS: { type: 'integer', minimum: 1, maximum: 3600, default: 900 },
    JOB_RETRY_DELAY_SECONDS: { type: 'integer', minimum: 1, maximum: 3600 },
    RATE_LIMIT_SIGN_IN_PER_ADDRESS: { type: 'integer', minimum: 1, maximum: 1000000, default: 60 },
    RATE_LIMIT_SIGN_IN_PER_ACCOUNT: { type: 'integer', minimum: 1, maximum: 1000000, default: 10 },
    RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS: { type: 'integer', minimum: 1, maximum: 1000000, default: 20 },
    RETENTION_ENFORCE: { enum: ['0', '1', 'true', 'false'], default: 'false' },
    RETENTION_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 100000, default: 500 },
    ...Object.fromEntries(SAML_ENV.map((name) => [name, { type: 'string', minLength: 1 }])),
  },
} as const;

/** The environment as the schema reads it: defaults filled in, numbers coerced. */
type RawEnv = FromSchema<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true });
const validateEnv = ajv.compile<RawEnv>(envSchema);

function describeEnvError(instancePath: string, message: string | undefined, value: unknown): string {
  const name = instancePath.replace(/^\//, '');
  return `${name}: ${message ?? 'is not valid'} (got ${JSON.stringify(value)})`;
}

/** Reads the configuration once, at boot, and fails with every problem listed rather than the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(envSchema.properties)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const original = { ...known };
  if (!validateEnv(known)) {
    throw new ConfigError(
      (validateEnv.errors ?? []).map((e) =>
        describeEnvError(e.instancePath, e.message, original[e.instancePath.slice(1)]),
      ),
    );
  }
  const raw = known;
  const production = raw.NODE_ENV === 'production';
  const authMode: AuthMode = raw.AUTH_MODE ?? (production ? 'saml' : 'dev');

  const problems: string[] = [];
  if (production && !raw.SESSION_SECRET) {
    problems.push('SESSION_SECRET: is required when NODE_ENV=production (at least 32 characters)');
  }
  if (production && !raw.DATABASE_URL) {
    problems.push(
      'DATABASE_URL: is required when NODE_ENV=production (the embedded database is for development only)',
    );
  }
  if (production && authMode === 'dev') {
    problems.push('AUTH_MODE: dev sign-in is refused when NODE_ENV=production');
  }
  if (production && !raw.PUBLIC_URL) {
    problems.push('PUBLIC_URL: is required when NODE_ENV=production (the address in the links emails carry)');
  }
  const mailTransport = raw.MAIL_TRANSPORT ?? (raw.SMTP_URL ? 'smtp' : production ? undefined : 'outbox');
  if (!mailTransport) {
    problems.push(
      'MAIL_TRANSPORT: is required when NODE_ENV=production: smtp (with SMTP_URL and MAIL_FROM), or outbox to send no email',
    );
  }
  if (mailTransport === 'smtp') {
    if (!raw.SMTP_URL)
      problems.push('SMTP_URL: is required when MAIL_TRANSPORT=smtp (smtp://user:password@host:587)');
    if (!raw.MAIL_FROM)
      problems.push(
        'MAIL_FROM: is required when MAIL_TRANSPORT=smtp (Case Audit <case-audit@council.gov.uk>)',
      );
  }
  const publicUrl = raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`;
  const saml = authMode === 'saml' ? readSamlSettings(raw as SamlEnv, publicUrl) : undefined;
  problems.push(...(saml?.problems ?? []));
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: raw.NODE_ENV,
    port: raw.PORT,
    host: raw.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: raw.DATABASE_URL,
    databasePoolMax: raw.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: raw.DATABASE_STATEMENT_TIMEOUT_MS,
    dataDir: path.resolve(raw.DATA_DIR),
    // Outside production a per-process secret is enough: sessions end when the server restarts.
    sessionSecret: raw.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionIdleMinutes: raw.SESSION_IDLE_MINUTES,
    sessionMaxHours: raw.SESSION_MAX_HOURS,
    authMode,
    saml: saml?.settings,
    seedDemo: raw.SEED_DEMO === undefined ? !raw.DATABASE_URL : ['1', 'true'].includes(raw.SEED_DEMO),
    logLevel: raw.LOG_LEVEL,
    logFormat: raw.LOG_FORMAT ?? (production ? 'json' : 'pretty'),
    trustProxyHops: raw.TRUST_PROXY,
    bodyLimit: raw.BODY_LIMIT,
    caseImportMaxMb: raw.CASE_IMPORT_MAX_MB,
    healthTimeoutMs: raw.HEALTH_TIMEOUT_MS,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    gitCommit: raw.GIT_COMMIT,
    remediationDirectorAfterDays: raw.REMEDIATION_DIRECTOR_AFTER_DAYS,
    publicUrl,
    mail: {
      transport: mailTransport ?? 'outbox',
      smtpUrl: raw.SMTP_URL,
      from: raw.MAIL_FROM ?? 'Case Audit <case-audit@localhost>',
    },
    rateLimits: {
      signInPerAddress: raw.RATE_LIMIT_SIGN_IN_PER_ADDRESS,
      signInPerAccount: raw.RATE_LIMIT_SIGN_IN_PER_ACCOUNT,
      tokenFailuresPerAddress: raw.RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS,
    },
    retention: {
      enforce: ['1', 'true'].includes(raw.RETENTION_ENFORCE),
      batchSize: raw.RETENTION_BATCH_SIZE,
    },
    jobs: {
      pollingIntervalSeconds: raw.JOB_POLL_SECONDS,
      maintenanceIntervalSeconds: raw.JOB_MAINTENANCE_SECONDS,
      expireInSeconds: {
        'notification-send': raw.NOTIFICATION_SEND_TIMEOUT_SECONDS,
        'report-pack': raw.REPORT_PACK_TIMEOUT_SECONDS,
      },
      ...(raw.JOB_RETRY_DELAY_SECONDS ? { retryDelaySeconds: raw.JOB_RETRY_DELAY_SECONDS } : {}),
    },
  };
}
