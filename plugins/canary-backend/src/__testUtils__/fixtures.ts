import { FakeObject } from '@runway/plugin-cluster-access-node-test-utils';
import { ROLLOUT_STATES, rolloutObject } from './rolloutPlane';

/**
 * Objects of a canary-routed service as Runway's chart renders them: a VirtualService
 * splitting traffic between the `stable` and `canary` subsets, with an `x-canary: true`
 * header override, its DestinationRule, and one Deployment per track.
 */
export function canaryService(options: {
  id: string;
  namespace: string;
  stableWeight: number;
  canaryWeight: number;
  stableVersion?: string;
  canaryVersion?: string;
  canaryReady?: number;
}): FakeObject[] {
  const { id, namespace } = options;
  const labels = { 'backstage.io/kubernetes-id': id, app: id };
  const host = `${id}.${namespace}.svc.cluster.local`;
  const stableVersion = options.stableVersion ?? '1.4.0';
  const canaryVersion = options.canaryVersion ?? '1.5.0';
  const deployment = (track: string, version: string, ready: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${id}-${track}`, namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: id, track } },
      template: {
        metadata: { labels: { app: id, track, version } },
        spec: {
          containers: [
            {
              name: id,
              image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${id}:${version}`,
            },
          ],
        },
      },
    },
    status: { replicas: 2, readyReplicas: ready, updatedReplicas: 2 },
  });
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: id, namespace, labels },
      spec: {
        hosts: [host],
        http: [
          {
            name: 'canary-override',
            match: [{ headers: { 'x-canary': { exact: 'true' } } }],
            route: [{ destination: { host, subset: 'canary' } }],
          },
          {
            name: 'primary',
            route: [
              {
                destination: { host, subset: 'stable' },
                weight: options.stableWeight,
              },
              {
                destination: { host, subset: 'canary' },
                weight: options.canaryWeight,
              },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: id, namespace, labels },
      spec: {
        host,
        subsets: [
          { name: 'stable', labels: { app: id, track: 'stable' } },
          { name: 'canary', labels: { app: id, track: 'canary' } },
        ],
      },
    },
    deployment('stable', stableVersion, 2),
    deployment('canary', canaryVersion, options.canaryReady ?? 2),
  ];
}

/**
 * A service whose canary an Argo Rollout moves (host-level routing over Istio), as the
 * controller leaves it paused at step 2 of 4: the Rollout (stable revision `aaa111`,
 * canary `bbb222`), its VirtualService, the ReplicaSet of each revision (labelled from
 * the pod template, owned by the Rollout) and the AnalysisRuns it started, which carry
 * `rollout-type` and the revision's hash but no entity label: a failed run of the canary
 * revision, a successful one, and a run of the old revision that no longer counts.
 */
