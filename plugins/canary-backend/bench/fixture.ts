import { FakeObject } from '@runway/plugin-cluster-access-node-test-utils';

/*
 * The benchmark's fleet: per cluster, `services` canary-routed services as Runway's charts
 * render them, with the weight real objects carry (managedFields, the last-applied
 * annotation, full pod specs), so pruning is measured on realistic input.
 *
 * Per service: a VirtualService, a DestinationRule, two Services (stable and canary), and
 * either an Argo Rollout (even services) or a stable/canary Deployment pair (odd ones),
 * with two ReplicaSets; one service in three has a CloudNativePG Cluster with its
 * ScheduledBackup and two Backups.
 */

export const NAMESPACES = 100;
const ID = 'backstage.io/kubernetes-id';

export const serviceId = (i: number) => `svc-${i}`;
export const namespaceOf = (i: number) => `team-${i % NAMESPACES}`;

const managedFields = (apiVersion: string, spec: unknown): unknown[] => [
  {
    manager: 'argocd-controller',
    operation: 'Apply',
    apiVersion,
    time: '2026-11-20T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': spec },
  },
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    apiVersion,
    time: '2026-11-20T10:00:05Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:replicas': {} } },
  },
];

function heavy(
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string,
  labels: Record<string, string>,
  body: Record<string, unknown>,
  extraMetadata: Record<string, unknown> = {},
): FakeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      namespace,
      labels,
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          apiVersion,
          kind,
          metadata: { name, namespace, labels },
          spec: body.spec,
        }),
        'argocd.argoproj.io/tracking-id': `${labels[ID]}:${kind}:${namespace}/${name}`,
      },
      creationTimestamp: '2026-11-01T08:00:00Z',
      generation: 4,
      managedFields: managedFields(apiVersion, body.spec),
      ...extraMetadata,
    },
    ...body,
  };
}

