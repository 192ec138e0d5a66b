/*
 * The Canary API's response contract: GET /api/canary/entities/:namespace/:kind/:name.
 * Field names are an interface other tools depend on; change them only together with
 * every consumer.
 */

/** Canary status of one entity across every configured cluster. */
export type CanaryStatusResponse = {
  /** The entity, as a full ref: `component:default/orders-api`. */
  entityRef: string;
  clusters: ClusterCanaries[];
};

/** What one cluster says; `error` set when the cluster could not be read. */
export type ClusterCanaries = {
  cluster: string;
  error?: { message: string; statusCode?: number };
  releases: CanaryRelease[];
};

export type CanaryPhase =
  | 'stable'
  | 'progressing'
  | 'promoted'
  | 'paused'
  | 'misconfigured';

export type ProblemSeverity = 'error' | 'warning';

export type CanaryProblem = {
  code: CanaryProblemCode | string;
  severity: ProblemSeverity;
  /** What is wrong and how to fix it, in one sentence. */
  message: string;
};

export type CanaryProblemCode =
  | 'WEIGHTS_DO_NOT_SUM_TO_100'
  | 'UNKNOWN_SUBSET'
  | 'UNROUTED_TRAFFIC'
  | 'CANARY_NOT_READY'
  | 'STABLE_NOT_READY'
  | 'NO_DESTINATION_RULE'
  | 'NO_WORKLOAD';

/** One canary-routed service: one VirtualService and what it routes to. */
export type CanaryRelease = {
  namespace: string;
  virtualService: string;
  hosts: string[];
  phase: CanaryPhase;
  stable: Track;
  canary?: Track;
  /** A route that sends requests carrying this header to one subset regardless of weights. */
  headerOverride?: { header: string; value: string; subset: string };
  problems: CanaryProblem[];
};

/** One side of the split. */
export type Track = {
  subset: string;
  /** Percentage of the default route's traffic, 0–100. */
  weight: number;
  version?: string;
  images?: string[];
  replicas?: { ready: number; desired: number };
};
