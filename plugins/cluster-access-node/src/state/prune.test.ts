import { CLUSTER_STATE_KINDS, KEPT_MEASUREMENTS } from './kinds';
import { pick, Shape } from './prune';

const metadata = {
  name: 'orders-api',
  namespace: 'orders',
  uid: 'u1',
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2026-11-20T10:00:00Z',
  labels: { 'backstage.io/kubernetes-id': 'orders-api' },
  annotations: {
    'kubectl.kubernetes.io/last-applied-configuration': '{"huge":"json"}',
    'rollout.argoproj.io/revision': '7',
    'deployment.kubernetes.io/revision': '7',
    'argocd.argoproj.io/tracking-id': 'orders-api:apps/Deployment:orders/x',
  },
  managedFields: [{ manager: 'argocd-controller', fieldsV1: {} }],
  finalizers: ['x'],
  ownerReferences: [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'orders-api',
      uid: 'r1',
      controller: true,
      blockOwnerDeletion: true,
    },
  ],
};
const kept = {
  name: 'orders-api',
  namespace: 'orders',
  uid: 'u1',
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2026-11-20T10:00:00Z',
  labels: { 'backstage.io/kubernetes-id': 'orders-api' },
  annotations: {
    'rollout.argoproj.io/revision': '7',
    'deployment.kubernetes.io/revision': '7',
  },
  ownerReferences: [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'orders-api',
      uid: 'r1',
      controller: true,
    },
  ],
};
const podTemplate = {
  metadata: { labels: { app: 'orders' }, annotations: { a: 'b' } },
  spec: {
    serviceAccountName: 'orders',
    volumes: [{ name: 'tmp', emptyDir: {} }],
    containers: [
      {
        name: 'orders',
        image: 'ghcr.io/example/orders:1.5.0',
        env: [{ name: 'DB', value: 'x' }],
        resources: { limits: { cpu: '1' } },
      },
    ],
  },
};
const prunedTemplate = {
  metadata: { labels: { app: 'orders' } },
  spec: {
    containers: [{ name: 'orders', image: 'ghcr.io/example/orders:1.5.0' }],
  },
};

