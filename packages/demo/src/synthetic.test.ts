import { trackHealthQueries } from '@runway/plugin-canary-common';
import {
  classifyQuery,
  instantQuery,
  rangeQuery,
  SYNTHETIC_NOTICE,
  syntheticValue,
} from './synthetic';

const NOW = 1_795_000_000; // 2026-11-19, any fixed second

// The query shapes of Argo Rollouts' and Flagger's documented Istio analyses, and what the
// Canary tab's health panel asks per track.
const SUCCESS =
  'sum(irate(istio_requests_total{reporter="source",destination_service_name="orders-api-canary",response_code!~"5.*"}[5m])) / sum(irate(istio_requests_total{reporter="source",destination_service_name="orders-api-canary"}[5m]))';
const ERRORS_PERCENT =
  '100 * sum(rate(istio_requests_total{destination_service=~"storefront.storefront.svc.cluster.local",response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{destination_service=~"storefront.storefront.svc.cluster.local"}[5m]))';
const P99_MS =
  'histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{destination_service_name="orders-api-canary"}[5m])) by (le))';
const P50_S =
  'histogram_quantile(0.5, sum(rate(http_request_duration_seconds_bucket{service="orders-api"}[5m])) by (le))';
const RATE =
  'sum(rate(istio_requests_total{destination_service_name="orders-api"}[5m]))';

describe('classifyQuery', () => {
  it.each([
    [
      SUCCESS,
      {
        service: 'orders-api',
        track: 'canary',
        signal: { kind: 'successRatio', percent: false, complement: false },
      },
    ],
    [
      ERRORS_PERCENT,
      {
        service: 'storefront',
        track: 'stable',
        signal: { kind: 'successRatio', percent: true, complement: true },
      },
    ],
    [
      P99_MS,
      {
        service: 'orders-api',
        track: 'canary',
        signal: { kind: 'latency', quantile: 0.99, unit: 'ms' },
      },
    ],
    [
      P50_S,
      {
        service: 'orders-api',
        track: 'stable',
        signal: { kind: 'latency', quantile: 0.5, unit: 's' },
      },
    ],
    [
      RATE,
      {
        service: 'orders-api',
        track: 'stable',
        signal: { kind: 'requestRate' },
      },
    ],
  ])('%s', (query, expected) => {
    expect(classifyQuery(query)).toEqual(expected);
  });

  it.each([
    [
      'up',
      'synthetic endpoint: the query selects no Service (one of the labels destination_service_name, destination_service, destination_workload, service): up',
    ],
    [
      'count(kube_pod_info{service="orders-api"})',
      `synthetic endpoint: not a request-rate, success-ratio or latency-quantile query of Istio's metrics: count(kube_pod_info{service="orders-api"})`,
    ],
  ])('refuses %s naming why', (query, error) => {
    expect(classifyQuery(query)).toEqual({ error });
  });
});

describe("the Canary tab's health queries (canary-common, the AnalysisTemplates' PromQL)", () => {
  it.each([
    ['orders-api', 'stable'],
    ['orders-api-canary', 'canary'],
  ])('are answered for %s', (service, track) => {
    const queries = trackHealthQueries({ namespace: 'orders-api', service });
    expect(classifyQuery(queries.requestRate)).toEqual({
      service: 'orders-api',
      track,
      signal: { kind: 'requestRate' },
    });
    expect(classifyQuery(queries.successRate)).toEqual({
      service: 'orders-api',
      track,
      signal: { kind: 'successRatio', percent: false, complement: false },
    });
    expect(classifyQuery(queries.latencyP99Ms)).toEqual({
      service: 'orders-api',
      track,
      signal: { kind: 'latency', quantile: 0.99, unit: 'ms' },
    });
  });
});

describe('syntheticValue', () => {
  const q = (query: string) => {
    const c = classifyQuery(query);
    if ('error' in c) throw new Error(c.error);
    return c;
  };

  it('is the same for the same series and second, and moves over time', () => {
    expect(syntheticValue(q(RATE), NOW)).toBe(syntheticValue(q(RATE), NOW));
    const minute = Array.from({ length: 10 }, (_, i) =>
      syntheticValue(q(RATE), NOW + i * 60),
    );
    expect(new Set(minute).size).toBe(10);
  });

  it('keeps every track within the analysis thresholds the chart defaults to (success ≥ 99 %, p99 ≤ 500 ms) for a day', () => {
    for (let t = NOW; t < NOW + 86_400; t += 37) {
      expect(syntheticValue(q(SUCCESS), t)).toBeGreaterThanOrEqual(0.99);
      expect(syntheticValue(q(P99_MS), t)).toBeLessThanOrEqual(500);
      expect(syntheticValue(q(P99_MS), t)).toBeGreaterThan(100);
      expect(syntheticValue(q(RATE), t)).toBeGreaterThan(20);
    }
  });

  it('answers an error ratio as the complement of success, in percent when the query multiplies by 100', () => {
    const success = syntheticValue(
      q(ERRORS_PERCENT.replace('=~"5.."', '!~"5.."')),
      NOW,
    );
    const errors = syntheticValue(q(ERRORS_PERCENT), NOW);
    expect(success + errors).toBeCloseTo(100, 4);
    expect(errors).toBeLessThan(1);
  });

  it('gives the canary its own, slower and less reliable series than stable', () => {
    const stable = q(P99_MS.replace('orders-api-canary', 'orders-api'));
    expect(stable.track).toBe('stable');
    expect(syntheticValue(q(P99_MS), NOW)).toBeGreaterThan(
      syntheticValue(stable, NOW),
    );
  });

  it('converts latency to seconds for a _seconds histogram', () => {
    const seconds = syntheticValue(q(P50_S), NOW);
    expect(seconds).toBeGreaterThan(0.02);
    expect(seconds).toBeLessThan(0.06);
  });
});

describe('instantQuery and rangeQuery', () => {
  it('answers a vector labelled synthetic, with the notice in infos', () => {
    expect(instantQuery(SUCCESS, NOW)).toEqual({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          {
            metric: {
              runway_demo: 'synthetic',
              service: 'orders-api',
              track: 'canary',
            },
            value: [NOW, expect.stringMatching(/^0\.99\d+$/)],
          },
        ],
      },
      infos: [SYNTHETIC_NOTICE],
    });
  });

  it('answers a query it does not know as Prometheus answers bad data', () => {
    expect(instantQuery('up', NOW)).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: expect.stringContaining('selects no Service'),
    });
  });

  it('answers a matrix with one point per step, the same values as instant queries', () => {
    const response = rangeQuery(RATE, NOW - 300, NOW, 60);
    expect(response.status).toBe('success');
    const data = (response as any).data;
    expect(data.resultType).toBe('matrix');
    expect(data.result[0].metric.runway_demo).toBe('synthetic');
    expect(data.result[0].values).toEqual(
      [300, 240, 180, 120, 60, 0].map(ago => [
        NOW - ago,
        (instantQuery(RATE, NOW - ago) as any).data.result[0].value[1],
      ]),
    );
  });

  it.each([
    [NOW, NOW - 1, 60, 'end must not be before start'],
    [NOW, NOW, 0, 'step must be greater than 0'],
    [
      NOW - 86_400 * 30,
      NOW,
      15,
      'exceeded maximum resolution of 11000 points per timeseries: raise step',
    ],
    [
      Number.NaN,
      NOW,
      15,
      'start, end and step must be numbers (Unix seconds, seconds)',
    ],
  ])('refuses start %d end %d step %d', (start, end, step, error) => {
    expect(rangeQuery(RATE, start, end, step)).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error,
    });
  });
});
