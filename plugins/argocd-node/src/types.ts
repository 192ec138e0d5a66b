/**
 * The parts of Argo CD's `argoproj.io/v1alpha1` Application and AppProject that Runway
 * writes or reads. Objects read from Argo CD carry more (status, server-populated metadata,
 * fields other tools set); the index signatures keep them.
 */

/**
 * Object metadata as far as Runway cares.
 *
 * @public
 */
export type ObjectMeta = {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  resourceVersion?: string;
  [key: string]: unknown;
};

/**
 * `spec.source.helm`
 *
 * @public
 */
export type ApplicationSourceHelm = {
  releaseName?: string;
  valueFiles?: string[];
  [key: string]: unknown;
};

/**
 * `spec.source`
 *
 * @public
 */
export type ApplicationSource = {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  helm?: ApplicationSourceHelm;
  [key: string]: unknown;
};

/**
 * `spec.destination`: a cluster by API server URL (`server`) or by Argo CD cluster name (`name`).
 *
 * @public
 */
export type ApplicationDestination = {
  server?: string;
  name?: string;
  namespace?: string;
};

/**
 * `spec.syncPolicy`
 *
 * @public
 */
export type SyncPolicy = {
  automated?: {
    prune?: boolean;
    selfHeal?: boolean;
    allowEmpty?: boolean;
  };
  syncOptions?: string[];
  retry?: {
    limit?: number;
    backoff?: {
      duration?: string;
      factor?: number;
      maxDuration?: string;
    };
  };
};

/**
 * One entry of an Application's `spec.ignoreDifferences`: fields of matching resources that
 * Argo CD leaves out of its diff (a controller owns them).
 *
 * @public
 */
export type ResourceIgnoreDifferences = {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
};

/**
 * `spec` of an Application
 *
 * @public
 */
export type ApplicationSpec = {
  project: string;
  source?: ApplicationSource;
  destination: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  ignoreDifferences?: ResourceIgnoreDifferences[];
  [key: string]: unknown;
};

/**
 * An Argo CD Application (`argoproj.io/v1alpha1`).
 *
 * @public
 */
export type Application = {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: ObjectMeta;
  spec: ApplicationSpec;
  status?: unknown;
  [key: string]: unknown;
};

/**
 * `spec` of an AppProject, as Runway creates them.
 *
 * @public
 */
export type AppProjectSpec = {
  description?: string;
  sourceRepos?: string[];
  destinations?: ApplicationDestination[];
  clusterResourceWhitelist?: Array<{ group: string; kind: string }>;
  [key: string]: unknown;
};

/**
 * An Argo CD AppProject (`argoproj.io/v1alpha1`).
 *
 * @public
 */
export type AppProject = {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'AppProject';
  metadata: ObjectMeta;
  spec: AppProjectSpec;
  [key: string]: unknown;
};

/**
 * A configured Argo CD instance, without its token.
 *
 * @public
 */
export type ArgoCdInstance = {
  /** The name templates pick it by. */
  name: string;
  /** Base URL of the Argo CD server (UI and API), without a trailing '/'. */
  url: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Attempts per request when Argo CD times out or answers 429 / 5xx. */
  maxAttempts: number;
  /** Whether a token is configured (api mode needs one). */
  hasToken: boolean;
};
