import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  FakeKubernetesApi,
  FakeObject,
  kubernetesClustersConfig,
} from '@runway/plugin-cluster-access-node-test-utils';
import { createServer, Server, Socket } from 'node:net';
import { ConfigClusterAccess } from '../ClusterAccess';
import { ClusterState, ClusterStateOptions } from './ClusterState';
import { CLUSTER_STATE_KINDS, ClusterStateKindId } from './kinds';

/*
 * The cluster-state layer against the HTTP fake: what a real API server does not do on
 * demand (failures, silence, scale of entities) and what the fake makes countable. The same
 * semantics on a real API server: ClusterState.controlPlane.test.ts.
 */

async function waitFor(check: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 25));
  }
  throw new Error('condition not met within 5 s');
}

const ID = 'backstage.io/kubernetes-id';
const deployment = (
  name: string,
  labels: Record<string, string>,
  namespace = 'shop',
  extra: Partial<FakeObject> = {},
): FakeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name,
    namespace,
    labels,
    managedFields: [
      {
        manager: 'argocd',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      },
    ],
  },
  spec: { replicas: 1 },
  ...extra,
});
const names = (objects: any[]) => objects.map(o => o.metadata.name).sort();
const isList = (r: { query: string }) => !r.query.includes('watch=');
const query = (r: { query: string }) => new URLSearchParams(r.query);

