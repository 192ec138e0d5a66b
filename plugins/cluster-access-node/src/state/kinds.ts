import { POD_TEMPLATE, prune, Shape } from './prune';

/**
 * The label a Backstage entity's objects carry (`backstage.io/kubernetes-id`).
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * A kind the cluster-state layer keeps: where it is served, which objects it holds (the
 * informer's label selector), how they are pruned and indexed.
 *
 * @public
 */
export type ClusterStateKind = {
  /** The layer's name for it: `virtualServices`. */
  id: string;
  group: string;
  version: string;
  plural: string;
  kind: string;
  /** A CRD that may not be installed: absent means no objects (looked for again later). */
  optional?: boolean;
  /** What serves it, named when a cluster does not: "Istio". */
  provider: string;
  /**
   * The informer's label selector: only these objects are listed, watched and held. Unset:
   * every object of the kind (kinds related to the entity's objects by reference, such as
   * the Backups of a CloudNativePG Cluster, which carry no entity label).
   */
  labelSelector?: string;
  /** Extra indexes: name → the keys an object is found under. */
  indexes?: Record<string, (object: any) => string[]>;
  /** The object as stored: only the fields Runway reads. */
  prune(object: any): any;
};

/**
 * The index of objects by their controlling owner: `<namespace>/<Kind>/<name>`.
 *
 * @public
 */
export const OWNER_INDEX = 'owner';
/**
 * The index of CloudNativePG objects by their Cluster: `<namespace>/<cluster name>`.
 *
 * @public
 */
export const CNPG_CLUSTER_INDEX = 'cnpgCluster';

/**
 * The key {@link OWNER_INDEX} finds an object's dependents under.
 *
 * @public
 */
export const ownerKey = (
  namespace: string | undefined,
  kind: string,
  name: string,
) => `${namespace ?? ''}/${kind}/${name}`;

const byController = (object: any): string[] =>
  (object?.metadata?.ownerReferences ?? [])
    .filter((o: any) => o?.controller !== false)
    .map((o: any) => ownerKey(object.metadata.namespace, o.kind, o.name));

const byCnpgCluster = (object: any): string[] => {
  const name = object?.spec?.cluster?.name;
  return name ? [`${object.metadata?.namespace ?? ''}/${name}`] : [];
};

const ENTITY_OBJECTS = KUBERNETES_ID_LABEL;

function defineKind(
  definition: Omit<ClusterStateKind, 'prune'> & {
    shape: Record<string, Shape>;
    after?: (pruned: any) => any;
  },
): ClusterStateKind {
  const { shape, after, ...rest } = definition;
  const apiVersion = definition.group
    ? `${definition.group}/${definition.version}`
    : definition.version;
  return {
    ...rest,
    prune: object => {
      const pruned = prune(object, shape);
      pruned.apiVersion = apiVersion;
      pruned.kind = definition.kind;
      return after ? after(pruned) : pruned;
    },
  };
}

const CONDITIONS: Shape = {
  type: true,
  status: true,
  reason: true,
  message: true,
  lastTransitionTime: true,
};

/** How many measurements of each AnalysisRun metric are kept (the newest). */
export const KEPT_MEASUREMENTS = 3;

/**
 * Every kind Runway's views read: the canary status (Istio routing, workloads, Argo
 * Rollouts with their ReplicaSets and AnalysisRuns) and the database card (CloudNativePG).
 *
 * @public
 */
