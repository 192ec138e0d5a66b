import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { buildApp } from './http/app.ts';
import { MemoryStore } from './items/memory.ts';
import { createLogger } from './logging.ts';
import { createRegistry, HttpMetrics } from './metrics.ts';
import { shutdown } from './shutdown.ts';
import { LogSink } from './testing.ts';

/** A listening app whose readiness fails once drained, with a route that waits for gate. */
async function startApp(gate: Promise<unknown>): Promise<{ app: FastifyInstance; base: string; drain: () => void }> {
  let draining = false;
  const registry = createRegistry('test');
  const app = buildApp({
    logger: createLogger('info', new LogSink()),
    registry,
    metrics: new HttpMetrics(registry),
    items: new MemoryStore(),
    ready: () => (draining ? Promise.reject(new Error('shutting down')) : Promise.resolve()),
  });
  app.get('/slow', async () => {
    await gate;
    return { done: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}`, drain: () => (draining = true) };
}

describe('shutdown', () => {
  it('fails readiness but serves during the delay, then lets in-flight requests finish', async () => {
    const gate = Promise.withResolvers<undefined>();
    const { app, base, drain } = await startApp(gate.promise);
    const slow = fetch(`${base}/slow`);
    await assert.doesNotReject(fetch(`${base}/healthz`)); // the slow request has arrived by now

    const stopped = shutdown(app, { delayMs: 300, timeoutMs: 5000, drain });
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);

    gate.resolve(undefined);
    const res = await slow;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
    await stopped;
    await assert.rejects(fetch(`${base}/healthz`), 'the server still accepts connections');
  });

  it('closes the connections and fails when requests outlast the timeout', async () => {
    const { app, base, drain } = await startApp(new Promise(() => undefined));
    const slow = fetch(`${base}/slow`).then(
      () => 'answered',
      () => 'cut off',
    );
    await fetch(`${base}/healthz`);

    const start = Date.now();
    await assert.rejects(shutdown(app, { delayMs: 0, timeoutMs: 200, drain }), {
      message: 'graceful shutdown: requests still running after 200ms',
    });
    assert.ok(Date.now() - start < 2000, `shutdown took ${Date.now() - start}ms`);
    assert.equal(await slow, 'cut off');
  });
});
