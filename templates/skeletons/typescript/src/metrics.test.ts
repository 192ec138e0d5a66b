import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createRegistry, HttpMetrics } from './metrics.ts';

describe('createRegistry', () => {
  it('has service_build_info and the runtime metrics', async () => {
    const text = await createRegistry('1.2.3').metrics();
    assert.ok(
      text.includes(`service_build_info{version="1.2.3",node_version="${process.version}"} 1`),
      'service_build_info',
    );
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      assert.ok(text.includes(`\n${name} `) || text.includes(`\n${name}{`), name);
    }
  });
});

describe('HttpMetrics', () => {
  it('counts requests in flight', async () => {
    const registry = createRegistry('test');
    const metrics = new HttpMetrics(registry);
    const inFlight = async () => (await registry.getSingleMetric('http_requests_in_flight')?.get())?.values[0]?.value;

    const done = metrics.start();
    metrics.start();
    assert.equal(await inFlight(), 2);
    done();
    done(); // a second call changes nothing
    assert.equal(await inFlight(), 1);
  });

  it('records requests by method, route and status', async () => {
    const registry = createRegistry('test');
    const metrics = new HttpMetrics(registry);
    metrics.observe('GET', '/api/items', 200, 0.03);
    metrics.observe('GET', '/api/items', 200, 0.01);
    metrics.observe('POST', '/api/items', 400, 0.001);

    const text = await registry.metrics();
    for (const line of [
      'http_requests_total{method="GET",route="/api/items",status="200"} 2',
      'http_requests_total{method="POST",route="/api/items",status="400"} 1',
      'http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/items",status="200"} 1',
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/items",status="200"} 2',
      'http_request_duration_seconds_count{method="POST",route="/api/items",status="400"} 1',
    ]) {
      assert.ok(text.includes(line), `missing ${line}`);
    }
  });
});
