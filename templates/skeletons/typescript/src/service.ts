// The service's life: configuration, wiring, serving, graceful shutdown.
import { once } from 'node:events';

import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';

import { describeConfig, loadConfig, type Env } from './config.ts';
import { buildApp } from './http/app.ts';
{%- if not values.database %}
import { MemoryStore } from './items/memory.ts';
{%- endif %}
import { createLogger } from './logging.ts';
import { createRegistry, HttpMetrics } from './metrics.ts';
{%- if values.database %}
import { PgItemStore } from './postgres/items.ts';
import { migrate, pendingMigrations } from './postgres/migrate.ts';
import { connect } from './postgres/pool.ts';
{%- endif %}
import { shutdown } from './shutdown.ts';

/** Names the service in logs{% if values.database %} and database sessions{% endif %}. */
export const SERVICE_NAME = '${{ values.name }}';
{%- if values.database %}

/**
 * How long start-up waits for PostgreSQL, which is often still starting when
 * it is deployed together with the service. It is shorter than the chart's
 * startup probe budget (30 x 2s): the service exits with its own error
 * message before the kubelet restarts it.
 */
export const DATABASE_WAIT_MS = 45_000;
{%- endif %}

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
{%- if values.database %}

  const pool = await connect({
    url: config.databaseUrl,
    applicationName: SERVICE_NAME,
    waitMs: DATABASE_WAIT_MS,
    logger,
    signal: options.signal,
  });
  try {
    // The service never migrates: the migration Job did before this release's
    // pods started. A schema without this build's migrations means it did not run.
    const pending = await pendingMigrations(pool);
    if (pending.length > 0) {
      throw new Error(
        `the database lacks migrations ${pending.join(', ')} of this build: run \`node dist/server.js migrate\` first (in Kubernetes the chart's migration Job does)`,
      );
    }
    const app = buildApp({
      logger,
      registry,
      metrics: new HttpMetrics(registry),
      items: new PgItemStore(pool),
      ready: async () => {
        if (draining) throw new Error('shutting down');
        await pool.query('SELECT 1');
      },
    });
    await serve(app, config.port, options.signal);
    await shutdown(app, {
      delayMs: config.shutdownDelayMs,
      timeoutMs: config.shutdownTimeoutMs,
      drain: () => {
        draining = true;
      },
    });
  } finally {
    await pool.end();
  }
{%- else %}

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
{%- endif %}
  logger.info('stopped');
}

{%- if values.database %}
/**
 * Applies the pending schema migrations and resolves once they are applied:
 * the migrate command, which the chart's migration Job runs before each
 * release's pods start.
 */
export async function runMigrations(options: RunOptions): Promise<string[]> {
  const config = loadConfig(options.env);
  const logger = createLogger(config.logLevel, options.logDestination);
  logger.info({ service: SERVICE_NAME, version: options.version }, 'migrating');
  const pool = await connect({
    url: config.databaseUrl,
    applicationName: `${SERVICE_NAME}-migrate`,
    waitMs: DATABASE_WAIT_MS,
    logger,
    signal: options.signal,
  });
  try {
    const applied = await migrate(pool);
    logger.info({ applied_migrations: applied }, 'database schema up to date');
    return applied;
  } finally {
    await pool.end();
  }
}

{% endif -%}
/** Listens on port on every interface and resolves when signal aborts. */
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
