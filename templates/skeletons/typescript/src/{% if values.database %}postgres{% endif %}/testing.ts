// Test helpers: every integration test works in a PostgreSQL schema of its
// own, dropped afterwards, so tests neither see nor leave data.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';

import { Client } from 'pg';

import { libpqCompatibleUrl } from './pool.ts';

/** The skip option of the integration tests: they need DATABASE_URL. */
export const withoutDatabase = process.env['DATABASE_URL']
  ? false
  : 'DATABASE_URL is not set; skipping the PostgreSQL integration tests';

/**
 * DATABASE_URL with search_path set to a new, empty schema that is dropped
 * when the test ends.
 */
export async function isolatedDatabaseUrl(t: TestContext): Promise<string> {
  const base = process.env['DATABASE_URL'];
  if (!base) throw new Error('DATABASE_URL is not set (skip the test with the withoutDatabase option)');
  const u = new URL(base);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error('DATABASE_URL must be a postgres:// URL for the integration tests');
  }
  const schema = `test_${randomBytes(8).toString('hex')}`;
  await execute(base, `CREATE SCHEMA ${schema}`);
  t.after(() => execute(base, `DROP SCHEMA ${schema} CASCADE`));
  u.searchParams.set('options', `-c search_path=${schema}`); // a run-time parameter at connection start
  return u.href;
}

async function execute(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: libpqCompatibleUrl(url) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
