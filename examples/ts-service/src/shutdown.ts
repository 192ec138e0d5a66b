// Graceful shutdown: stop taking new traffic, finish what is in flight.
import { setTimeout as sleep } from 'node:timers/promises';

import type { FastifyInstance } from 'fastify';

import { formatDuration } from './config.ts';

export interface ShutdownOptions {
  /** How long to keep serving, while /readyz fails, before closing. */
  delayMs: number;
  /** How long in-flight requests may then take to finish. */
  timeoutMs: number;
  /** Called first: makes readiness fail. */
  drain: () => void;
}

/**
 * Reports not-ready first and keeps serving for delayMs, so that Kubernetes
 * and the mesh stop routing here before connections are refused; then stops
 * accepting connections and waits up to timeoutMs for in-flight requests.
 * Rejects, after closing the remaining connections, when they take longer.
 */
export async function shutdown(app: FastifyInstance, options: ShutdownOptions): Promise<void> {
  app.log.info(
    { delay: formatDuration(options.delayMs), timeout: formatDuration(options.timeoutMs) },
    'shutting down',
  );
  options.drain();
  await sleep(options.delayMs);

  const closed = app.close();
  const timer = new AbortController();
  let timedOut: boolean;
  try {
    timedOut = await Promise.race([
      closed.then(() => false),
      sleep(options.timeoutMs, true, { signal: timer.signal }),
    ]);
  } finally {
    timer.abort();
  }
  if (timedOut) {
    app.server.closeAllConnections();
    await closed;
    throw new Error(`graceful shutdown: requests still running after ${formatDuration(options.timeoutMs)}`);
  }
}
