/*
 * The live health contract: GET /api/canary/entities/:namespace/:kind/:name/health.
 * Field names are an interface; change them only together with every consumer.
 */

/** Request rate, success rate and p99 latency of each track, per cluster and release. */
export type CanaryHealthResponse = {
  entityRef: string;
  /** The window the rates are computed over, e.g. `5m`. */
  window: string;
  clusters: ClusterHealth[];
};

/**
 * One cluster's health. `not-configured`: no `canary.prometheus.<cluster>.url`;
 * `unavailable`: its Prometheus failed or was too slow (`message` says which), so its
 * releases are not shown. Neither is an error of the page.
 */
export type ClusterHealth = {
  cluster: string;
  prometheus: 'ok' | 'not-configured' | 'unavailable';
  message?: string;
  releases: ReleaseHealth[];
};

/** One release (VirtualService) of the status response, matched by namespace and name. */
export type ReleaseHealth = {
  namespace: string;
  virtualService: string;
  tracks: TrackHealth[];
  /** Why the tracks are not measured (no Service per track); `tracks` is then empty. */
  unmeasured?: string;
  /**
   * What Prometheus said about these figures (the `infos` and `warnings` of its answers,
   * each once), e.g. that the series are synthetic; absent when it said nothing.
   */
  notices?: string[];
};

/** One track's figures; `null` is "no data" (no request in the window). */
export type TrackHealth = {
  track: 'stable' | 'canary';
  /** The Service whose requests are counted. */
  namespace: string;
  service: string;
  /** Requests per second. */
  requestRate: number | null;
  /** Share of requests not answered 5xx, 0–1. */
  successRate: number | null;
  latencyP99Ms: number | null;
};
