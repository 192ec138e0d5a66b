/*
 * Synthetic health series for the demo, answered in the shape of Prometheus's HTTP API
 * (`/api/v1/query`, `/api/v1/query_range`). Pure: a value is a function of the series and the
 * time only, so a test, a screenshot and two processes agree on it.
 *
 * There is no PromQL engine here. A query is recognised by the shape every query Runway writes
 * has — Istio's standard metrics, selected by the destination Service, as the AnalysisTemplates
 * of the service chart and the Canary tab's health panel ask them:
 *
 *   rate        sum(rate(istio_requests_total{destination_service_name="orders-api-canary"}[5m]))
 *   success     sum(rate(…{…,response_code!~"5.*"}[5m])) / sum(rate(…{…}[5m]))   (× 100 → percent)
 *   errors      the same with response_code=~"5.*" (the complement)
 *   latency     histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{…}[5m])) by (le))
 *
 * Every answer says it is synthetic twice, so no client can take it for measured traffic: each
 * series carries the label `runway_demo="synthetic"`, and the response lists
 * SYNTHETIC_NOTICE in `infos` (Prometheus's field for informational annotations, which
 * clients pass on without failing the query).
 */

/** The label every synthetic series carries, and its value. */
export const SYNTHETIC_LABEL = 'runway_demo';
export const SYNTHETIC_LABEL_VALUE = 'synthetic';

/** The notice in every response's `infos`. */
export const SYNTHETIC_NOTICE =
  'synthetic series from the Runway demo (make demo): generated values, not measured traffic';

export type Track = 'stable' | 'canary';

/** What a query asks about one track of one service. */
export type SyntheticSignal =
  | { kind: 'requestRate' }
  | { kind: 'successRatio'; percent: boolean; complement: boolean }
  | { kind: 'latency'; quantile: number; unit: 'ms' | 's' };

export type ClassifiedQuery = {
  signal: SyntheticSignal;
  /** The Service the query selects, without `-canary` and without its domain. */
  service: string;
  track: Track;
};

/** Labels that name the destination Service in Istio's standard metrics (and a plain `service`). */
const SERVICE_LABELS = [
  'destination_service_name',
  'destination_service',
  'destination_workload',
  'service',
];

/**
 * The service, track and signal a query asks for, or an error message naming what is not
 * recognised (the endpoint answers it as Prometheus answers a bad query: 400).
 */
export function classifyQuery(
  query: string,
): ClassifiedQuery | { error: string } {
  const target = targetOf(query);
  if (!target) {
    return {
      error: `synthetic endpoint: the query selects no Service (one of the labels ${SERVICE_LABELS.join(
        ', ',
      )}): ${query}`,
    };
  }
  const quantile = /histogram_quantile\s*\(\s*([0-9.]+)/.exec(query);
  if (quantile) {
    return {
      ...target,
      signal: {
        kind: 'latency',
        quantile: Number(quantile[1]),
        unit: /_seconds_bucket/.test(query) ? 's' : 'ms',
      },
    };
  }
  const code = /response_code\s*(=~|!~|=|!=)\s*"([^"]*)"/.exec(query);
  if (code && query.includes('/')) {
    const matchesErrors = code[2].startsWith('5');
    const negated = code[1].startsWith('!');
    return {
      ...target,
      signal: {
        kind: 'successRatio',
        percent: /\*\s*100\b|\b100\s*\*/.test(query),
        // The numerator counts errors: "5xx" selected positively.
        complement: matchesErrors && !negated,
      },
    };
  }
  if (/_total\b/.test(query) && /\b(i?rate|increase)\s*\(/.test(query)) {
    return { ...target, signal: { kind: 'requestRate' } };
  }
  return {
    error: `synthetic endpoint: not a request-rate, success-ratio or latency-quantile query of Istio's metrics: ${query}`,
  };
}

/** The service and track of the first matcher on a Service label. */
function targetOf(query: string): Omit<ClassifiedQuery, 'signal'> | undefined {
  for (const label of SERVICE_LABELS) {
    const match = new RegExp(`\\b${label}\\s*=~?\\s*"([^"]+)"`).exec(query);
    if (!match) continue;
    // A regex matcher may add a domain or a wildcard: orders-api-canary\..*  orders-api-canary.orders-api.svc…
    const host = match[1]
      .replace(/\\/g, '')
      .split('.')[0]
      .replace(/[^a-z0-9-]/g, '');
    if (!host) continue;
    const canary = host.endsWith('-canary');
    return {
      service: canary ? host.slice(0, -'-canary'.length) : host,
      track: canary ? 'canary' : 'stable',
    };
  }
  return undefined;
}

