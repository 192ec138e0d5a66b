/*
 * Minimal structural types of the Kubernetes objects the canary status is computed from.
 * Every field is optional where Kubernetes makes it optional, so objects from
 * `@kubernetes/client-node` (or plain JSON from the API) can be passed as they are.
 */

export type Labels = { [name: string]: string };

export type ObjectMeta = {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Labels;
  /** The objects that own this one (a Rollout owns its ReplicaSets and AnalysisRuns). */
  ownerReferences?: Array<{ kind?: string; name?: string; uid?: string }>;
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
  /** The HTTP routes whose weights the controller sets; optional when the VirtualService has one route. */
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

/**
 * An AnalysisTemplate a Rollout runs, by name.
 *
 * @public
 */
export type RolloutAnalysisTemplateRef = {
  templateName?: string;
  /** A ClusterAnalysisTemplate instead of a namespaced AnalysisTemplate. */
  clusterScope?: boolean;
};

/**
 * One step of a canary strategy; only the fields read here are typed.
 *
 * @public
 */
export type RolloutStep = {
  setWeight?: number;
  /** `{}` waits for a person; `{duration: '10m'}` (or seconds) waits that long. */
  pause?: { duration?: string | number };
  setHeaderRoute?: { name: string; match?: unknown[] };
  analysis?: { templates?: RolloutAnalysisTemplateRef[] };
  [step: string]: unknown;
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
        trafficRouting?: {
          istio?: RolloutIstioTrafficRouting;
          /** Routes the controller adds (setHeaderRoute) and removes again at the end. */
          managedRoutes?: Array<{ name: string }>;
        };
        /** Background analysis, running from `startingStep` until the Rollout completes. */
        analysis?: {
          templates?: RolloutAnalysisTemplateRef[];
          startingStep?: number;
        };
        steps?: RolloutStep[];
      };
    };
  };
  status?: {
    phase?: string;
    message?: string;
    pauseConditions?: Array<{ reason?: string; startTime?: string }>;
    /** The controller paused at an indefinite pause step (cleared by a promote). */
    controllerPause?: boolean;
    abort?: boolean;
    abortedAt?: string;
    currentStepIndex?: number;
    readyReplicas?: number;
    replicas?: number;
    /** Pod template hash of the revision the Rollout is moving to. */
    currentPodHash?: string;
    /** Pod template hash of the stable revision. */
    stableRS?: string;
    conditions?: Array<{
      type?: string;
      status?: string;
      reason?: string;
      message?: string;
    }>;
    canary?: {
      /** The weights the controller last set in the traffic router. */
      weights?: {
        canary?: {
          weight?: number;
          serviceName?: string;
          podTemplateHash?: string;
        };
        stable?: {
          weight?: number;
          serviceName?: string;
          podTemplateHash?: string;
        };
      };
      currentBackgroundAnalysisRunStatus?: {
        name?: string;
        status?: string;
        message?: string;
      };
      currentStepAnalysisRunStatus?: {
        name?: string;
        status?: string;
        message?: string;
      };
    };
  };
};

/**
 * v1 Service (only its name and selector matter here).
 *
 * @public
 */
export type Service = {
  metadata?: ObjectMeta;
  spec?: { selector?: Labels };
};

/**
 * apps/v1 ReplicaSet: Argo Rollouts runs each revision of a Rollout as one.
 *
 * @public
 */
export type ReplicaSet = {
  metadata?: ObjectMeta;
  spec?: { replicas?: number; template?: PodTemplate };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
  };
};

/**
 * One measurement of an analysis metric.
 *
 * @public
 */
export type AnalysisMeasurement = {
  phase?: string;
  value?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
};

/**
 * argoproj.io/v1alpha1 AnalysisRun.
 *
 * @public
 */
export type AnalysisRun = {
  metadata?: ObjectMeta & { creationTimestamp?: string };
  spec?: {
    metrics?: Array<{
      name: string;
      successCondition?: string;
      failureCondition?: string;
      [field: string]: unknown;
    }>;
  };
  status?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    metricResults?: Array<{
      name: string;
      phase?: string;
      message?: string;
      count?: number;
      successful?: number;
      failed?: number;
      inconclusive?: number;
      error?: number;
      measurements?: AnalysisMeasurement[];
    }>;
  };
};

/**
 * argoproj.io/v1alpha1 AnalysisTemplate (only its name matters here).
 *
 * @public
 */
export type AnalysisTemplate = {
  metadata?: ObjectMeta;
};

/**
 * The objects found for one entity in one cluster. The optional kinds add to what is
 * computed when present: ReplicaSets give each track of a Rollout its own replicas and
 * images, AnalysisRuns its analysis, Services and AnalysisTemplates their checks.
 */
export type CanaryObjects = {
  virtualServices: VirtualService[];
  destinationRules: DestinationRule[];
  deployments: Deployment[];
  /** Absent when the Argo Rollouts CRDs are not installed. */
  rollouts?: Rollout[];
  replicaSets?: ReplicaSet[];
  analysisRuns?: AnalysisRun[];
  analysisTemplates?: AnalysisTemplate[];
  services?: Service[];
};
