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
  | 'NO_WORKLOAD'
  | 'UNKNOWN_ROUTE'
  | 'CANARY_SERVICE_SELECTS_STABLE'
  | 'STABLE_SERVICE_SELECTS_CANARY'
  | 'ANALYSIS_TEMPLATE_MISSING'
  | 'ANALYSIS_FAILED'
  | 'ROLLOUT_ABORTED'
  | 'ROLLOUT_DEGRADED'
  | 'ROLLOUT_INVALID';

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
  /** The Argo Rollout that moves this split, when one governs the VirtualService. */
  rollout?: RolloutProgress;
  /**
   * The AnalysisRuns of the Rollout's current revision (when AnalysisRuns are an input):
   * failed first, then inconclusive, running, pending, successful.
   */
  analysisRuns?: AnalysisRunSummary[];
};

/**
 * Where an Argo Rollout stands in its canary steps.
 *
 * @public
 */
export type RolloutProgress = {
  name: string;
  /** `host`: stableService / canaryService; `subset`: DestinationRule subsets. */
  routing: 'host' | 'subset';
  /** Argo Rollouts' phase: Healthy, Progressing, Paused or Degraded. */
  phase?: string;
  /** The controller's message, e.g. why it aborted. */
  message?: string;
  stepCount: number;
  /** 0-based index of the step in progress; equals stepCount once every step is done. */
  currentStepIndex?: number;
  /** The step in progress, as written in the Rollout (`{setWeight: 25}`, `{pause: {}}`…). */
  currentStep?: { [step: string]: unknown };
  /** The canary weight the steps call for now (0 when aborted, 100 when done). */
  setWeight: number;
  paused: boolean;
  /** `spec.paused`: a person (or a tool) paused it; a promote resumes it. */
  pausedByUser: boolean;
  /** The controller's pause reasons: CanaryPauseStep, InconclusiveAnalysisRun… */
  pauseReasons: string[];
  /** When the earliest current pause began (RFC 3339). */
  pausedSince?: string;
  /** Seconds the current pause step lasts; absent for a pause that waits for a person. */
  pauseDurationSeconds?: number;
  aborted: boolean;
  abortedAt?: string;
  /** Pod template hashes of the stable revision and of the one being rolled out. */
  stableRevision?: string;
  canaryRevision?: string;
};

/**
 * One AnalysisRun and the last measurement of each of its metrics.
 *
 * @public
 */
export type AnalysisRunSummary = {
  name: string;
  /** Pending, Running, Successful, Failed, Error or Inconclusive. */
  phase: string;
  message?: string;
  startedAt?: string;
  /** `Background` (runs beside the steps) or `Step` (a step of its own), when labelled. */
  type?: string;
  metrics: AnalysisMetricSummary[];
};

/**
 * The last measurement of one metric of an AnalysisRun.
 *
 * @public
 */
export type AnalysisMetricSummary = {
  name: string;
  phase: string;
  message?: string;
  /** The expressions the measurements are judged by, e.g. `result[0] >= 0.99`. */
  successCondition?: string;
  failureCondition?: string;
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  lastMeasurement?: {
    phase: string;
    value?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
  };
};

/** One side of the split. */
export type Track = {
  subset: string;
  /** Percentage of the default route's traffic, 0–100. */
  weight: number;
  version?: string;
  images?: string[];
  replicas?: { ready: number; desired: number };
  /** The pod template hash of the track's ReplicaSet, when it is known. */
  revision?: string;
};