export const CLUSTER_STATE_KINDS = {
  virtualServices: defineKind({
    id: 'virtualServices',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'virtualservices',
    kind: 'VirtualService',
    provider: 'Istio',
    labelSelector: ENTITY_OBJECTS,
    shape: { spec: { hosts: true, gateways: true, http: true } },
  }),
  destinationRules: defineKind({
    id: 'destinationRules',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'destinationrules',
    kind: 'DestinationRule',
    provider: 'Istio',
    labelSelector: ENTITY_OBJECTS,
    shape: { spec: { host: true, subsets: { name: true, labels: true } } },
  }),
  deployments: defineKind({
    id: 'deployments',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    provider: 'Kubernetes',
    labelSelector: ENTITY_OBJECTS,
    shape: {
      spec: {
        replicas: true,
        paused: true,
        selector: true,
        template: POD_TEMPLATE,
      },
      status: {
        observedGeneration: true,
        replicas: true,
        readyReplicas: true,
        updatedReplicas: true,
        availableReplicas: true,
        conditions: CONDITIONS,
      },
    },
  }),
  rollouts: defineKind({
    id: 'rollouts',
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    kind: 'Rollout',
    optional: true,
    provider: 'Argo Rollouts',
    labelSelector: ENTITY_OBJECTS,
    shape: {
      spec: {
        replicas: true,
        paused: true,
        selector: true,
        template: POD_TEMPLATE,
        workloadRef: true,
        strategy: true,
      },
      status: true,
    },
  }),
  replicaSets: defineKind({
    id: 'replicaSets',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    kind: 'ReplicaSet',
    provider: 'Kubernetes',
    labelSelector: ENTITY_OBJECTS,
    indexes: { [OWNER_INDEX]: byController },
    shape: {
      spec: { replicas: true, selector: true, template: POD_TEMPLATE },
      status: {
        observedGeneration: true,
        replicas: true,
        readyReplicas: true,
        availableReplicas: true,
      },
    },
    // A ReplicaSet scaled to zero is history: its pod spec goes, its labels stay.
    after: rs => {
      if (!rs.spec?.replicas && !rs.status?.replicas && rs.spec?.template) {
        rs.spec.template = { metadata: rs.spec.template.metadata };
      }
      return rs;
    },
  }),
  analysisRuns: defineKind({
    id: 'analysisRuns',
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'analysisruns',
    kind: 'AnalysisRun',
    optional: true,
    provider: 'Argo Rollouts',
    // Every AnalysisRun a Rollout starts carries `rollout-type` (Step, Background, …);
    // it is found through its owner, the Rollout.
    labelSelector: 'rollout-type',
    indexes: { [OWNER_INDEX]: byController },
    shape: {
      spec: {
        metrics: {
          name: true,
          interval: true,
          count: true,
          failureLimit: true,
          inconclusiveLimit: true,
          successCondition: true,
          failureCondition: true,
        },
        terminate: true,
      },
      status: {
        phase: true,
        message: true,
        startedAt: true,
        runSummary: true,
        metricResults: {
          name: true,
          phase: true,
          message: true,
          count: true,
          successful: true,
          failed: true,
          inconclusive: true,
          error: true,
          consecutiveError: true,
          measurements: {
            phase: true,
            value: true,
            message: true,
            startedAt: true,
            finishedAt: true,
          },
        },
      },
    },
    after: run => {
      for (const result of run.status?.metricResults ?? []) {
        if (Array.isArray(result.measurements)) {
          result.measurements = result.measurements.slice(-KEPT_MEASUREMENTS);
        }
      }
      return run;
    },
  }),
  cnpgClusters: defineKind({
    id: 'cnpgClusters',
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'clusters',
    kind: 'Cluster',
    optional: true,
    provider: 'CloudNativePG',
    labelSelector: ENTITY_OBJECTS,
    shape: {
      spec: {
        description: true,
        instances: true,
        imageName: true,
        imageCatalogRef: true,
        storage: { size: true, storageClass: true },
        walStorage: { size: true, storageClass: true },
        backup: {
          target: true,
          retentionPolicy: true,
          barmanObjectStore: { destinationPath: true },
        },
        plugins: { name: true, enabled: true, isWALArchiver: true },
      },
      status: {
        phase: true,
        phaseReason: true,
        instances: true,
        readyInstances: true,
        currentPrimary: true,
        targetPrimary: true,
        image: true,
        pgDataImageInfo: { image: true, majorVersion: true },
        certificates: { expirations: true },
        conditions: CONDITIONS,
        lastSuccessfulBackup: true,
        lastFailedBackup: true,
        firstRecoverabilityPoint: true,
      },
    },
  }),
  cnpgDatabases: defineKind({
    id: 'cnpgDatabases',
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'databases',
    kind: 'Database',
    optional: true,
    provider: 'CloudNativePG',
    indexes: { [CNPG_CLUSTER_INDEX]: byCnpgCluster },
    shape: {
      spec: {
        name: true,
        owner: true,
        cluster: true,
        ensure: true,
        databaseReclaimPolicy: true,
      },
      status: { applied: true, message: true, observedGeneration: true },
    },
  }),
  cnpgBackups: defineKind({
    id: 'cnpgBackups',
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'backups',
    kind: 'Backup',
    optional: true,
    provider: 'CloudNativePG',
    indexes: { [CNPG_CLUSTER_INDEX]: byCnpgCluster },
    shape: {
      spec: {
        cluster: true,
        method: true,
        target: true,
        pluginConfiguration: { name: true },
      },
      status: {
        phase: true,
        method: true,
        startedAt: true,
        stoppedAt: true,
        error: true,
      },
    },
  }),
  cnpgScheduledBackups: defineKind({
    id: 'cnpgScheduledBackups',
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'scheduledbackups',
    kind: 'ScheduledBackup',
    optional: true,
    provider: 'CloudNativePG',
    indexes: { [CNPG_CLUSTER_INDEX]: byCnpgCluster },
    shape: {
      spec: {
        schedule: true,
        cluster: true,
        suspend: true,
        immediate: true,
        method: true,
        backupOwnerReference: true,
      },
      status: {
        lastCheckTime: true,
        lastScheduleTime: true,
        nextScheduleTime: true,
      },
    },
  }),
} satisfies Record<string, ClusterStateKind>;

/**
 * The id of a kind of {@link CLUSTER_STATE_KINDS}.
 *
 * @public
 */
export type ClusterStateKindId = keyof typeof CLUSTER_STATE_KINDS;

/** The API path of a kind's collection (all namespaces). */
export const collectionPath = (kind: ClusterStateKind) =>
  kind.group
    ? `/apis/${kind.group}/${kind.version}/${kind.plural}`
    : `/api/${kind.version}/${kind.plural}`;
