/*
 * Minimal structural types of the Kubernetes objects the canary status is computed from.
 * Every field is optional where Kubernetes makes it optional, so objects from
 * `@kubernetes/client-node` (or plain JSON from the API) can be passed as they are.
 */

export type Labels = { [name: string]: string };

export type ObjectMeta = {
  name?: string;
  namespace?: string;
  labels?: Labels;
};

export type LabelSelector = {
  matchLabels?: Labels;
};

export type PodTemplate = {
  metadata?: { labels?: Labels };
  spec?: { containers?: Array<{ name: string; image?: string }> };
};

/** An Istio string condition; exactly one of the three is set. */
export type StringMatch = {
  exact?: string;
  prefix?: string;
  regex?: string;
};

/**
 * One match condition of an HTTP rule. Only the fields read here are typed; any other
 * condition present at run time (`method`, `queryParams`, …) still counts as a condition.
 */
export type HTTPMatchRequest = {
  name?: string;
  headers?: { [header: string]: StringMatch };
  uri?: StringMatch;
};

export type HTTPRouteDestination = {
  destination: {
    host: string;
    subset?: string;
    port?: { number?: number };
  };
  weight?: number;
};

export type HTTPRoute = {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
};

/** networking.istio.io/v1 VirtualService. */
export type VirtualService = {
  metadata?: ObjectMeta;
  spec?: {
    hosts?: string[];
    http?: HTTPRoute[];
  };
};

/** networking.istio.io/v1 DestinationRule. */
export type DestinationRule = {
  metadata?: ObjectMeta;
  spec?: {
    host: string;
    subsets?: Array<{ name: string; labels?: Labels }>;
  };
};

/** apps/v1 Deployment. */
export type Deployment = {
  metadata?: ObjectMeta;
  spec?: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
};

/** A VirtualService named by a Rollout: `name`, or `name.namespace` for another namespace. */
export type RolloutVirtualServiceRef = {
  name: string;
  routes?: string[];
};

export type RolloutIstioTrafficRouting = {
  virtualService?: RolloutVirtualServiceRef;
  virtualServices?: RolloutVirtualServiceRef[];
  destinationRule?: {
    name: string;
    canarySubsetName: string;
    stableSubsetName: string;
  };
};

/** argoproj.io/v1alpha1 Rollout. */
export type Rollout = {
  metadata?: ObjectMeta;
  spec?: {
    replicas?: number;
    paused?: boolean;
    selector?: LabelSelector;
    template?: PodTemplate;
    /** Takes the pod template from an existing workload instead of `template`. */
    workloadRef?: { apiVersion?: string; kind?: string; name?: string };
    strategy?: {
      canary?: {
        canaryService?: string;
        stableService?: string;
        trafficRouting?: { istio?: RolloutIstioTrafficRouting };
        steps?: Array<{ [step: string]: unknown }>;
      };
    };
  };
  status?: {
    phase?: string;
    pauseConditions?: Array<{ reason?: string; startTime?: string }>;
    readyReplicas?: number;
    replicas?: number;
    /** Pod template hash of the revision the Rollout is moving to. */
    currentPodHash?: string;
    /** Pod template hash of the stable revision. */
    stableRS?: string;
    message?: string;
  };
};
