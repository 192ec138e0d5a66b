import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';

import type { Pool } from 'pg';

import { buildApp } from '../http/app.ts';
import { MAX_NAME_LENGTH, type Item } from '../items/items.ts';
import { createLogger } from '../logging.ts';
import { createRegistry, HttpMetrics } from '../metrics.ts';
import { LogSink } from '../testing.ts';
import { PgItemStore } from './items.ts';
import { checkMigrations, migrate, pendingMigrations, type Migration } from './migrate.ts';
import { migrations } from './migrations.ts';
import { connect, libpqCompatibleUrl } from './pool.ts';
import { isolatedDatabaseUrl, withoutDatabase } from './testing.ts';

/** A pool on a fresh schema, closed when the test ends. */
async function connectTo(t: TestContext): Promise<Pool> {
  const url = await isolatedDatabaseUrl(t);
  const pool = await connect({ url, applicationName: 'integration-test', waitMs: 10_000, logger: createLogger('error', new LogSink()) });
  t.after(() => pool.end());
  return pool;
}

describe('libpqCompatibleUrl', () => {
  const cases: [string, string][] = [
    ['postgres://u@h/d', 'postgres://u@h/d'],
    ['postgres://u@h/d?sslmode=require', 'postgres://u@h/d?sslmode=require&uselibpqcompat=true'],
    ['postgres://u@h/d?sslmode=allow', 'postgres://u@h/d?sslmode=disable&uselibpqcompat=true'],
    ['postgres://u@h/d?sslmode=verify-full&uselibpqcompat=false', 'postgres://u@h/d?sslmode=verify-full&uselibpqcompat=false'],
  ];
  for (const [url, want] of cases) {
    it(url, () => {
      assert.equal(libpqCompatibleUrl(url), want);
    });
  }
});

describe('checkMigrations', () => {
  const m = (version: number, name = `m${version}`): Migration => ({ version, name, sql: '' });
  const cases: [string, Migration[], string | undefined][] = [
    ['the shipped ones', [...migrations], undefined],
    ['none', [], undefined],
    ['increasing with gaps', [m(1), m(2), m(10)], undefined],
    ['duplicate', [m(1, 'a'), m(1, 'b')], 'migration b: version 1 must be greater than 1 of a'],
    ['out of order', [m(2, 'a'), m(1, 'b')], 'migration b: version 1 must be greater than 2 of a'],
    ['zero', [m(0, 'a')], 'migration a: the version must be a positive integer'],
  ];
  for (const [name, list, want] of cases) {
    it(name, () => {
      assert.equal(checkMigrations(list), want);
    });
  }
});

describe('connect', () => {
  it('gives up after the wait when nothing answers, without revealing the password', async () => {
    const start = Date.now();
    const logs = new LogSink();
    await assert.rejects(
      connect({
        url: 'postgres://user:secret@127.0.0.1:1/db?sslmode=disable',
        applicationName: 'test',
        // Long enough for a retry even when a refused connection is slow to fail (a
        // loaded CI runner); with 500ms the first failure could use up the whole wait.
        waitMs: 2000,
        logger: createLogger('warn', logs),
      }),
      (error: Error) => {
        assert.match(error.message, /^database not reachable after 2s: /);
        assert.ok(!error.message.includes('secret'));
        return true;
      },
    );
    assert.ok(Date.now() - start < 8000, `connect took ${Date.now() - start}ms`);
    assert.ok(logs.records().some(r => r['msg'] === 'waiting for the database'));
    assert.ok(!JSON.stringify(logs.records()).includes('secret'));
  });

  it('stops waiting on the signal, e.g. SIGTERM during start-up', async () => {
    const stop = new AbortController();
    const connecting = connect({
      url: 'postgres://user@127.0.0.1:1/db?sslmode=disable',
      applicationName: 'test',
      waitMs: 60_000,
      logger: createLogger('error', new LogSink()),
      signal: stop.signal,
    });
    setTimeout(() => {
      stop.abort();
    }, 100);
    await assert.rejects(connecting, /^Error: stopped while waiting for the database: /);
  });
});

describe('PostgreSQL', { skip: withoutDatabase }, () => {
  it('migrates once', async t => {
    const pool = await connectTo(t);
    assert.deepEqual(await pendingMigrations(pool), ['create_items']);
    assert.deepEqual(await migrate(pool), ['create_items']);
    assert.deepEqual(await migrate(pool), []);
    assert.deepEqual(await pendingMigrations(pool), []);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    assert.equal(rows[0]?.n, '1');
  });

  it('serialises replicas migrating at the same time', async t => {
    const pool = await connectTo(t);
    const applied = await Promise.all(Array.from({ length: 5 }, () => migrate(pool)));
    assert.deepEqual(applied.flat(), ['create_items']);
  });

  it('rolls a failed migration back entirely', async t => {
    const pool = await connectTo(t);
    const broken: Migration[] = [...migrations, { version: 99, name: 'broken', sql: 'CREATE TABLE b (); SELECT nonsense' }];
    await assert.rejects(migrate(pool, broken), /^Error: migration broken: column "nonsense" does not exist$/);
    const { rows } = await pool.query<{ exists: boolean }>("SELECT to_regclass('items') IS NOT NULL AS exists");
    assert.equal(rows[0]?.exists, false);
  });

  it('stores items', async t => {
    const pool = await connectTo(t);
    await migrate(pool);
    const store = new PgItemStore(pool);

    assert.deepEqual(await store.list(10), []);
    const a = await store.create('apple');
    const b = await store.create('pear');
    assert.equal(a.name, 'apple');
    assert.ok(b.id > a.id);
    assert.ok(Math.abs(Date.now() - a.createdAt.getTime()) < 60_000);
    assert.deepEqual(await store.get(a.id), a);
    assert.equal(await store.get(b.id + 1000), undefined);
    assert.deepEqual(await store.list(1), [a]);
    // The table enforces the same rule as validateName.
    await assert.rejects(store.create('x'.repeat(MAX_NAME_LENGTH + 1)), /items_name_check/);
  });

  it('serves the items API', async t => {
    const pool = await connectTo(t);
    await migrate(pool);
    const registry = createRegistry('test');
    const app = buildApp({
      logger: createLogger('info', new LogSink()),
      registry,
      metrics: new HttpMetrics(registry),
      items: new PgItemStore(pool),
      ready: async () => {
        await pool.query('SELECT 1');
      },
    });
    t.after(() => app.close());

    const created = await app.inject({ method: 'POST', url: '/api/items', payload: { name: 'apple' } });
    assert.equal(created.statusCode, 201, created.body);
    const item = created.json<Item>();
    const fetched = await app.inject(String(created.headers.location));
    assert.deepEqual(fetched.json(), item);
    assert.deepEqual((await app.inject('/api/items')).json(), { items: [item] });
    assert.equal((await app.inject('/readyz')).statusCode, 200);
  });
});
