import {
  parseDuration,
  parseTime,
  startSyntheticPrometheus,
  SyntheticPrometheus,
} from './prometheus';
import { instantQuery, SYNTHETIC_NOTICE } from './synthetic';

const QUERY =
  'sum(rate(istio_requests_total{destination_service_name="orders-api-canary",response_code!~"5.*"}[5m])) / sum(rate(istio_requests_total{destination_service_name="orders-api-canary"}[5m]))';

describe('parameters', () => {
  it.each([
    ['1795000000', 1_795_000_000],
    ['1795000000.5', 1_795_000_000.5],
    ['2026-11-28T10:00:00Z', 1_795_860_000],
    ['', 42],
  ])('time %s', (value, seconds) => {
    expect(parseTime(value, 42)).toBe(seconds);
  });

  it.each([
    ['15', 15],
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['250ms', 0.25],
    ['soon', Number.NaN],
  ])('duration %s', (value, seconds) => {
    expect(parseDuration(value)).toBe(seconds);
  });
});

describe('the synthetic endpoint over HTTP', () => {
  let prometheus: SyntheticPrometheus;
  beforeAll(async () => {
    prometheus = await startSyntheticPrometheus();
  });
  afterAll(() => prometheus.stop());

  it('answers an instant query by GET, as the Prometheus client of Argo Rollouts sends it', async () => {
    const res = await fetch(
      `${prometheus.url}/api/v1/query?${new URLSearchParams({
        query: QUERY,
        time: '1795000000',
      })}`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(instantQuery(QUERY, 1_795_000_000));
  });

  it('answers a range query POSTed as a form', async () => {
    const res = await fetch(`${prometheus.url}/api/v1/query_range`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        query: QUERY,
        start: '1795000000',
        end: '1795000060',
        step: '30s',
      }),
    });
    const body = await res.json();
    expect(body.infos).toEqual([SYNTHETIC_NOTICE]);
    expect(
      body.data.result[0].values.map((v: [number, string]) => v[0]),
    ).toEqual([1_795_000_000, 1_795_000_030, 1_795_000_060]);
  });

  it('answers 400 for a missing or unknown query, 404 for another path', async () => {
    const missing = await fetch(`${prometheus.url}/api/v1/query`);
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toBe('parameter "query" is required');
    const unknown = await fetch(`${prometheus.url}/api/v1/query?query=up`);
    expect(unknown.status).toBe(400);
    const other = await fetch(`${prometheus.url}/api/v1/series`);
    expect(other.status).toBe(404);
    expect((await other.json()).error).toBe(
      '/api/v1/series: the synthetic endpoint serves /api/v1/query and /api/v1/query_range',
    );
  });
});
