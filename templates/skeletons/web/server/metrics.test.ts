import { describe, expect, it } from 'vitest';
import { escapeLabelValue, labels, Metrics, readRuntimeStats, type RuntimeStats } from './metrics.ts';

const STATS: RuntimeStats = {
  cpuUserSeconds: 1.5,
  cpuSystemSeconds: 0.5,
  residentMemoryBytes: 50_000_000,
  heapUsedBytes: 10_000_000,
  heapTotalBytes: 20_000_000,
  externalMemoryBytes: 1_000_000,
  startTimeSeconds: 1_900_000_000,
};

function metrics() {
  return new Metrics({ version: 'abc123', nodeVersion: 'v22.0.0', runtimeStats: () => STATS });
}

/** The sample lines of one metric family. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter(line => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('Metrics', () => {
  it('counts requests by method, route and status', () => {
    const m = metrics();
    m.observe('GET', '/', 200, 0.003);
    m.observe('GET', '/', 200, 0.2);
    m.observe('GET', '/assets/{file}', 404, 0.001);
    expect(samples(m.render(), 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",route="/",status="200"} 2',
      'http_requests_total{method="GET",route="/assets/{file}",status="404"} 1',
    ]);
  });

  it('records durations in cumulative buckets', () => {
    const m = metrics();
    m.observe('GET', '/', 200, 0.003);
    m.observe('GET', '/', 200, 0.2);
    m.observe('GET', '/', 200, 30);
    const text = m.render();
    const key = 'method="GET",route="/",status="200"';
    expect(samples(text, 'http_request_duration_seconds_bucket')).toEqual([
      `http_request_duration_seconds_bucket{${key},le="0.005"} 1`,
      `http_request_duration_seconds_bucket{${key},le="0.01"} 1`,
      `http_request_duration_seconds_bucket{${key},le="0.025"} 1`,
      `http_request_duration_seconds_bucket{${key},le="0.05"} 1`,
      `http_request_duration_seconds_bucket{${key},le="0.1"} 1`,
      `http_request_duration_seconds_bucket{${key},le="0.25"} 2`,
      `http_request_duration_seconds_bucket{${key},le="0.5"} 2`,
      `http_request_duration_seconds_bucket{${key},le="1"} 2`,
      `http_request_duration_seconds_bucket{${key},le="2.5"} 2`,
      `http_request_duration_seconds_bucket{${key},le="5"} 2`,
      `http_request_duration_seconds_bucket{${key},le="10"} 2`,
      `http_request_duration_seconds_bucket{${key},le="+Inf"} 3`,
    ]);
    expect(samples(text, 'http_request_duration_seconds_sum')).toEqual([
      `http_request_duration_seconds_sum{${key}} 30.203`,
    ]);
    expect(samples(text, 'http_request_duration_seconds_count')).toEqual([
      `http_request_duration_seconds_count{${key}} 3`,
    ]);
  });

  it('tracks requests in flight; ending one twice counts once', () => {
    const m = metrics();
    const endA = m.start();
    m.start();
    expect(samples(m.render(), 'http_requests_in_flight')).toEqual(['http_requests_in_flight 2']);
    endA();
    endA();
    expect(samples(m.render(), 'http_requests_in_flight')).toEqual(['http_requests_in_flight 1']);
  });

  it('exports build and runtime information with HELP and TYPE', () => {
    const text = metrics().render();
    expect(text).toContain('# TYPE http_requests_total counter\n');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram\n');
    expect(text).toContain('# TYPE http_requests_in_flight gauge\n');
    expect(text).toContain('service_build_info{version="abc123",node_version="v22.0.0"} 1\n');
    expect(text).toContain('process_cpu_seconds_total 2\n');
    expect(text).toContain('process_resident_memory_bytes 50000000\n');
    expect(text).toContain('process_start_time_seconds 1900000000\n');
    expect(text).toContain('nodejs_heap_size_used_bytes 10000000\n');
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('readRuntimeStats', () => {
  it('reads this process', () => {
    const stats = readRuntimeStats();
    expect(stats.residentMemoryBytes).toBeGreaterThan(0);
    expect(stats.heapUsedBytes).toBeGreaterThan(0);
    expect(stats.startTimeSeconds).toBeLessThanOrEqual(Date.now() / 1000);
  });
});

describe('labels', () => {
  it('escapes backslashes, quotes and newlines', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(labels({ route: '/x"y', status: '200' })).toBe('route="/x\\"y",status="200"');
  });
});
