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

/** One track of a release and the Service its requests go to. */
export type ReleaseTrackTarget = {
  track: 'stable' | 'canary';
  target: TrackTarget;
};

/** The fields of a release its health targets come from. */
export type HealthRelease = {
  namespace: string;
  stable: { subset: string };
  canary?: { subset: string };
  /** The governing Rollout's routing (`host`: one Service per track). */
  rollout?: { routing?: string };
};

/**
 * The Service of each track of a release, or a sentence saying why its tracks cannot be
 * measured apart: only host-level routing (a Service per track, as the service chart's
 * Rollouts do) separates their requests in Istio's metrics.
 */
export function releaseHealthTargets(
  release: HealthRelease,
): ReleaseTrackTarget[] | string {
  if (release.rollout?.routing !== 'host') {
    return 'The tracks share one Service (DestinationRule subsets), so their requests cannot be told apart in Istio’s metrics; live health needs a Service per track.';
  }
  const tracks: ReleaseTrackTarget[] = [];
  for (const [track, t] of [
    ['stable', release.stable],
    ['canary', release.canary],
  ] as const) {
    if (!t) continue;
    const target = serviceOfHost(t.subset, release.namespace);
    if (!target) {
      return `The ${track} track routes to ${t.subset}, which is not a Service of the cluster.`;
    }
    tracks.push({ track, target });
  }
  return tracks;
}

/** A host as Istio resolves it: `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`; else none. */
function serviceOfHost(
  host: string,
  namespace: string,
): TrackTarget | undefined {
  const [service, ns, ...rest] = host.split('.');
  if (!service) return undefined;
  if (ns === undefined) return { namespace, service };
  if (rest.length === 0 || rest[0] === 'svc') return { namespace: ns, service };
  return undefined;
}
