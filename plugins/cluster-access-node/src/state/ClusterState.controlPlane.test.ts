import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ControlPlane,
  PolicyRule,
  startControlPlane,
  upstreamCrds,
} from '@runway/control-plane';
import { kubernetesClustersConfig } from '@runway/plugin-cluster-access-node-test-utils';
import { ConfigClusterAccess } from '../ClusterAccess';
import { ClusterState, ClusterStateOptions } from './ClusterState';

/*
 * The cluster-state layer on a real kube-apiserver (`@runway/control-plane`): paged lists,
 * watches, the server's own bookmarks, 410 Gone after a real etcd compaction, a CRD
 * installed after start, RBAC refusals. What the HTTP fake answers here is what this
 * server answers.
 */

const ID = 'backstage.io/kubernetes-id';
const NAMESPACE = 'shop';
const USER = 'system:serviceaccount:runway:backstage';
const READ: PolicyRule[] = [
  {
    apiGroups: ['apps'],
    resources: ['deployments'],
    verbs: ['list', 'watch'],
  },
  {
    apiGroups: ['postgresql.cnpg.io'],
    resources: ['clusters'],
    verbs: ['list', 'watch'],
  },
];

async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${ms / 1000} s`);
}

const deployment = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NAMESPACE, labels },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'example.com/app:1' }] },
    },
  },
});
const configMap = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: NAMESPACE },
  data: { at: String(Date.now()) },
});

async function layerOn(
  plane: ControlPlane,
  token: string,
  options: Partial<ClusterStateOptions> = {},
) {
  const clusterAccess = ConfigClusterAccess.fromConfig(
    new ConfigReader(
      kubernetesClustersConfig([
        {
          name: 'staging',
          url: plane.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: token,
          caData: Buffer.from(plane.caData).toString('base64'),
        },
      ]),
    ),
    { logger: mockServices.logger.mock() },
  );
  return new ClusterState({
    clusterAccess,
    logger: mockServices.logger.mock(),
    ...options,
  });
}

const names = (objects: any[]) => objects.map(o => o.metadata.name).sort();

describe('ClusterState on a real API server', () => {
  let plane: ControlPlane;
  let token: string;
  let state: ClusterState | undefined;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: 'none' });
    await plane.createNamespace(NAMESPACE);
    token = await plane.serviceAccountToken('runway', 'backstage', {
      rules: READ,
    });
  }, 120_000);
  afterAll(() => plane?.stop());
  afterEach(async () => {
    await state?.close();
    state = undefined;
  });

  it('lists in pages and follows the watch', async () => {
    await plane.apply([
      ...['a', 'b', 'c', 'd', 'e'].map(n =>
        deployment(`svc-${n}`, { [ID]: n === 'e' ? 'other' : 'svc' }),
      ),
      deployment('unlabelled', { app: 'x' }),
    ]);
    const mark = await plane.auditMark();
    state = await layerOn(plane, token, { pageSize: 2 });
    const snapshot = await state.snapshot('staging', ['deployments']);
    expect(snapshot.syncing).toEqual([]);
    expect(snapshot.error).toBeUndefined();
    expect(
      names(snapshot.select('deployments', { labelSelector: `${ID}=svc` })),
    ).toEqual(['svc-a', 'svc-b', 'svc-c', 'svc-d']);
    await waitFor(() => state!.stats().openWatches === 1);
    const events = await plane.auditEvents({ since: mark, user: USER });
    const lists = events.filter(e => e.verb === 'list');
    // Five labelled Deployments in pages of two.
    expect(
      lists.map(e =>
        new URL(e.requestURI, plane.url).searchParams.get('limit'),
      ),
    ).toEqual(['2', '2', '2']);
    const watch = events.find(e => e.verb === 'watch')!;
    const query = new URL(watch.requestURI, plane.url).searchParams;
    expect(query.get('allowWatchBookmarks')).toBe('true');
    expect(query.get('labelSelector')).toBe(ID);

    await plane.apply([deployment('svc-f', { [ID]: 'svc' })]);
    await waitFor(
      async () =>
        (
          await state!.snapshot('staging', ['deployments'])
        ).select('deployments', { labelSelector: `${ID}=svc` }).length === 5,
    );
  }, 60_000);

  it('moves its resourceVersion with the server’s bookmarks while its kind does not change', async () => {
    state = await layerOn(plane, token, { watchTimeoutSeconds: [5, 5] });
    await state.snapshot('staging', ['deployments']);
    const start = Number(state.readiness()[0].resourceVersion);
    // Other kinds change: the cluster's resourceVersion moves past every Deployment event.
    await plane.apply([configMap('elsewhere')]);
    // A consistent read makes the API server's Deployment watch cache catch up with etcd
    // (as any client's consistent list, or etcd's progress notifications, do in a cluster).
    const moved = Number(
      (await plane.request('GET', '/apis/apps/v1/deployments?limit=1')).body
        .metadata.resourceVersion,
    );
    expect(moved).toBeGreaterThan(start);
    // The API server sends a bookmark shortly before each watch's timeout.
    await waitFor(() => Number(state!.readiness()[0].resourceVersion) >= moved);
    expect(state.stats().requests.list).toBe(1);
  }, 60_000);

  it('finds a CRD installed after it started, and refuses what RBAC does not grant', async () => {
    state = await layerOn(plane, token, { absentRecheckMs: 500 });
    const before = await state.snapshot('staging', ['cnpgClusters']);
    expect(before.error).toBeUndefined();
    expect(state.readiness()[0].state).toBe('absent');

    await plane.installCrds(upstreamCrds(['cloudnative-pg']));
    await plane.apply([
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: {
          name: 'orders-db',
          namespace: NAMESPACE,
          labels: { [ID]: 'orders-api' },
        },
        spec: { instances: 1, storage: { size: '1Gi' } },
      },
    ]);
    await waitFor(
      async () =>
        (
          await state!.snapshot('staging', ['cnpgClusters'])
        ).select('cnpgClusters', { labelSelector: `${ID}=orders-api` })
          .length === 1,
    );
    const [stored] = (await state.snapshot('staging', ['cnpgClusters'])).select(
      'cnpgClusters',
      { labelSelector: `${ID}=orders-api` },
    );
    // Defaulted by the CRD's schema on the server, then pruned to what Runway reads.
    expect(stored.spec).toEqual({ instances: 1, storage: { size: '1Gi' } });

    const denied = await state.snapshot('staging', ['replicaSets']);
    expect(denied.error).toMatchObject({
      statusCode: 403,
      message: expect.stringContaining(
        `forbids listing and watching /apis/apps/v1/replicasets: replicasets.apps is forbidden: User "${USER}" cannot list resource "replicasets"`,
      ),
    });
  }, 120_000);
});

describe('ClusterState on a real API server without the watch cache', () => {
  let plane: ControlPlane;
  let state: ClusterState | undefined;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: 'none', watchCache: false });
    await plane.createNamespace(NAMESPACE);
  }, 120_000);
  afterAll(async () => {
    await state?.close();
    await plane?.stop();
  });

  it('lists again when a real etcd compaction took its resourceVersion', async () => {
    await plane.apply([deployment('orders-api', { [ID]: 'orders-api' })]);
    // Each watch lasts a second and resumes from the last Deployment event.
    state = await layerOn(plane, plane.adminToken, {
      watchTimeoutSeconds: [1, 1],
    });
    await state.snapshot('staging', ['deployments']);
    await waitFor(() => state!.stats().requests.watch >= 2);
    expect(state.stats().requests.list).toBe(1);
    // Compaction keeps the revision it compacts at: two writes elsewhere put it past ours.
    await plane.apply([configMap('one')]);
    await plane.apply([configMap('two')]);
    await plane.compact();
    await waitFor(() => state!.stats().requests.list === 2);
    await waitFor(() => state!.readiness()[0].state === 'ready');
    const snapshot = await state.snapshot('staging', ['deployments']);
    expect(snapshot.error).toBeUndefined();
    expect(
      names(
        snapshot.select('deployments', { labelSelector: `${ID}=orders-api` }),
      ),
    ).toEqual(['orders-api']);
  }, 60_000);
});