const podTemplate = (id: string, track: string, version: string) => ({
  metadata: {
    labels: { [ID]: id, app: id, track, version },
    annotations: { 'kubectl.kubernetes.io/default-container': id },
  },
  spec: {
    serviceAccountName: id,
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: id,
        image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${id}:${version}`,
        ports: [{ name: 'http', containerPort: 8080 }],
        env: Array.from({ length: 8 }, (_, k) => ({
          name: `SETTING_${k}`,
          value: `value-${k}-${id}`,
        })),
        envFrom: [{ secretRef: { name: `${id}-secrets` } }],
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { memory: '256Mi' },
        },
        readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
      },
    ],
  },
});

/** The objects of service `i` with traffic split `stableWeight`/100 − it. */
export function serviceObjects(i: number, stableWeight = 90): FakeObject[] {
  const id = serviceId(i);
  const namespace = namespaceOf(i);
  const labels = { [ID]: id, app: id };
  const host = `${id}.${namespace}.svc.cluster.local`;
  const objects: FakeObject[] = [
    virtualService(i, stableWeight),
    heavy('networking.istio.io/v1', 'DestinationRule', id, namespace, labels, {
      spec: {
        host,
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        subsets: [
          { name: 'stable', labels: { app: id, track: 'stable' } },
          { name: 'canary', labels: { app: id, track: 'canary' } },
        ],
      },
    }),
    ...['', '-canary'].map(suffix =>
      heavy('v1', 'Service', `${id}${suffix}`, namespace, labels, {
        spec: {
          selector: { app: id },
          ports: [{ name: 'http', port: 80, targetPort: 'http' }],
        },
      }),
    ),
  ];
  const rs = (
    name: string,
    track: string,
    version: string,
    replicas: number,
    owner: { kind: string; name: string },
  ) =>
    heavy(
      'apps/v1',
      'ReplicaSet',
      name,
      namespace,
      labels,
      {
        spec: {
          replicas,
          selector: { matchLabels: { app: id, track } },
          template: podTemplate(id, track, version),
        },
        status: {
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
        },
      },
      {
        ownerReferences: [
          {
            apiVersion:
              owner.kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1',
            kind: owner.kind,
            name: owner.name,
            uid: `uid-${owner.name}`,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
    );
  if (i % 2 === 0) {
    objects.push(
      heavy('argoproj.io/v1alpha1', 'Rollout', id, namespace, labels, {
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: id } },
          template: podTemplate(id, 'rollout', '1.5.0'),
          strategy: {
            canary: {
              trafficRouting: {
                istio: {
                  virtualService: { name: id, routes: ['primary'] },
                  destinationRule: {
                    name: id,
                    stableSubsetName: 'stable',
                    canarySubsetName: 'canary',
                  },
                },
              },
              steps: [
                { setWeight: 20 },
                { pause: {} },
                { setWeight: 50 },
                { pause: { duration: '10m' } },
              ],
            },
          },
        },
        status: {
          phase: 'Paused',
          currentStepIndex: 1,
          stableRS: 'aaaa1111',
          currentPodHash: 'bbbb2222',
          replicas: 3,
          readyReplicas: 3,
          pauseConditions: [
            { reason: 'CanaryPauseStep', startTime: '2026-11-20T10:00:00Z' },
          ],
        },
      }),
      rs(`${id}-aaaa1111`, 'stable', '1.4.0', 3, { kind: 'Rollout', name: id }),
      rs(`${id}-bbbb2222`, 'canary', '1.5.0', 1, { kind: 'Rollout', name: id }),
    );
  } else {
    for (const [track, version] of [
      ['stable', '1.4.0'],
      ['canary', '1.5.0'],
    ]) {
      objects.push(
        heavy('apps/v1', 'Deployment', `${id}-${track}`, namespace, labels, {
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: id, track } },
            template: podTemplate(id, track, version),
          },
          status: { replicas: 2, readyReplicas: 2, updatedReplicas: 2 },
        }),
        rs(`${id}-${track}-5d8f9`, track, version, 2, {
          kind: 'Deployment',
          name: `${id}-${track}`,
        }),
      );
    }
  }
  if (i % 3 === 0) objects.push(...databaseObjects(id, namespace));
  // Objects carry no `undefined` fields on the wire.
  return JSON.parse(JSON.stringify(objects));
}

/** The VirtualService of service `i`: what the churn rewrites. */
export function virtualService(
  i: number,
  stableWeight: number,
  generation = 0,
): FakeObject {
  const id = serviceId(i);
  const namespace = namespaceOf(i);
  const host = `${id}.${namespace}.svc.cluster.local`;
  return heavy(
    'networking.istio.io/v1',
    'VirtualService',
    id,
    namespace,
    { [ID]: id, app: id, 'bench.runway.dev/generation': String(generation) },
    {
      spec: {
        hosts: [host],
        gateways: ['mesh'],
        http: [
          {
            name: 'canary-override',
            match: [{ headers: { 'x-canary': { exact: 'true' } } }],
            route: [{ destination: { host, subset: 'canary' } }],
          },
          {
            name: 'primary',
            route: [
              { destination: { host, subset: 'stable' }, weight: stableWeight },
              {
                destination: { host, subset: 'canary' },
                weight: 100 - stableWeight,
              },
            ],
            retries: { attempts: 2, perTryTimeout: '2s' },
            timeout: '10s',
          },
        ],
      },
    },
  );
}

function databaseObjects(id: string, namespace: string): FakeObject[] {
  const name = `${id}-db`;
  const labels = { [ID]: id };
  const cluster = heavy(
    'postgresql.cnpg.io/v1',
    'Cluster',
    name,
    namespace,
    labels,
    {
      spec: {
        instances: 3,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:17.2',
        storage: { size: '20Gi', storageClass: 'gp3' },
        postgresql: {
          parameters: { max_connections: '200', shared_buffers: '256MB' },
        },
        bootstrap: { initdb: { database: 'app', owner: 'app' } },
        plugins: [
          {
            name: 'barman-cloud.cloudnative-pg.io',
            isWALArchiver: true,
            parameters: { barmanObjectName: `${name}-backup` },
          },
        ],
      },
      status: {
        phase: 'Cluster in healthy state',
        instances: 3,
        readyInstances: 3,
        currentPrimary: `${name}-1`,
        image: 'ghcr.io/cloudnative-pg/postgresql:17.2',
        instanceNames: [`${name}-1`, `${name}-2`, `${name}-3`],
        certificates: {
          expirations: {
            [`${name}-ca`]: '2027-02-18 10:00:00 +0000 UTC',
            [`${name}-server`]: '2027-02-18 10:00:00 +0000 UTC',
          },
        },
        conditions: [
          {
            type: 'ContinuousArchiving',
            status: 'True',
            reason: 'ContinuousArchivingSuccess',
          },
          { type: 'Ready', status: 'True', reason: 'ClusterIsReady' },
        ],
      },
    },
  );
  const backups = [1, 2].map(n => ({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: {
      name: `${name}-backup-2026112${n}020000`,
      namespace,
      labels: {
        'cnpg.io/cluster': name,
        'cnpg.io/scheduled-backup': `${name}-backup`,
      },
    },
    spec: { cluster: { name }, method: 'plugin' },
    status: {
      phase: 'completed',
      startedAt: `2026-11-2${n}T02:00:00Z`,
      stoppedAt: `2026-11-2${n}T02:04:00Z`,
      backupId: `2026112${n}T020000`,
      beginWal: '000000010000000000000010',
      endWal: '000000010000000000000012',
    },
  }));
  return [
    cluster,
    heavy(
      'postgresql.cnpg.io/v1',
      'ScheduledBackup',
      `${name}-backup`,
      namespace,
      labels,
      {
        spec: { schedule: '0 0 2 * * *', cluster: { name }, method: 'plugin' },
        status: { nextScheduleTime: '2026-11-29T02:00:00Z' },
      },
    ),
    ...backups,
  ];
}
