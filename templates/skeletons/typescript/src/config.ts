// The service configuration, read from environment variables and validated
// once at start-up, so that a misconfigured pod fails fast with a message
// naming every bad variable instead of misbehaving later.
import { z } from 'zod';

/** The port the service listens on when PORT is not set. */
export const DEFAULT_PORT = ${{ values.port }};

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
{%- if values.database %}

/** The sslmode values libpq accepts. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
{%- endif %}

/** The validated service configuration. */
export interface Config {
  /** TCP port for the API, health checks and metrics. */
  readonly port: number;
  /** Minimum level of the JSON logs. */
  readonly logLevel: LogLevel;
  /** How long the service keeps serving, while reporting not-ready, after SIGTERM. */
  readonly shutdownDelayMs: number;
  /** How long in-flight requests may take to finish after that. */
  readonly shutdownTimeoutMs: number;
{%- if values.database %}
  /**
   * PostgreSQL connection URL. It can contain the password: never log it
   * (describeConfig leaves it out).
   */
  readonly databaseUrl: string;
{%- endif %}
}

/** Every problem found in the environment; the message has one per line. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Environment variables, such as process.env. */
export type Env = Readonly<Record<string, string | undefined>>;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses a duration such as "5s", "1m30s", "250ms" or "0" (Go's notation, as
 * the Go services read it) into milliseconds; undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(ms);
}

/** Formats milliseconds the way parseDuration reads them, e.g. 90500 → "1m30s500ms". */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s], ['ms', UNIT_MS.ms]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length > 0 ? parts.join('') : '0s';
}

// The schema of each variable: it receives the value trimmed and non-empty
// (unset or blank means "use the default").
const port = z
  .string()
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(65535));
const logLevel = z
  .string()
  .transform(v => v.toLowerCase())
  .pipe(z.enum(LOG_LEVELS));
const duration = (min: number) =>
  z
    .string()
    .transform(parseDuration)
    .pipe(z.number().min(min));

/** The variables with a format, each with its schema and the rule its error message states. */
const variables = {
  PORT: { schema: port, rule: 'must be a number from 1 to 65535' },
  LOG_LEVEL: { schema: logLevel, rule: `must be one of ${LOG_LEVELS.join(', ')}` },
  SHUTDOWN_DELAY: { schema: duration(0), rule: 'must be a duration such as 5s (0 or more)' },
  SHUTDOWN_TIMEOUT: { schema: duration(1), rule: 'must be a positive duration such as 15s' },
{%- if values.database %}
  DB_PORT: { schema: port, rule: 'must be a number from 1 to 65535' },
  DB_SSLMODE: { schema: z.enum(SSL_MODES), rule: `must be one of ${SSL_MODES.join(', ')}` },
{%- endif %}
} as const;

type Variable = keyof typeof variables;
type ValueOf<K extends Variable> = z.output<(typeof variables)[K]['schema']>;

/** Reads variables and collects the problems found. */
class Reader {
  readonly problems: string[] = [];
  readonly env: Env;

  constructor(env: Env) {
    this.env = env;
  }

  /** The trimmed value of key, or undefined when it is unset or blank. */
  get(key: string): string | undefined {
    const value = this.env[key]?.trim();
    return value === '' ? undefined : value;
  }

  /** The parsed value of a variable with a format; undefined when unset or invalid. */
  read<K extends Variable>(key: K): ValueOf<K> | undefined {
    const raw = this.get(key);
    if (raw === undefined) return undefined;
    const result = variables[key].schema.safeParse(raw);
    if (result.success) return result.data as ValueOf<K>;
    this.problems.push(`${key} ${variables[key].rule}, got ${JSON.stringify(raw)}`);
    return undefined;
  }
}

