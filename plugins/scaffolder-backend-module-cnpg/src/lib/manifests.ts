import {
  clusterNameOf,
  CreateDatabaseInput,
  DatabaseTarget,
  DedicatedTarget,
  planDatabase,
  SharedTarget,
} from './inputs';

/**
 * The Kubernetes objects cnpg:database:create applies: pure builders from a validated
 * target (see inputs.ts). Each is tested against its CRD schema.
 */

/**
 * A Kubernetes object as the builders emit it.
 *
 * @public
 */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
};

export const MANAGED_BY = 'runway';
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** The Barman Cloud plugin's name, as a Cluster's `spec.plugins` and backups refer to it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

export const objectStoreNameOf = (name: string) =>
  `${clusterNameOf(name)}-backup`;
export const scheduledBackupNameOf = (name: string) =>
  `${clusterNameOf(name)}-backup`;
export const databaseObjectNameOf = (name: string) => clusterNameOf(name);

/** The labels of every object Runway applies for the service `name`. */
export function labelsOf(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'postgresql',
    'app.kubernetes.io/instance': clusterNameOf(name),
    'app.kubernetes.io/component': 'database',
    'app.kubernetes.io/part-of': name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [KUBERNETES_ID_LABEL]: name,
  };
}

/** The namespace, applied only when createNamespace is set and it does not exist. */
export function buildNamespace(namespace: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace,
      labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
    },
  };
}

/**
 * The dedicated `postgresql.cnpg.io/v1` Cluster `<name>-db`. With more than one instance
 * no two instances share a node and they spread across zones; a single instance has no
 * PodDisruptionBudget, so node drains (Karpenter consolidation) are not blocked. With a
 * backup, WAL archiving goes through the Barman Cloud plugin (not the deprecated
 * `spec.backup.barmanObjectStore`), and the cluster's service account carries the IRSA
 * role when one is given.
 */
export function buildCluster(target: DedicatedTarget): Manifest {
  const clusterName = clusterNameOf(target.name);
  const ha = target.instances > 1;
  const { backup } = target;
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: {
      name: clusterName,
      namespace: target.namespace,
      labels: labelsOf(target.name),
    },
    spec: {
      description: `PostgreSQL of ${target.name}, provisioned by Runway`,
      instances: target.instances,
      ...(target.imageName && { imageName: target.imageName }),
      // Pods, services and PVCs carry the entity's id: the Kubernetes tab shows them.
      inheritedMetadata: {
        labels: {
          [KUBERNETES_ID_LABEL]: target.name,
          'app.kubernetes.io/part-of': target.name,
        },
      },
      bootstrap: {
        initdb: { database: target.database, owner: target.owner },
      },
      storage: {
        size: target.storageSize,
        ...(target.storageClass && { storageClass: target.storageClass }),
      },
      enablePDB: ha,
      ...(ha && {
        affinity: {
          enablePodAntiAffinity: true,
          podAntiAffinityType: 'required',
          topologyKey: 'kubernetes.io/hostname',
        },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { 'cnpg.io/cluster': clusterName } },
          },
        ],
      }),
      ...(backup && {
        plugins: [
          {
            name: BARMAN_CLOUD_PLUGIN,
            isWALArchiver: true,
            parameters: { barmanObjectName: objectStoreNameOf(target.name) },
          },
        ],
      }),
      ...(backup?.roleArn && {
        serviceAccountTemplate: {
          metadata: {
            annotations: { [IRSA_ROLE_ANNOTATION]: backup.roleArn },
          },
        },
      }),
    },
  };
}

/**
 * The Barman Cloud plugin's `ObjectStore` `<name>-db-backup`: S3 under
 * `<destinationPath>/<environment or cluster>`, credentials from the pod's IAM role
 * (IRSA or EKS Pod Identity), compressed WAL and base backups, the retention policy.
 */
export function buildObjectStore(
  target: DedicatedTarget,
): Manifest | undefined {
  const { backup } = target;
  if (!backup) return undefined;
  return {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: {
      name: objectStoreNameOf(target.name),
      namespace: target.namespace,
      labels: labelsOf(target.name),
    },
    spec: {
      configuration: {
        destinationPath: backup.objectStorePath,
        s3Credentials: { inheritFromIAMRole: true },
        wal: { compression: 'gzip' },
        data: { compression: 'gzip' },
      },
      retentionPolicy: backup.retentionPolicy,
    },
  };
}

/** The `ScheduledBackup` `<name>-db-backup`: base backups through the plugin, the first at once. */
export function buildScheduledBackup(
  target: DedicatedTarget,
): Manifest | undefined {
  const { backup } = target;
  if (!backup) return undefined;
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: {
      name: scheduledBackupNameOf(target.name),
      namespace: target.namespace,
      labels: labelsOf(target.name),
    },
    spec: {
      schedule: backup.schedule,
      cluster: { name: clusterNameOf(target.name) },
      method: 'plugin',
      pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
      backupOwnerReference: 'self',
      immediate: true,
    },
  };
}

/**
 * The `Database` `<name>-db` on the shared Cluster: CloudNativePG creates the database
 * with the given owner, which must already be a role of the shared cluster (see the
 * README: a managed role in the shared Cluster's `spec.managed.roles`). Deleting the
 * object keeps the database (`databaseReclaimPolicy: retain`).
 */
export function buildDatabase(target: SharedTarget): Manifest {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Database',
    metadata: {
      name: databaseObjectNameOf(target.name),
      namespace: target.namespace,
      labels: labelsOf(target.name),
    },
    spec: {
      name: target.database,
      owner: target.owner,
      cluster: { name: target.sharedCluster },
      ensure: 'present',
      databaseReclaimPolicy: 'retain',
    },
  };
}

/**
 * Every object of one target, in apply order (the namespace first, when createNamespace is
 * set; the ObjectStore before the Cluster that names it; the ScheduledBackup after it).
 */
export function buildManifests(target: DatabaseTarget): Manifest[] {
  if (target.mode === 'shared') return [buildDatabase(target)];
  return [
    target.createNamespace ? buildNamespace(target.namespace) : undefined,
    buildObjectStore(target),
    buildCluster(target),
    buildScheduledBackup(target),
  ].filter((m): m is Manifest => m !== undefined);
}

/**
 * Every object cnpg:database:create applies for an input, target after target, each in
 * apply order: the action's input as a template passes it (JSON), checked by the same
 * schema with the same defaults, with no task and no call to a cluster. For manifests made
 * outside a task (Runway's own chart, deploy/chart). `knownClusters` are the names the
 * input's clusters may take (the action's are the configured ones). Bad input throws the
 * action's InputError, naming the field and the rule.
 *
 * @public
 */
export function buildDatabaseObjects(
  input: Record<string, unknown>,
  options: { knownClusters: string[] },
): Manifest[] {
  return planDatabase(input as CreateDatabaseInput, options).targets.flatMap(
    target => buildManifests(target),
  );
}
