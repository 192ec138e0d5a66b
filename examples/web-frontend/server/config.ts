/**
 * The static server's settings, read from environment variables and validated
 * once at start-up: a misconfigured pod fails fast with a message naming every
 * bad variable instead of misbehaving later.
 */
import { buildPublicConfig, type Env, type PublicConfig } from './publicConfig.ts';
import { LOG_LEVELS, type LogLevel } from './logging.ts';

/** The port the server listens on when PORT is not set. */
export const DEFAULT_PORT = 8080;

export interface ServerConfig {
  /** TCP port for the app, health checks and metrics. */
  readonly port: number;
  /** Minimum level of the JSON logs. */
  readonly logLevel: LogLevel;
  /** After SIGTERM, how long to keep serving while /readyz fails. */
  readonly shutdownDelayMs: number;
  /** How long in-flight requests may take to finish after that. */
  readonly shutdownTimeoutMs: number;
  /** Served as /config.json; its version is the build's version. */
  readonly publicConfig: PublicConfig;
  /**
   * Origins asked for a hashed asset this build lacks (the canary tracks'
   * Services, from ASSET_FALLBACK_ORIGINS); empty: none.
   */
  readonly assetFallbackOrigins: readonly string[];
}

/** Thrown by loadConfig; problems lists every invalid variable. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads the configuration from env and reports all invalid variables at once. */
export function loadConfig(env: Env): ServerConfig {
  const problems: string[] = [];
  const get = (name: string) => env[name]?.trim() ?? '';

  let port = DEFAULT_PORT;
  const portValue = get('PORT');
  if (portValue) {
    const parsed = /^\d{1,5}$/.test(portValue) ? Number(portValue) : NaN;
    if (parsed >= 1 && parsed <= 65535) {
      port = parsed;
    } else {
      problems.push(`PORT must be a number from 1 to 65535, got ${JSON.stringify(portValue)}`);
    }
  }

  let logLevel: LogLevel = 'info';
  const levelValue = get('LOG_LEVEL').toLowerCase();
  if (levelValue) {
    if (isLogLevel(levelValue)) {
      logLevel = levelValue;
    } else {
      problems.push(
        `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(get('LOG_LEVEL'))}`,
      );
    }
  }

  let shutdownDelayMs = 0;
  const delayValue = get('SHUTDOWN_DELAY');
  if (delayValue) {
    const ms = parseDuration(delayValue);
    if (ms === undefined) {
      problems.push(
        `SHUTDOWN_DELAY must be a duration such as 5s (0 or more), got ${JSON.stringify(delayValue)}`,
      );
    } else {
      shutdownDelayMs = ms;
    }
  }

  let shutdownTimeoutMs = 15_000;
  const timeoutValue = get('SHUTDOWN_TIMEOUT');
  if (timeoutValue) {
    const ms = parseDuration(timeoutValue);
    if (ms === undefined || ms === 0) {
      problems.push(
        `SHUTDOWN_TIMEOUT must be a positive duration such as 15s, got ${JSON.stringify(timeoutValue)}`,
      );
    } else {
      shutdownTimeoutMs = ms;
    }
  }

  const assetFallbackOrigins: string[] = [];
  for (const origin of get('ASSET_FALLBACK_ORIGINS').split(',').map(o => o.trim()).filter(Boolean)) {
    if (isOrigin(origin)) {
      assetFallbackOrigins.push(origin.replace(/\/$/, ''));
    } else {
      problems.push(
        `ASSET_FALLBACK_ORIGINS must be comma-separated http(s) origins such as http://web-canary, got ${JSON.stringify(origin)}`,
      );
    }
  }

  const { config: publicConfig, problems: publicProblems } = buildPublicConfig(env);
  problems.push(...publicProblems);

  if (problems.length > 0) throw new ConfigError(problems);
  return { port, logLevel, shutdownDelayMs, shutdownTimeoutMs, publicConfig, assetFallbackOrigins };
}

/** An http(s) URL with nothing but scheme, host and port. */
function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && `${url.origin}/` === `${text.replace(/\/$/, '')}/`;
  } catch {
    return false;
  }
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as 500ms, 5s, 1.5m or 1h (or a bare 0) into
 * milliseconds; undefined when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  const factor = UNIT_MS[unit];
  return factor === undefined ? undefined : Math.round(Number(amount) * factor);
}
