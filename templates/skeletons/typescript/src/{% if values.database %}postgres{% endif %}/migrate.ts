// Schema migrations, applied by the migrate command (the chart's migration Job)
// before a release's pods start; the service itself never migrates.
import type { Pool } from 'pg';

import { migrations as defaultMigrations } from './migrations.ts';

export interface Migration {
  /** Unique and increasing: the order in which migrations apply. */
  readonly version: number;
  readonly name: string;
  /** One or more SQL statements. */
  readonly sql: string;
}

/**
 * The key of the advisory lock that serialises migrations when two runs
 * overlap (a retried Job, a person running migrate by hand).
 */
export const MIGRATION_LOCK = 7_312_546_890_231_761;

/** Why a list of migrations cannot be applied, or undefined when it can. */
export function checkMigrations(list: readonly Migration[]): string | undefined {
  for (const [i, m] of list.entries()) {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      return `migration ${m.name}: the version must be a positive integer`;
    }
    const previous = list[i - 1];
    if (previous && m.version <= previous.version) {
      return `migration ${m.name}: version ${m.version} must be greater than ${previous.version} of ${previous.name}`;
    }
  }
  return undefined;
}

/**
 * Applies the migrations that the database has not seen yet, all in one
 * transaction, and returns the names of those it applied. Running it again
 * is a no-op.
 */
export async function migrate(pool: Pool, list: readonly Migration[] = defaultMigrations): Promise<string[]> {
  const problem = checkMigrations(list);
  if (problem !== undefined) throw new Error(problem);

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    bigint PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: string }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map(row => Number(row.version)));

    const applied: string[] = [];
    for (const m of list) {
      if (done.has(m.version)) continue;
      try {
        // Without parameters pg uses the simple protocol, which allows several statements.
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      } catch (error) {
        throw new Error(`migration ${m.name}: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.name);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The names of the migrations of this build that the database has not applied
 * yet (all of them on an empty database).
 */
export async function pendingMigrations(pool: Pool, list: readonly Migration[] = defaultMigrations): Promise<string[]> {
  const { rows: exists } = await pool.query<{ found: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS found",
  );
  if (!exists[0]?.found) return list.map(m => m.name);
  const { rows } = await pool.query<{ version: string }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map(row => Number(row.version)));
  return list.filter(m => !done.has(m.version)).map(m => m.name);
}