/** Reads the configuration from env (process.env in production); a ConfigError lists every problem. */
export function loadConfig(env: Env): Config {
  const r = new Reader(env);
  const config: Config = {
    port: r.read('PORT') ?? DEFAULT_PORT,
    logLevel: r.read('LOG_LEVEL') ?? 'info',
    shutdownDelayMs: r.read('SHUTDOWN_DELAY') ?? 0,
    shutdownTimeoutMs: r.read('SHUTDOWN_TIMEOUT') ?? 15_000,
{%- if values.database %}
    databaseUrl: databaseUrl(r),
{%- endif %}
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
{%- if values.database %}

/**
 * DATABASE_URL when it is set; otherwise a URL built from the DB_* variables,
 * which the Helm chart fills from the keys of the CloudNativePG application
 * secret (host, port, dbname, username, password).
 */
function databaseUrl(r: Reader): string {
  const url = r.get('DATABASE_URL');
  if (url !== undefined) {
    const problem = checkDatabaseUrl(url);
    if (problem !== undefined) r.problems.push(problem);
    return url;
  }

  const host = r.get('DB_HOST');
  const name = r.get('DB_NAME');
  const user = r.get('DB_USER');
  if (host === undefined && name === undefined && user === undefined) {
    r.problems.push(
      'set DATABASE_URL, or DB_HOST, DB_NAME and DB_USER (DB_PORT, DB_PASSWORD and DB_SSLMODE are optional)',
    );
    return '';
  }
  for (const [key, value] of [['DB_HOST', host], ['DB_NAME', name], ['DB_USER', user]] as const) {
    if (value === undefined) r.problems.push(`${key} is required when DATABASE_URL is not set`);
  }
  const dbPort = r.read('DB_PORT') ?? 5432;
  // CloudNativePG serves TLS; "require" encrypts without a plaintext fallback.
  const sslMode = r.read('DB_SSLMODE') ?? 'require';
  if (host === undefined || name === undefined || user === undefined) return '';

  const u = new URL('postgres://placeholder');
  const hostname = host.includes(':') ? `[${host}]` : host; // an IPv6 address needs brackets
  u.hostname = hostname;
  if (u.hostname !== hostname) {
    // The URL parser ignores a host name it cannot use.
    r.problems.push(`DB_HOST must be a host name or an IP address, got ${JSON.stringify(host)}`);
    return '';
  }
  u.port = String(dbPort);
  u.pathname = `/${encodeURIComponent(name)}`;
  u.username = encodeURIComponent(user);
  // The password is used as is (not trimmed: spaces may belong to it).
  const password = r.env['DB_PASSWORD'];
  if (password) u.password = encodeURIComponent(password);
  u.searchParams.set('sslmode', sslMode);
  return u.href;
}

/**
 * Why url is not a usable PostgreSQL URL, or undefined when it is. The
 * message never quotes the URL: it can contain the password.
 */
export function checkDatabaseUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'DATABASE_URL is not a valid URL (details withheld because they could contain the password)';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    return 'DATABASE_URL must start with postgres:// or postgresql://';
  }
  const sslMode = u.searchParams.get('sslmode');
  if (sslMode !== null && !(SSL_MODES as readonly string[]).includes(sslMode)) {
    return `DATABASE_URL has sslmode=${sslMode}; it must be one of ${SSL_MODES.join(', ')}`;
  }
  return undefined;
}
{%- endif %}

/** The settings for the start-up log line, without secrets. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    port: config.port,
    log_level: config.logLevel,
    shutdown_delay: formatDuration(config.shutdownDelayMs),
    shutdown_timeout: formatDuration(config.shutdownTimeoutMs),
{%- if values.database %}
    database: describeDatabaseUrl(config.databaseUrl),
{%- endif %}
  };
}
{%- if values.database %}

/** Host, port, database and user of a PostgreSQL URL: everything but the password. */
export function describeDatabaseUrl(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port || '5432',
    name: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    sslmode: u.searchParams.get('sslmode') ?? '',
  };
}
{%- endif %}
