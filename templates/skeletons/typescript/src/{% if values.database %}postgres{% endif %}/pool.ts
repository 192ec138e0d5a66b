// The PostgreSQL connection pool.
import { setTimeout as sleep } from 'node:timers/promises';

import { Pool } from 'pg';

import { formatDuration } from '../config.ts';
import type { Logger } from '../logging.ts';

/**
 * url with libpq's meaning of sslmode, as the Go services (pgx) have it:
 * "require" encrypts without verifying the server's certificate (node-postgres
 * 8 would verify it, which fails with CloudNativePG's own CA), "verify-ca" and
 * "verify-full" verify against sslrootcert. node-postgres cannot fall back
 * between plaintext and TLS: "prefer" always uses TLS and "allow" never does.
 */
export function libpqCompatibleUrl(url: string): string {
  const u = new URL(url);
  const sslMode = u.searchParams.get('sslmode');
  if (sslMode === null || u.searchParams.has('uselibpqcompat')) return url;
  if (sslMode === 'allow') u.searchParams.set('sslmode', 'disable');
  u.searchParams.set('uselibpqcompat', 'true');
  return u.href;
}

export interface ConnectOptions {
  /** A postgres:// URL, as Config.databaseUrl. */
  url: string;
  /** Shown in pg_stat_activity, unless the URL sets application_name. */
  applicationName: string;
  /** How long to wait for PostgreSQL to answer. */
  waitMs: number;
  logger: Logger;
  /** Stops the waiting, e.g. on SIGTERM. */
  signal?: AbortSignal;
}

/**
 * Opens a connection pool and waits up to waitMs for PostgreSQL to answer,
 * retrying with backoff: when the database is deployed together with the
 * service, it is often still starting.
 */
export async function connect(options: ConnectOptions): Promise<Pool> {
  const pool = new Pool({
    connectionString: libpqCompatibleUrl(options.url),
    application_name: options.applicationName,
    max: 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that breaks (e.g. a database failover) must not crash
  // the process; the pool replaces it.
  pool.on('error', error => {
    options.logger.warn({ error }, 'idle database connection failed');
  });

  const deadline = Date.now() + options.waitMs;
  for (let backoff = 250; ; backoff = Math.min(2 * backoff, 5000)) {
    try {
      await pool.query('SELECT 1');
      return pool;
    } catch (error) {
      const reason = (error as Error).message;
      if (options.signal?.aborted) {
        await pool.end();
        throw new Error(`stopped while waiting for the database: ${reason}`, { cause: error });
      }
      if (Date.now() + backoff > deadline) {
        await pool.end();
        throw new Error(`database not reachable after ${formatDuration(options.waitMs)}: ${reason}`, { cause: error });
      }
      options.logger.warn({ reason, retry_in: formatDuration(backoff) }, 'waiting for the database');
      await sleep(backoff, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => undefined);
    }
  }
}
