/*
 * The PromQL of a track's live health: the queries the service chart's AnalysisTemplates
 * run to judge a canary (success rate, p99 latency), plus its request rate. Istio's
 * standard metrics as the callers' proxies report them (reporter="source"): the
 * destination Service is the one the VirtualService routed to, so each track's own
 * Service (stable: <name>, canary: <name>-canary) counts that track's requests only.
 */

/** The Service a track's requests are routed to. */
export type TrackTarget = { namespace: string; service: string };

/** One track's health queries, each an instant query returning at most one sample. */
export type TrackHealthQueries = {
  /** Requests per second. */
  requestRate: string;
  /** Share of requests not answered 5xx (0–1); no sample without requests. */
  successRate: string;
  /** 99th percentile latency in milliseconds. */
  latencyP99Ms: string;
};

/** The window the Canary tab shows health over. */
export const HEALTH_WINDOW = '5m';

const labelValue = (value: string) =>
  `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The label matchers of one track's requests, as the AnalysisTemplates write them. */
export function trackMatchers(target: TrackTarget): string {
  return `reporter="source", destination_service_namespace=${labelValue(
    target.namespace,
  )}, destination_service_name=${labelValue(target.service)}`;
}

/** A duration in Prometheus' syntax: `30s`, `5m`, `1h`. */
const WINDOW = /^[1-9][0-9]*(ms|s|m|h|d)$/;

/**
 * The health queries of one track over a window (default 5 minutes). With the window of
 * the chart's analysis, `successRate` and `latencyP99Ms` are the AnalysisTemplates'
 * queries with their arguments filled in.
 */
export function trackHealthQueries(
  target: TrackTarget,
  window: string = HEALTH_WINDOW,
): TrackHealthQueries {
  if (!WINDOW.test(window)) {
    throw new Error(
      `window must be a Prometheus duration such as 5m, got "${window}"`,
    );
  }
  const all = `{${trackMatchers(target)}}`;
  const ok = `{${trackMatchers(target)}, response_code!~"5.."}`;
  return {
    requestRate: `sum(rate(istio_requests_total${all}[${window}]))`,
    successRate: `sum(rate(istio_requests_total${ok}[${window}]))\n/\nsum(rate(istio_requests_total${all}[${window}]))`,
    latencyP99Ms: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket${all}[${window}])))`,
  };
}
