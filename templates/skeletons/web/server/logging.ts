/**
 * A small JSON-lines logger: one object per line on stdout, in the shape of
 * Go's log/slog JSON handler ({"time","level","msg",...attributes}) so that the
 * logs of every Runway service can be parsed the same way.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogAttributes = Readonly<Record<string, unknown>>;

export interface Logger {
  log(level: LogLevel, msg: string, attributes?: LogAttributes): void;
  debug(msg: string, attributes?: LogAttributes): void;
  info(msg: string, attributes?: LogAttributes): void;
  warn(msg: string, attributes?: LogAttributes): void;
  error(msg: string, attributes?: LogAttributes): void;
}

export interface LoggerOptions {
  /** Records below this level are dropped. */
  level: LogLevel;
  /** Receives each line, newline included (process.stdout.write in production). */
  write: (line: string) => void;
  /** The clock; tests pin it. */
  now?: () => Date;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger({ level, write, now = () => new Date() }: LoggerOptions): Logger {
  const log = (recordLevel: LogLevel, msg: string, attributes: LogAttributes = {}) => {
    if (RANK[recordLevel] < RANK[level]) return;
    // time, level and msg first, as slog writes them; attributes cannot replace them.
    const record: Record<string, unknown> = {
      time: now().toISOString(),
      level: recordLevel.toUpperCase(),
      msg,
    };
    for (const [key, value] of Object.entries(attributes)) {
      if (!(key in record)) record[key] = value;
    }
    write(`${JSON.stringify(record, errorReplacer)}\n`);
  };
  return {
    log,
    debug: (msg, attributes) => {
      log('debug', msg, attributes);
    },
    info: (msg, attributes) => {
      log('info', msg, attributes);
    },
    warn: (msg, attributes) => {
      log('warn', msg, attributes);
    },
    error: (msg, attributes) => {
      log('error', msg, attributes);
    },
  };
}

/** Errors serialize as their message (JSON.stringify would write {}). */
function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}
