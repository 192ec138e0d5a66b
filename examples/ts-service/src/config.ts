// The service configuration, read from environment variables and validated
// once at start-up, so that a misconfigured pod fails fast with a message
// naming every bad variable instead of misbehaving later.
import { z } from 'zod';

/** The port the service listens on when PORT is not set. */
export const DEFAULT_PORT = 8080;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** The settings for the start-up log line, without secrets. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    port: config.port,
    log_level: config.logLevel,
    shutdown_delay: formatDuration(config.shutdownDelayMs),
    shutdown_timeout: formatDuration(config.shutdownTimeoutMs),
  };
}
