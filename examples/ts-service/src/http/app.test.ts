import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Registry } from 'prom-client';

import type { Item, ItemStore } from '../items/items.ts';
import { MemoryStore } from '../items/memory.ts';
import { createLogger } from '../logging.ts';
import { createRegistry, HttpMetrics } from '../metrics.ts';
import { LogSink } from '../testing.ts';
import { buildApp, type AppOptions } from './app.ts';

interface TestApp {
  app: FastifyInstance;
  logs: LogSink;
  registry: Registry;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map(app => app.close()));
});

function newTestApp(options: Partial<AppOptions> = {}): TestApp {
  const logs = new LogSink();
  const registry = createRegistry('test');
  const app = buildApp({
    logger: createLogger('info', logs),
    registry,
    metrics: new HttpMetrics(registry),
    items: new MemoryStore(),
    ...options,
  });
  apps.push(app);
  return { app, logs, registry };
}

const post = (url: string, payload: string, contentType = 'application/json'): InjectOptions => ({
  method: 'POST',
  url,
  payload,
  headers: contentType ? { 'content-type': contentType } : {},
});

/** res, after checking that its body is JSON. */
function checkJson(res: LightMyRequestResponse): LightMyRequestResponse {
  assert.match(String(res.headers['content-type']), /^application\/json/);
  return res;
}

describe('GET /healthz', () => {
  it('answers ok even when not ready: liveness must not depend on the database', async () => {
    const { app } = newTestApp({ ready: () => Promise.reject(new Error('db down')) });
    const res = await app.inject('/healthz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(checkJson(res).json(), { status: 'ok' });
  });
});

describe('GET /readyz', () => {
  const cases: [string, AppOptions['ready'], number][] = [
    ['no check', undefined, 200],
    ['ready', () => Promise.resolve(), 200],
    ['not ready', () => Promise.reject(new Error('db down')), 503],
    ['check gets a live signal', signal => (signal.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve()), 200],
    ['check takes too long', () => new Promise(() => undefined), 503],
  ];
  for (const [name, ready, want] of cases) {
    it(name, async () => {
      const { app, logs } = newTestApp({ ...(ready ? { ready } : {}), readyTimeoutMs: 50 });
      const res = await app.inject('/readyz');
      assert.equal(res.statusCode, want);
      assert.deepEqual(checkJson(res).json(), { status: want === 200 ? 'ok' : 'unavailable' });
      // The reason goes to the logs, not to the caller.
      assert.ok(!res.body.includes('db down'));
      if (want === 503) assert.equal(logs.records()[0]?.['msg'], 'not ready');
    });
  }
});

describe('items API', () => {
  it('creates, reads and lists items', async () => {
    const { app } = newTestApp();
    assert.deepEqual(checkJson(await app.inject('/api/items')).json(), { items: [] });

    const res = await app.inject(post('/api/items', '{"name":"  apple "}', 'application/json; charset=utf-8'));
    assert.equal(res.statusCode, 201, res.body);
    const created = checkJson(res).json<Item & { createdAt: string }>();
    assert.equal(created.id, 1);
    assert.equal(created.name, 'apple');
    assert.ok(Math.abs(Date.parse(created.createdAt) - Date.now()) < 60_000, created.createdAt);
    assert.equal(res.headers.location, '/api/items/1');
    await app.inject(post('/api/items', '{"name":"pear"}'));

    const one = await app.inject('/api/items/1');
    assert.equal(one.statusCode, 200);
    assert.deepEqual(checkJson(one).json(), created);
    const names = async (url: string) => checkJson(await app.inject(url)).json<{ items: Item[] }>().items.map(item => item.name);
    assert.deepEqual(await names('/api/items'), ['apple', 'pear']);
    assert.deepEqual(await names('/api/items?limit=1'), ['apple']);
    assert.deepEqual(await names('/api/items?limit=1&limit=5'), ['apple']);
    assert.deepEqual(await names('/api/items?limit='), ['apple', 'pear']);
  });

  const errors: [string, InjectOptions, number, string][] = [
    ['no content type', post('/api/items', '{"name":"a"}', ''), 415, 'Content-Type must be application/json'],
    ['form content type', post('/api/items', 'name=a', 'application/x-www-form-urlencoded'), 415, 'Content-Type must be application/json'],
    ['text content type', post('/api/items', '{"name":"a"}', 'text/plain'), 415, 'Content-Type must be application/json'],
    ['empty body', post('/api/items', ''), 400, 'invalid JSON body: the body is empty'],
    ['invalid JSON', post('/api/items', '{"name":'), 400, 'invalid JSON body: '],
    ['two objects', post('/api/items', '{"name":"a"}{"name":"b"}'), 400, 'invalid JSON body: '],
    ['invalid UTF-8', { ...post('/api/items', ''), payload: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]) }, 400, 'invalid JSON body: not valid UTF-8'],
    ['unknown field', post('/api/items', '{"name":"a","colour":"red"}'), 400, 'invalid JSON body: unknown field "colour"'],
    ['prototype key', post('/api/items', '{"name":"a","__proto__":{"admin":true}}'), 400, 'invalid JSON body: unknown field "__proto__"'],
    ['not an object', post('/api/items', '["a"]'), 400, 'body must be a JSON object'],
    ['name not a string', post('/api/items', '{"name":5}'), 400, 'name must be a string'],
    ['missing name', post('/api/items', '{}'), 400, 'name is required'],
    ['blank name', post('/api/items', '{"name":" "}'), 400, 'name is required'],
    ['name too long', post('/api/items', JSON.stringify({ name: 'a'.repeat(201) })), 400, 'name must be at most 200 characters'],
    ['too large', post('/api/items', JSON.stringify({ name: 'a'.repeat(2 << 20) })), 413, 'body must be at most 1048576 bytes'],
    ['bad id', { method: 'GET', url: '/api/items/abc' }, 400, 'id must be a positive integer'],
    ['zero id', { method: 'GET', url: '/api/items/0' }, 400, 'id must be a positive integer'],
    ['missing item', { method: 'GET', url: '/api/items/42' }, 404, 'item not found'],
    ['bad limit', { method: 'GET', url: '/api/items?limit=0' }, 400, 'limit must be a number from 1 to 100'],
    ['limit too big', { method: 'GET', url: '/api/items?limit=101' }, 400, 'limit must be a number from 1 to 100'],
    ['limit not a number', { method: 'GET', url: '/api/items?limit=ten' }, 400, 'limit must be a number from 1 to 100'],
    ['no such route', { method: 'GET', url: '/no/such/path' }, 404, 'not found'],
    ['no such method', { method: 'DELETE', url: '/api/items' }, 404, 'not found'],
  ];
  for (const [name, request, status, message] of errors) {
    it(`answers ${status} with a JSON error: ${name}`, async () => {
      const { app } = newTestApp();
      const res = await app.inject(request);
      assert.equal(res.statusCode, status, res.body);
      const { error } = checkJson(res).json<{ error: string }>();
      assert.ok(error.startsWith(message), `error ${JSON.stringify(error)} does not start with ${JSON.stringify(message)}`);
    });
  }
});

