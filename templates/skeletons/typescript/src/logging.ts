// The service's JSON logger. Fastify gives every request a child logger that
// adds the request id, so each line written for a request names it.
import { pino, type DestinationStream, type Logger } from 'pino';

import type { LogLevel } from './config.ts';

export type { Logger };

/**
 * A logger writing one JSON object per line to destination (standard output
 * by default) at level and above. Lines look like the Go services' ones:
 * {"level":"INFO","time":"2026-01-02T15:04:05.000Z","msg":"request",...}.
 * Log errors under the key "error": log.error({ error }, 'what failed').
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    // No pid or hostname: Kubernetes labels the logs with the pod.
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label.toUpperCase() }) },
    serializers: { error: pino.stdSerializers.err },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