export function rolloutService(options: {
  id: string;
  namespace: string;
}): FakeObject[] {
  const { id, namespace } = options;
  const entity = { 'backstage.io/kubernetes-id': id };
  const rollout = rolloutObject({ id, namespace });
  // The fake API gives every object a uid of its own, so the references name the Rollout
  // without one (the status then matches its owner by kind and name).
  const owner = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: id,
    controller: true,
    blockOwnerDeletion: true,
  };
  const replicaSet = (hash: string, version: string, ready: number) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${id}-${hash}`,
      namespace,
      labels: { ...entity, app: id, 'rollouts-pod-template-hash': hash },
      ownerReferences: [owner],
    },
    spec: {
      replicas: 2,
      selector: {
        matchLabels: { app: id, 'rollouts-pod-template-hash': hash },
      },
      template: {
        metadata: {
          labels: {
            ...entity,
            app: id,
            version,
            'rollouts-pod-template-hash': hash,
          },
        },
        spec: {
          containers: [{ name: id, image: `example.com/${id}:${version}` }],
        },
      },
    },
    status: { replicas: 2, readyReplicas: ready, availableReplicas: ready },
  });
  const analysisRun = (
    name: string,
    hash: string,
    phase: string,
    measurements: Array<{ phase: string; value: string }>,
  ) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      namespace,
      labels: {
        'rollout-type': 'Step',
        'rollouts-pod-template-hash': hash,
      },
      ownerReferences: [owner],
    },
    spec: {
      metrics: [
        {
          name: 'success-rate',
          successCondition: 'result[0] >= 0.99',
          provider: { prometheus: { query: 'success_rate' } },
        },
      ],
    },
    status: {
      phase,
      startedAt: '2026-11-28T10:00:00Z',
      metricResults: [
        {
          name: 'success-rate',
          phase,
          count: measurements.length,
          successful: measurements.filter(m => m.phase === 'Successful').length,
          failed: measurements.filter(m => m.phase === 'Failed').length,
          measurements: measurements.map((m, i) => ({
            ...m,
            startedAt: `2026-11-28T10:0${i}:00Z`,
            finishedAt: `2026-11-28T10:0${i}:01Z`,
          })),
        },
      ],
    },
  });
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: id, namespace, labels: entity },
      spec: {
        hosts: [id],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: id }, weight: 75 },
              { destination: { host: `${id}-canary` }, weight: 25 },
            ],
          },
        ],
      },
    },
    {
      ...rollout,
      status: { ...ROLLOUT_STATES.pausedAtStep, replicas: 4, readyReplicas: 3 },
    },
    replicaSet('aaa111', '1.4.0', 2),
    replicaSet('bbb222', '1.5.0', 1),
    analysisRun(`${id}-bbb222-2`, 'bbb222', 'Failed', [
      { phase: 'Successful', value: '[0.995]' },
      { phase: 'Failed', value: '[0.93]' },
    ]),
    analysisRun(`${id}-bbb222-1`, 'bbb222', 'Successful', [
      { phase: 'Successful', value: '[0.999]' },
    ]),
    analysisRun(`${id}-aaa111-1`, 'aaa111', 'Failed', [
      { phase: 'Failed', value: '[0.5]' },
    ]),
  ];
}

/**
 * A CloudNativePG database as cnpg:database:create provisions it, running: the Cluster
 * `<id>-db` (labelled with the entity's id, healthy unless told otherwise), its
 * ScheduledBackup, and one completed Backup `backupHoursAgo` hours before `now`.
 */
export function postgresDatabase(options: {
  id: string;
  namespace: string;
  now?: Date;
  instances?: number;
  readyInstances?: number;
  backupHoursAgo?: number;
  phase?: string;
}): FakeObject[] {
  const { id, namespace } = options;
  const now = options.now ?? new Date();
  const name = `${id}-db`;
  const at = (hoursAgo: number) =>
    new Date(now.getTime() - hoursAgo * 3600_000).toISOString();
  const goTime = (daysAhead: number) =>
    new Date(now.getTime() + daysAhead * 86400_000)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000 UTC');
  const instances = options.instances ?? 3;
  const labels = {
    'backstage.io/kubernetes-id': id,
    'app.kubernetes.io/name': 'postgresql',
    'app.kubernetes.io/instance': name,
  };
  const backupHoursAgo = options.backupHoursAgo ?? 5;
  return [
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name, namespace, labels, creationTimestamp: at(24 * 40) },
      spec: {
        instances,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:17.2',
        storage: { size: '20Gi' },
        plugins: [
          {
            name: 'barman-cloud.cloudnative-pg.io',
            isWALArchiver: true,
            parameters: { barmanObjectName: `${name}-backup` },
          },
        ],
      },
      status: {
        phase: options.phase ?? 'Cluster in healthy state',
        instances,
        readyInstances: options.readyInstances ?? instances,
        currentPrimary: `${name}-1`,
        image: 'ghcr.io/cloudnative-pg/postgresql:17.2',
        certificates: {
          expirations: {
            [`${name}-ca`]: goTime(80),
            [`${name}-server`]: goTime(60),
          },
        },
        conditions: [
          {
            type: 'ContinuousArchiving',
            status: 'True',
            reason: 'ContinuousArchivingSuccess',
            message: 'Continuous archiving is working',
            // Required by the CRD's schema (metav1.Condition), in whole seconds.
            lastTransitionTime: at(24).replace(/\.\d+Z$/, 'Z'),
          },
        ],
      },
    },
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: `${name}-backup`, namespace, labels },
      spec: {
        schedule: '0 0 2 * * *',
        cluster: { name },
        method: 'plugin',
        backupOwnerReference: 'self',
      },
      status: { nextScheduleTime: at(-6) },
    },
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Backup',
      // Backups a ScheduledBackup creates carry CloudNativePG's labels only.
      metadata: {
        name: `${name}-backup-1`,
        namespace,
        labels: { 'cnpg.io/cluster': name },
      },
      spec: { cluster: { name }, method: 'plugin' },
      status: {
        phase: 'completed',
        startedAt: at(backupHoursAgo + 0.2),
        stoppedAt: at(backupHoursAgo),
      },
    },
  ];
}