/** Fails every call, like a store whose database is gone. */
const failingStore: ItemStore = {
  list: () => Promise.reject(new Error('connection refused')),
  get: () => Promise.reject(new Error('connection refused')),
  create: () => Promise.reject(new Error('connection refused')),
};

/** A log record's level, message, request id, error message and status. */
const summary = (record: Record<string, unknown>) => [
  record['level'],
  record['msg'],
  record['request_id'],
  (record['error'] as { message?: unknown } | undefined)?.message,
  record['status'],
];

describe('failures', () => {
  const cases: [string, InjectOptions, string][] = [
    ['list', { method: 'GET', url: '/api/items' }, 'listing items failed'],
    ['get', { method: 'GET', url: '/api/items/1' }, 'reading item failed'],
    ['create', post('/api/items', '{"name":"a"}'), 'creating item failed'],
  ];
  for (const [name, request, message] of cases) {
    it(`logs a store failure but does not reveal it: ${name}`, async () => {
      const { app, logs } = newTestApp({ items: failingStore });
      const res = await app.inject({ ...request, headers: { ...request.headers, 'x-request-id': 'abc-123' } });
      assert.equal(res.statusCode, 500);
      assert.deepEqual(checkJson(res).json(), { error: 'internal error' });

      assert.deepEqual(logs.records().map(summary), [
        ['ERROR', message, 'abc-123', 'connection refused', undefined],
        ['ERROR', 'request', 'abc-123', undefined, 500],
      ]);
    });
  }

  it('turns a thrown error into a logged 500', async () => {
    const { app, logs } = newTestApp();
    app.get('/boom', () => {
      throw new Error('boom');
    });
    const res = await app.inject('/boom');
    assert.equal(res.statusCode, 500);
    assert.deepEqual(checkJson(res).json(), { error: 'internal error' });
    const [failure, access] = logs.records().map(summary);
    assert.deepEqual([failure?.[1], failure?.[3], access?.[4]], ['handling request failed', 'boom', 500]);
  });
});