/** The baseline of each track: the canary a little slower and a little less reliable, within the thresholds. */
const BASELINE: Record<
  Track,
  { rps: number; success: number; p50Ms: number; p99Ms: number }
> = {
  stable: { rps: 42, success: 0.9985, p50Ms: 38, p99Ms: 182 },
  canary: { rps: 9, success: 0.9962, p50Ms: 41, p99Ms: 214 },
};

/** A number in [0, 1) from a string: each service gets its own phase, the same every run. */
function seedOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) / 2 ** 32;
}

/** A slow wave (a 10-minute period) plus a faster ripple, in [-1, 1]. */
function wave(seconds: number, seed: number): number {
  const slow = Math.sin((2 * Math.PI * seconds) / 600 + seed * 2 * Math.PI);
  const fast = Math.sin((2 * Math.PI * seconds) / 97 + seed * 11);
  return 0.7 * slow + 0.3 * fast;
}

/** The value of a classified query at `seconds` (Unix time). */
export function syntheticValue(
  { service, track, signal }: ClassifiedQuery,
  seconds: number,
): number {
  const base = BASELINE[track];
  const w = wave(seconds, seedOf(`${service}/${track}`));
  switch (signal.kind) {
    case 'requestRate':
      return round(base.rps * (1 + 0.25 * w), 3);
    case 'successRatio': {
      // The error ratio moves by a third of itself; success stays above 99 %.
      const errors = (1 - base.success) * (1 + w / 3);
      const ratio = signal.complement ? errors : 1 - errors;
      return round(signal.percent ? ratio * 100 : ratio, 6);
    }
    case 'latency': {
      // Between the median and p99 by the quantile's place in the tail.
      const q = Math.min(Math.max(signal.quantile, 0.5), 0.999);
      const ms =
        (base.p50Ms + ((base.p99Ms - base.p50Ms) * (q - 0.5)) / 0.49) *
        (1 + 0.12 * w);
      return round(signal.unit === 's' ? ms / 1000 : ms, 4);
    }
    default:
      return Number.NaN;
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A sample as Prometheus's API writes it: Unix seconds and the value as a string. */
export type Sample = [number, string];

export type PrometheusResponse =
  | {
      status: 'success';
      data:
        | {
            resultType: 'vector';
            result: { metric: Record<string, string>; value: Sample }[];
          }
        | {
            resultType: 'matrix';
            result: { metric: Record<string, string>; values: Sample[] }[];
          };
      infos: string[];
    }
  | { status: 'error'; errorType: 'bad_data'; error: string };

const metricOf = (q: ClassifiedQuery) => ({
  [SYNTHETIC_LABEL]: SYNTHETIC_LABEL_VALUE,
  service: q.service,
  track: q.track,
});

const sample = (q: ClassifiedQuery, seconds: number): Sample => [
  seconds,
  String(syntheticValue(q, seconds)),
];

/** The answer to `GET /api/v1/query?query=…&time=…` (time in Unix seconds). */
export function instantQuery(query: string, time: number): PrometheusResponse {
  const q = classifyQuery(query);
  if ('error' in q)
    return { status: 'error', errorType: 'bad_data', error: q.error };
  return {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [{ metric: metricOf(q), value: sample(q, time) }],
    },
    infos: [SYNTHETIC_NOTICE],
  };
}

/** At most this many points per range query, as Prometheus limits them (11,000). */
const MAX_POINTS = 11_000;

/** The answer to `GET /api/v1/query_range?query=…&start=…&end=…&step=…` (seconds). */
export function rangeQuery(
  query: string,
  start: number,
  end: number,
  step: number,
): PrometheusResponse {
  const bad = (error: string): PrometheusResponse => ({
    status: 'error',
    errorType: 'bad_data',
    error,
  });
  if (![start, end, step].every(Number.isFinite)) {
    return bad('start, end and step must be numbers (Unix seconds, seconds)');
  }
  if (step <= 0) return bad('step must be greater than 0');
  if (end < start) return bad('end must not be before start');
  if ((end - start) / step + 1 > MAX_POINTS) {
    return bad(
      `exceeded maximum resolution of ${MAX_POINTS} points per timeseries: raise step`,
    );
  }
  const q = classifyQuery(query);
  if ('error' in q) return bad(q.error);
  const values: Sample[] = [];
  for (let t = start; t <= end; t += step) values.push(sample(q, t));
  return {
    status: 'success',
    data: { resultType: 'matrix', result: [{ metric: metricOf(q), values }] },
    infos: [SYNTHETIC_NOTICE],
  };
}