describe('pruning', () => {
  it.each([
    [
      'a VirtualService keeps hosts, gateways and HTTP routes',
      CLUSTER_STATE_KINDS.virtualServices,
      {
        metadata,
        spec: {
          hosts: ['orders'],
          gateways: ['mesh'],
          http: [{ route: [{ destination: { host: 'orders' }, weight: 100 }] }],
          tcp: [{ route: [] }],
          exportTo: ['.'],
        },
        status: { conditions: [] },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: kept,
        spec: {
          hosts: ['orders'],
          gateways: ['mesh'],
          http: [{ route: [{ destination: { host: 'orders' }, weight: 100 }] }],
        },
      },
    ],
    [
      'a Deployment keeps its pod template’s labels and images and its replica counts',
      CLUSTER_STATE_KINDS.deployments,
      {
        metadata,
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'orders' } },
          strategy: { type: 'RollingUpdate' },
          template: podTemplate,
        },
        status: {
          replicas: 3,
          readyReplicas: 2,
          collisionCount: 1,
          conditions: [
            {
              type: 'Available',
              status: 'True',
              lastUpdateTime: 'x',
              reason: 'MinimumReplicasAvailable',
            },
          ],
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: kept,
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'orders' } },
          template: prunedTemplate,
        },
        status: {
          replicas: 3,
          readyReplicas: 2,
          conditions: [
            {
              type: 'Available',
              status: 'True',
              reason: 'MinimumReplicasAvailable',
            },
          ],
        },
      },
    ],
    [
      'a ReplicaSet scaled to zero drops its pod spec and keeps its labels',
      CLUSTER_STATE_KINDS.replicaSets,
      {
        metadata,
        spec: { replicas: 0, template: podTemplate },
        status: { replicas: 0, observedGeneration: 2 },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: kept,
        spec: {
          replicas: 0,
          template: { metadata: { labels: { app: 'orders' } } },
        },
        status: { replicas: 0, observedGeneration: 2 },
      },
    ],
    [
      'a CloudNativePG Cluster keeps what the database card shows',
      CLUSTER_STATE_KINDS.cnpgClusters,
      {
        metadata,
        spec: {
          instances: 3,
          imageName: 'ghcr.io/cloudnative-pg/postgresql:17.2',
          storage: { size: '10Gi', pvcTemplate: { big: true } },
          postgresql: { parameters: { max_connections: '200' } },
          plugins: [
            {
              name: 'barman-cloud.cloudnative-pg.io',
              isWALArchiver: true,
              parameters: { barmanObjectName: 'x' },
            },
          ],
        },
        status: {
          phase: 'Cluster in healthy state',
          readyInstances: 3,
          instances: 3,
          currentPrimary: 'orders-db-1',
          certificates: {
            expirations: { 'orders-db-ca': '2027-02-18 10:00:00 +0000 UTC' },
            clientCASecret: 'orders-db-ca',
          },
          secretsResourceVersion: { a: '1' },
          instancesReportedState: { 'orders-db-1': { isPrimary: true } },
        },
      },
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: kept,
        spec: {
          instances: 3,
          imageName: 'ghcr.io/cloudnative-pg/postgresql:17.2',
          storage: { size: '10Gi' },
          plugins: [
            { name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true },
          ],
        },
        status: {
          phase: 'Cluster in healthy state',
          readyInstances: 3,
          instances: 3,
          currentPrimary: 'orders-db-1',
          certificates: {
            expirations: { 'orders-db-ca': '2027-02-18 10:00:00 +0000 UTC' },
          },
        },
      },
    ],
  ])('%s', (_, kind, object, expected) => {
    expect(kind.prune(object)).toEqual(expected);
  });

  it('keeps a ReplicaSet that runs pods whole enough to show its images', () => {
    const rs = CLUSTER_STATE_KINDS.replicaSets.prune({
      metadata,
      spec: { replicas: 2, template: podTemplate },
      status: { replicas: 2, readyReplicas: 2 },
    });
    expect(rs.spec.template).toEqual(prunedTemplate);
  });

  it(`keeps the newest ${KEPT_MEASUREMENTS} measurements of each AnalysisRun metric`, () => {
    const measurements = [1, 2, 3, 4, 5].map(i => ({
      phase: 'Successful',
      value: `[0.99${i}]`,
      startedAt: `2026-11-20T10:0${i}:00Z`,
      metadata: { resultsUrl: 'x' },
    }));
    const run = CLUSTER_STATE_KINDS.analysisRuns.prune({
      metadata,
      spec: {
        metrics: [
          {
            name: 'success-rate',
            successCondition: 'result[0] >= 0.99',
            provider: { prometheus: { query: 'sum(rate(huge[5m]))' } },
          },
        ],
        args: [{ name: 'service', value: 'orders' }],
      },
      status: {
        phase: 'Running',
        metricResults: [
          { name: 'success-rate', phase: 'Running', measurements },
        ],
      },
    });
    expect(run.spec).toEqual({
      metrics: [
        { name: 'success-rate', successCondition: 'result[0] >= 0.99' },
      ],
    });
    expect(
      run.status.metricResults[0].measurements.map((m: any) => m.value),
    ).toEqual(['[0.993]', '[0.994]', '[0.995]']);
    expect(
      run.status.metricResults[0].measurements[0].metadata,
    ).toBeUndefined();
  });
});

describe('pick', () => {
  it.each([
    [{ a: 1, b: 2 }, { a: true }, { a: 1 }],
    [{ a: { b: 1, c: 2 } }, { a: { b: true } }, { a: { b: 1 } }],
    [
      { a: [{ b: 1, c: 2 }, { c: 3 }] },
      { a: { b: true } },
      { a: [{ b: 1 }, {}] },
    ],
    [{ a: 'text' }, { a: { b: true } }, undefined],
    [{}, { a: true }, undefined],
  ])('%j through %j is %j', (value, shape, expected) => {
    expect(pick(value, shape as Shape)).toEqual(expected);
  });
});