describe('request ids', () => {
  it('keeps a valid incoming id, replaces an invalid one, and logs every request with its id', async () => {
    const { app, logs } = newTestApp();
    const id = async (header?: string) =>
      (await app.inject({ url: '/api/items', headers: header === undefined ? {} : { 'x-request-id': header } })).headers[
        'x-request-id'
      ];

    const kept = await id('7f0c1b2e-aaaa-bbbb-cccc-0123456789ab');
    const generated = await id();
    const replaced = await id('bad id\twith a tab');
    const tooLong = await id('a'.repeat(129));
    assert.equal(kept, '7f0c1b2e-aaaa-bbbb-cccc-0123456789ab');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const value of [generated, replaced, tooLong]) assert.match(String(value), uuid);
    assert.equal(new Set([generated, replaced, tooLong]).size, 3);

    const records = logs.records();
    assert.deepEqual(
      records.map(r => [r['msg'], r['request_id'], r['route'], r['status'], r['method'], r['path']]),
      [kept, generated, replaced, tooLong].map(value => ['request', value, '/api/items', 200, 'GET', '/api/items']),
    );
    assert.equal(typeof records[0]?.['duration_ms'], 'number');
  });

  it('is on every response, errors included', async () => {
    const { app } = newTestApp();
    const res = await app.inject({ url: '/no/such/path', headers: { 'x-request-id': 'abc' } });
    assert.equal(res.headers['x-request-id'], 'abc');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });
});

describe('access log', () => {
  it('logs probes and scrapes at debug only', async () => {
    const { app, logs } = newTestApp();
    for (const url of ['/healthz', '/readyz', '/metrics']) await app.inject(url);
    assert.deepEqual(logs.records(), []);
  });

  it('logs a failing probe', async () => {
    const { app, logs } = newTestApp({ ready: () => Promise.reject(new Error('db down')) });
    await app.inject('/readyz');
    assert.deepEqual(
      logs.records().map(r => [r['level'], r['msg'], r['status']]),
      [['WARN', 'not ready', undefined], ['ERROR', 'request', 503]],
    );
  });
});

describe('a client that goes away', () => {
  it('is logged as aborted and no longer counted in flight', async () => {
    const { app, logs, registry } = newTestApp();
    const arrived = Promise.withResolvers<undefined>();
    app.get('/slow', async () => {
      arrived.resolve(undefined);
      await new Promise(resolve => setTimeout(resolve, 200));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;

    // A raw connection, closed while the request is being handled.
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /slow HTTP/1.1\r\nHost: test\r\n\r\n'));
    await arrived.promise;
    socket.destroy();
    const accessLines = () => logs.records().filter(r => r['msg'] === 'request');
    while (accessLines().length === 0) await new Promise(resolve => setTimeout(resolve, 10));

    assert.deepEqual(
      accessLines().map(r => [r['route'], r['aborted']]),
      [['/slow', true]],
    );
    const inFlight = await registry.getSingleMetric('http_requests_in_flight')?.get();
    assert.equal(inFlight?.values[0]?.value, 0);
  });
});

describe('metrics', () => {
  it('counts requests by method, route pattern and status', async () => {
    const { app } = newTestApp();
    await app.inject('/api/items');
    await app.inject('/api/items');
    await app.inject(post('/api/items', '{"name":"a"}'));
    await app.inject('/api/items/1');
    await app.inject('/api/items/2'); // 404 of a matched route
    await app.inject('/no/such/path'); // no route: one shared label
    await app.inject('/another/path');
    await app.inject({ method: 'PROPFIND', url: '/api/items' }); // unusual method

    const text = (await app.inject('/metrics')).body;
    const counts = text
      .split('\n')
      .filter(line => line.startsWith('http_requests_total{') && !line.includes('route="/metrics"'))
      .sort();
    assert.deepEqual(counts, [
      'http_requests_total{method="GET",route="/api/items",status="200"} 2',
      'http_requests_total{method="GET",route="/api/items/:id",status="200"} 1',
      'http_requests_total{method="GET",route="/api/items/:id",status="404"} 1',
      'http_requests_total{method="GET",route="unmatched",status="404"} 2',
      'http_requests_total{method="OTHER",route="unmatched",status="404"} 1',
      'http_requests_total{method="POST",route="/api/items",status="201"} 1',
    ]);
    for (const line of [
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/items",status="200"} 2',
      'http_requests_in_flight 1', // the scrape itself
      'service_build_info{version="test",',
      'process_cpu_seconds_total ',
      'nodejs_eventloop_lag_seconds ',
    ]) {
      assert.ok(text.includes(line), `/metrics lacks ${line}`);
    }
  });

  it('serves the Prometheus text format', async () => {
    const { app } = newTestApp();
    const res = await app.inject('/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  });
});