describe('ClusterState', () => {
  const api = new FakeKubernetesApi({ token: 'token' });
  const logger = mockServices.logger.mock();
  let state: ClusterState | undefined;

  const clusterAccess = (urls: Record<string, string>) =>
    ConfigClusterAccess.fromConfig(
      new ConfigReader(
        kubernetesClustersConfig(
          Object.entries(urls).map(([name, url]) => ({
            name,
            url,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'token',
            skipTLSVerify: true,
          })),
        ),
      ),
      { logger: mockServices.logger.mock() },
    );
  const open = (
    options: Partial<ClusterStateOptions> = {},
    urls: Record<string, string> = { staging: api.url },
  ) => {
    state = new ClusterState({
      clusterAccess: clusterAccess(urls),
      logger,
      retryDelayMs: 40,
      ...options,
    });
    return state;
  };
  const select = async (
    kind: ClusterStateKindId,
    labelSelector: string,
    namespace?: string,
  ) => {
    const snapshot = await state!.snapshot('staging', [kind]);
    return snapshot.select(kind, { labelSelector, namespace });
  };

  beforeAll(async () => {
    await api.start();
    api.serve('apps/v1', 'replicasets');
  });
  afterAll(() => api.stop());
  beforeEach(() => {
    logger.warn.mockClear();
    api.clearFaults();
    for (const d of api.list('apps/v1', 'Deployment')) api.remove(d);
    api.apply(
      deployment('orders-api', { [ID]: 'orders-api', app: 'orders' }),
      deployment('orders-api-canary', {
        [ID]: 'orders-api',
        app: 'orders',
        track: 'canary',
      }),
      deployment('payments', { [ID]: 'payments', app: 'payments' }, 'pay'),
      // No entity label: never listed, watched or held.
      deployment('kube-dns', { app: 'orders' }, 'kube-system'),
    );
    api.takeRequests();
  });
  afterEach(async () => {
    await state?.close();
    state = undefined;
    await waitFor(() => api.openWatches === 0);
  });

  it('lists in pages, label-filtered on the entity label, then watches from the list’s resourceVersion', async () => {
    open({ pageSize: 2 });
    expect(names(await select('deployments', `${ID}=orders-api`))).toEqual([
      'orders-api',
      'orders-api-canary',
    ]);
    await waitFor(() => api.openWatches === 1);
    const requests = api.takeRequests();
    const lists = requests.filter(isList);
    expect(lists.map(r => r.path)).toEqual([
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/deployments',
    ]);
    expect(lists.map(r => query(r).get('limit'))).toEqual(['2', '2']);
    expect(query(lists[0]).get('labelSelector')).toBe(ID);
    expect(query(lists[1]).get('continue')).toEqual(expect.any(String));
    const [watch] = requests.filter(r => !isList(r));
    expect(Object.fromEntries(query(watch))).toEqual({
      labelSelector: ID,
      resourceVersion: api.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: expect.stringMatching(/^\d+$/),
      watch: 'true',
    });
    expect(Number(query(watch).get('timeoutSeconds'))).toBeGreaterThanOrEqual(
      300,
    );
  });

  it('stores objects pruned to what Runway reads', async () => {
    open();
    const [stored] = await select('deployments', `${ID}=payments`);
    expect(stored.metadata.managedFields).toBeUndefined();
    expect(stored).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'payments',
        namespace: 'pay',
        uid: expect.any(String),
        resourceVersion: expect.any(String),
        labels: { [ID]: 'payments', app: 'payments' },
      },
      spec: { replicas: 1 },
    });
  });

  it('opens one watch per kind per cluster, whatever the number of entities viewed', async () => {
    const production = new FakeKubernetesApi({ token: 'token' });
    await production.start();
    production.serve('apps/v1', 'deployments').serve('apps/v1', 'replicasets');
    try {
      const s = open({}, { staging: api.url, production: production.url });
      const kinds: ClusterStateKindId[] = ['deployments', 'replicaSets'];
      for (let i = 0; i < 50; i++) {
        for (const cluster of ['staging', 'production']) {
          const snapshot = await s.snapshot(cluster, kinds);
          snapshot.select('deployments', { labelSelector: `${ID}=svc-${i}` });
        }
      }
      await waitFor(
        () => api.openWatches === 2 && production.openWatches === 2,
      );
      expect(api.takeRequests().filter(isList)).toHaveLength(2);
      expect(s.stats()).toMatchObject({
        informers: 4,
        openWatches: 4,
        requests: { list: 4, watch: 4 },
      });
    } finally {
      await state?.close();
      await production.stop();
    }
  });

  it('serves backstage.io/kubernetes-label-selector entities from the same informer', async () => {
    open();
    expect(
      names(await select('deployments', 'app=orders,track!=canary')),
    ).toEqual(['orders-api']);
    expect(
      names(await select('deployments', 'app in (orders,payments)', 'pay')),
    ).toEqual(['payments']);
    // kube-dns matches app=orders but carries no entity label: the informer never held it.
    expect(names(await select('deployments', 'app=orders'))).toEqual([
      'orders-api',
      'orders-api-canary',
    ]);
    expect(api.takeRequests().filter(isList)).toHaveLength(1);
  });

  it('follows watch events: added, modified, deleted, and objects that lose the entity label', async () => {
    open();
    await select('deployments', `${ID}=orders-api`);
    await waitFor(() => api.openWatches === 1);
    api.apply(deployment('orders-api-2', { [ID]: 'orders-api' }));
    api.remove({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'orders-api-canary',
      namespace: 'shop',
    });
    api.apply(deployment('payments', { app: 'payments' }, 'pay'));
    await waitFor(
      async () => (await select('deployments', `${ID}=payments`)).length === 0,
    );
    expect(names(await select('deployments', `${ID}=orders-api`))).toEqual([
      'orders-api',
      'orders-api-2',
    ]);
    expect(api.takeRequests().filter(isList)).toHaveLength(1);
  });

  it('resumes from the last resourceVersion when the server ends a watch, without listing again', async () => {
    open();
    await select('deployments', `${ID}=orders-api`);
    await waitFor(() => api.openWatches === 1);
    api.takeRequests();
    api.endWatches();
    api.apply(deployment('orders-api-3', { [ID]: 'orders-api' }));
    await waitFor(
      async () =>
        (await select('deployments', `${ID}=orders-api`)).length === 3,
    );
    await waitFor(() => api.openWatches === 1);
    const requests = api.takeRequests();
    expect(requests.filter(isList)).toEqual([]);
    expect(query(requests[0]).get('resourceVersion')).not.toBe('');
  });

  it('moves its resourceVersion with bookmarks, so a compaction after changes elsewhere costs no relist', async () => {
    open();
    await select('deployments', `${ID}=orders-api`);
    await waitFor(() => api.openWatches === 1);
    // Changes to other kinds move the cluster's resourceVersion past our last event.
    api.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'shop' },
    });
    api.bookmark();
    await waitFor(
      () => state!.readiness()[0]?.resourceVersion === api.resourceVersion,
    );
    api.compact();
    api.takeRequests();
    api.endWatches();
    await waitFor(() => api.openWatches === 1);
    const requests = api.takeRequests();
    expect(requests.filter(isList)).toEqual([]);
    expect(query(requests[0]).get('resourceVersion')).toBe(api.resourceVersion);
  });

  it('lists again on 410 Gone, and the relist drops what was deleted meanwhile', async () => {
    open();
    await select('deployments', `${ID}=orders-api`);
    await waitFor(() => api.openWatches === 1);
    api.dropWatches();
    api.remove({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'orders-api-canary',
      namespace: 'shop',
    });
    api.compact();
    await waitFor(
      async () =>
        names(await select('deployments', `${ID}=orders-api`)).length === 1,
    );
    await waitFor(() => api.openWatches === 1);
    expect(api.takeRequests().filter(isList).length).toBe(2);
  });

  it('reports a failing list to views and retries with backoff, doubling', async () => {
    api.fail(
      { path: '/apis/apps/v1/deployments', watch: false },
      { code: 500, reason: 'InternalError', message: 'etcd is down' },
      2,
    );
    const s = open();
    const snapshot = await s.snapshot('staging', ['deployments']);
    expect(snapshot.error).toMatchObject({
      name: 'ClusterReadError',
      statusCode: 500,
      message: expect.stringMatching(
        /^Kubernetes cluster 'staging' at http:\/\/127\.0\.0\.1:\d+ answered 500 InternalError while listing and watching \/apis\/apps\/v1\/deployments: etcd is down$/,
      ),
    });
    expect(s.readiness()).toEqual([
      expect.objectContaining({
        kind: 'deployments',
        state: 'error',
        error: { message: snapshot.error!.message, statusCode: 500 },
      }),
    ]);
    await waitFor(
      async () => !(await s.snapshot('staging', ['deployments'])).error,
    );
    const waits = logger.warn.mock.calls.map(
      ([message]) => /again in (\d+) ms$/.exec(String(message))?.[1],
    );
    expect(waits).toEqual(['40', '80']);
    expect(names(await select('deployments', `${ID}=orders-api`))).toHaveLength(
      2,
    );
  });

  it('keeps serving a synced kind through failures for staleAfterMs, then reports the error', async () => {
    const s = open({ staleAfterMs: 300, retryDelayMs: 50 });
    await select('deployments', `${ID}=orders-api`);
    await waitFor(() => api.openWatches === 1);
    api.fail(
      { path: '/apis/apps/v1/deployments' },
      { code: 503, reason: 'ServiceUnavailable', message: 'overloaded' },
      1000,
    );
    api.dropWatches();
    await waitFor(() => logger.warn.mock.calls.length > 0);
    const during = await s.snapshot('staging', ['deployments']);
    expect(during.error).toBeUndefined();
    expect(
      names(
        during.select('deployments', { labelSelector: `${ID}=orders-api` }),
      ),
    ).toHaveLength(2);
    await new Promise(r => setTimeout(r, 350));
    const after = await s.snapshot('staging', ['deployments']);
    expect(after.error?.statusCode).toBe(503);
  });

  it('says a kind is still syncing while its first list is slow', async () => {
    api.delay({ path: '/apis/apps/v1/deployments', watch: false }, 400);
    const s = open();
    const snapshot = await s.snapshot('staging', ['deployments'], {
      timeoutMs: 50,
    });
    expect(snapshot.syncing).toEqual(['deployments']);
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.problem).toEqual({
      message: `Kubernetes cluster 'staging' at ${api.url} is still syncing: the first list of deployments did not finish within 0.05 s`,
      statusCode: 504,
    });
    expect(s.readiness()).toEqual([
      expect.objectContaining({
        kind: 'deployments',
        state: 'syncing',
        objects: 0,
      }),
    ]);
    const later = await s.snapshot('staging', ['deployments']);
    expect(later.syncing).toEqual([]);
    expect(s.readiness()[0]).toMatchObject({
      state: 'ready',
      objects: 3,
      syncedAt: expect.any(String),
    });
  });

  it('takes an optional CRD that is not installed as no objects, and looks again later', async () => {
    const s = open({ absentRecheckMs: 150 });
    const snapshot = await s.snapshot('staging', ['rollouts']);
    expect(snapshot.error).toBeUndefined();
    expect(
      snapshot.select('rollouts', { labelSelector: `${ID}=orders-api` }),
    ).toEqual([]);
    expect(s.readiness()[0].state).toBe('absent');
    api.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: 'orders-api',
        namespace: 'shop',
        labels: { [ID]: 'orders-api' },
      },
    });
    await waitFor(
      async () => (await select('rollouts', `${ID}=orders-api`)).length === 1,
    );
    expect(s.readiness()[0].state).toBe('ready');
    expect(logger.warn).not.toHaveBeenCalled();
    api.remove({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'orders-api',
      namespace: 'shop',
    });
  });

  it('reports a missing required CRD with what to install', async () => {
    const s = open();
    const snapshot = await s.snapshot('staging', ['virtualServices']);
    expect(snapshot.error).toMatchObject({
      statusCode: 404,
      message: expect.stringMatching(
        /does not serve virtualservices\.networking\.istio\.io\/v1 \(listing and watching \/apis\/networking\.istio\.io\/v1\/virtualservices\): is Istio installed\?$/,
      ),
    });
  });

  it('stops informers nobody read for idleTimeoutMs; the next view lists again', async () => {
    const s = open({ idleTimeoutMs: 100 });
    await select('deployments', `${ID}=orders-api`);
    await waitFor(() => api.openWatches === 1);
    await waitFor(() => s.stats().informers === 0);
    await waitFor(() => api.openWatches === 0);
    api.takeRequests();
    expect(names(await select('deployments', `${ID}=orders-api`))).toHaveLength(
      2,
    );
    expect(api.takeRequests().filter(isList)).toHaveLength(1);
  });

  it('names an unreachable cluster in its error', async () => {
    const closed = new FakeKubernetesApi();
    const url = await closed.start();
    await closed.stop();
    const s = open({}, { staging: url });
    const snapshot = await s.snapshot('staging', ['deployments']);
    expect(snapshot.error).toMatchObject({
      name: 'ClusterReadError',
      message: `Kubernetes cluster 'staging' at ${url} is unreachable while listing and watching /apis/apps/v1/deployments: connection refused (ECONNREFUSED)`,
    });
    expect(snapshot.error?.statusCode).toBeUndefined();
    await expect(s.snapshot('nowhere', ['deployments'])).rejects.toThrow(
      "No Kubernetes cluster named 'nowhere' in the kubernetes config",
    );
  });

  describe('an API server that never answers', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let url: string;

    beforeAll(async () => {
      silent = createServer(socket => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>(resolve =>
        silent.listen(0, '127.0.0.1', resolve),
      );
      url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => silent.close(resolve));
    });

    it('is syncing after coldStartTimeoutMs, then an error once its request times out', async () => {
      const s = open(
        {
          coldStartTimeoutMs: 100,
          requestTimeoutMs: 300,
          retryDelayMs: 60_000,
        },
        { staging: url },
      );
      const first = await s.snapshot('staging', ['deployments']);
      expect(first.syncing).toEqual(['deployments']);
      await waitFor(() => s.readiness()[0].state === 'error');
      expect(
        (await s.snapshot('staging', ['deployments'])).error?.message,
      ).toBe(
        `Kubernetes cluster 'staging' at ${url} is unreachable while listing and watching /apis/apps/v1/deployments: connection timed out (ETIMEDOUT)`,
      );
    });
  });

  it('knows every kind Runway reads', () => {
    expect(Object.keys(CLUSTER_STATE_KINDS)).toEqual([
      'virtualServices',
      'destinationRules',
      'deployments',
      'rollouts',
      'replicaSets',
      'analysisRuns',
      'cnpgClusters',
      'cnpgDatabases',
      'cnpgBackups',
      'cnpgScheduledBackups',
    ]);
  });
});
