// The service's life: configuration, wiring, serving, graceful shutdown.
import { once } from 'node:events';

import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';

import { describeConfig, loadConfig, type Env } from './config.ts';
import { buildApp } from './http/app.ts';
import { MemoryStore } from './items/memory.ts';
import { createLogger } from './logging.ts';
import { createRegistry, HttpMetrics } from './metrics.ts';
import { shutdown } from './shutdown.ts';

/** Names the service in logs. */
export const SERVICE_NAME = 'orders-api';

export interface RunOptions {
  /** The environment variables (process.env). */
  env: Env;
  /** Aborted on SIGTERM or SIGINT: the service then shuts down gracefully. */
  signal: AbortSignal;
  /** The build's version, for logs and service_build_info. */
  version: string;
  /** Where the logs go; standard output by default. */
  logDestination?: DestinationStream;
}

/**
 * Starts the service and resolves once signal has aborted and the server has
 * shut down; rejects when it cannot start (a ConfigError names every invalid
 * variable) or cannot shut down in time.
 */
export async function run(options: RunOptions): Promise<void> {
  const config = loadConfig(options.env);
  const logger = createLogger(config.logLevel, options.logDestination);
  logger.info(
    { service: SERVICE_NAME, version: options.version, node_version: process.version, config: describeConfig(config) },
    'starting',
  );
  const registry = createRegistry(options.version);
  let draining = false;

  const app = buildApp({
    logger,
    registry,
    metrics: new HttpMetrics(registry),
    items: new MemoryStore(),
    ready: () => (draining ? Promise.reject(new Error('shutting down')) : Promise.resolve()),
  });
  await serve(app, config.port, options.signal);
  await shutdown(app, {
    delayMs: config.shutdownDelayMs,
    timeoutMs: config.shutdownTimeoutMs,
    drain: () => {
      draining = true;
    },
  });
  logger.info('stopped');
}/** Listens on port on every interface and resolves when signal aborts. */
async function serve(app: FastifyInstance, port: number, signal: AbortSignal): Promise<void> {
  const listenTextResolver = (address: string) => `listening on ${address}`;
  try {
    // "::" takes IPv4 connections too, and IPv6 ones in IPv6 clusters.
    await app.listen({ port, host: '::', listenTextResolver });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT') throw error;
    await app.listen({ port, host: '0.0.0.0', listenTextResolver }); // no IPv6 on this host
  }
  if (!signal.aborted) await once(signal, 'abort');
}
