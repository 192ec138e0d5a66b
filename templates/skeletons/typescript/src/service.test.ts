import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { ConfigError, type Env } from './config.ts';
{%- if values.database %}
import { isolatedDatabaseUrl, withoutDatabase } from './postgres/testing.ts';
{%- endif %}
import { run{% if values.database %}, runMigrations{% endif %} } from './service.ts';
import { LogSink } from './testing.ts';

/** A TCP port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Polls url until it answers 200, failing if running settles first. */
async function waitFor(url: string, running: Promise<void>): Promise<void> {
  const returned = running.then(() => Promise.reject(new Error('run() returned early')));
  returned.catch(() => undefined); // raced below; no unhandled rejection when run() ends later
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    const ok = await Promise.race([fetch(url).then(res => res.ok, () => false), returned]);
    if (ok) return;
    await sleep(50);
  }
  assert.fail(`${url} did not become healthy`);
}

describe('run', () => {
  it('rejects invalid configuration, naming the variable', async () => {
    const running = run({ env: { PORT: 'not-a-port' }, signal: new AbortController().signal, version: 'test' });
    await assert.rejects(running, (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.problems[0] ?? '', /^PORT must be a number from 1 to 65535, got "not-a-port"$/);
      return true;
    });
  });

  it('serves the API, health checks and metrics, and stops on the signal'{% if values.database %}, { skip: withoutDatabase }{% endif %}, async {% if values.database %}t{% else %}(){% endif %} => {
    const port = await freePort();
    const env: Env = { PORT: String(port){% if values.database %}, DATABASE_URL: await isolatedDatabaseUrl(t){% endif %} };
{%- if values.database %}
    // The migration Job's command, then the service, which does not migrate.
    await runMigrations({ env, signal: new AbortController().signal, version: 'test', logDestination: new LogSink() });
{%- endif %}
    const stop = new AbortController();
    const logs = new LogSink();
    const running = run({ env, signal: stop.signal, version: 'test', logDestination: logs });

    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/healthz`, running);
    const created = await fetch(`${base}/api/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"apple"}',
    });
    assert.equal(created.status, 201);
    for (const [path, want] of [
      ['/readyz', '"status":"ok"'],
      ['/api/items', '"name":"apple"'],
      ['/metrics', 'service_build_info{version="test",'],
    ] as const) {
      const res = await fetch(base + path);
      const body = await res.text();
      assert.equal(res.status, 200, `${path}: ${body}`);
      assert.ok(body.includes(want), `${path} lacks ${want}: ${body.slice(0, 200)}`);
    }

    stop.abort();
    await running;
    const messages = logs.records().map(r => r['msg']);
    for (const msg of ['starting', `listening on http://[::]:${port}`, 'shutting down', 'stopped']) {
      assert.ok(messages.includes(msg), `no ${msg} in ${messages.join(', ')}`);
    }
    assert.equal(logs.records()[0]?.['version'], 'test');
  });
{%- if values.database %}

  it('migrates with the migrate command, and refuses to serve a schema that lacks a migration', { skip: withoutDatabase }, async t => {
    const env: Env = { PORT: String(await freePort()), DATABASE_URL: await isolatedDatabaseUrl(t) };
    const signal = new AbortController().signal;
    await assert.rejects(
      run({ env, signal, version: 'test', logDestination: new LogSink() }),
      /^Error: the database lacks migrations create_items of this build: run `node dist\/server\.js migrate` first/,
    );
    assert.deepEqual(await runMigrations({ env, signal, version: 'test', logDestination: new LogSink() }), ['create_items']);
    const logs = new LogSink();
    assert.deepEqual(await runMigrations({ env, signal, version: 'test', logDestination: logs }), []);
    assert.deepEqual(
      logs.records().find(r => r['msg'] === 'database schema up to date')?.['applied_migrations'],
      [],
    );
  });
{%- endif %}
});
