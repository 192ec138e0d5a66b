import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FakeKubernetesApi,
  kubernetesClustersConfig,
} from '@runway/plugin-cluster-access-node-test-utils';
import request from 'supertest';
import { canaryPlugin } from './plugin';
import {
  canaryService,
  postgresDatabase,
  rolloutService,
} from './__testUtils__/fixtures';

const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'orders-api' },
  },
  spec: { type: 'service', owner: 'group:default/checkout-team' },
};
const byLabel = (name: string, selector: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-label-selector': selector },
  },
  spec: { type: 'service' },
});
const docsSite: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'docs-site', namespace: 'default' },
  spec: { type: 'website' },
};

/** Polls until the check holds, for at most 5 s. */
async function waitFor(check: () => Promise<boolean>) {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('condition not met within 5 s');
}

/** The Canary backend on fake clusters (name → fake, in config order), and a mocked catalog. */
function startCanaryBackend(
  clusters: Record<string, FakeKubernetesApi>,
  getEntityByRef: jest.Mock,
) {
  return startTestBackend({
    features: [
      canaryPlugin,
      catalogServiceMock.mock({ getEntityByRef }).factory,
      mockServices.rootConfig.factory({
        data: {
          // Long enough for a loaded machine's first lists; the syncing test's
          // delayed list outlasts it and ends within the next test's wait.
          runway: { clusterState: { coldStartTimeoutSeconds: 3 } },
          ...kubernetesClustersConfig(
            Object.entries(clusters).map(([name, fake]) => ({
              name,
              url: fake.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: `${name}-token`,
              skipTLSVerify: true,
            })),
          ),
        },
      }),
    ],
  });
}

const NOW = new Date();
const alice = mockCredentials.user('user:default/alice');

/** A GET of the backend as a signed-in user (alice unless told). */
function getAs(
  backend: { server: Parameters<typeof request>[0] },
  path: string,
  credentials = alice,
) {
  return request(backend.server)
    .get(path)
    .set(
      'Authorization',
      mockCredentials.user.header(credentials.principal.userEntityRef),
    );
}
const mallory = mockCredentials.user('user:default/mallory');
const STATUS_PATH_PREFIX = '/api/canary/entities/default/component';
const STATUS_PATH = `${STATUS_PATH_PREFIX}/orders-api`;
const DATABASES_PATH = `${STATUS_PATH}/databases`;

describe('canary backend', () => {
  const staging = new FakeKubernetesApi({ token: 'staging-token' });
  const production = new FakeKubernetesApi({ forbidden: true });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const getEntityByRef = jest.fn();

  beforeAll(async () => {
    await staging.start();
    await production.start();
    // Every API server serves ReplicaSets; this one has none of the entity's (no Rollouts).
    staging.serve('apps/v1', 'replicasets');
    staging.apply(
      ...canaryService({
        id: 'orders-api',
        namespace: 'orders',
        stableWeight: 80,
        canaryWeight: 20,
      }),
      ...postgresDatabase({ id: 'orders-api', namespace: 'orders', now: NOW }),
      ...postgresDatabase({
        id: 'payments',
        namespace: 'payments',
        now: NOW,
        readyInstances: 2,
        backupHoursAgo: 30,
      }),
      // Another service's objects: the label filter keeps them out.
      ...canaryService({
        id: 'payments',
        namespace: 'payments',
        stableWeight: 100,
        canaryWeight: 0,
      }),
    );
    // The catalog only gives the entity to callers allowed to read it: alice, not mallory.
    getEntityByRef.mockImplementation(async (ref: string, { credentials }) => {
      const known: Record<string, Entity> = {
        'component:default/orders-api': ordersApi,
        'component:default/docs-site': docsSite,
        'component:default/payments': {
          ...ordersApi,
          metadata: {
            name: 'payments',
            namespace: 'default',
            annotations: { 'backstage.io/kubernetes-id': 'payments' },
          },
        },
        'component:default/orders-by-label': byLabel(
          'orders-by-label',
          'backstage.io/kubernetes-id in (payments),app notin (orders-api)',
        ),
        'component:default/bad-selector': byLabel(
          'bad-selector',
          'app in (payments',
        ),
      };
      return credentials.principal.userEntityRef ===
        alice.principal.userEntityRef
        ? known[ref]
        : undefined;
    });
    backend = await startCanaryBackend({ staging, production }, getEntityByRef);
  });

  afterAll(async () => {
    await backend.stop();
    await staging.stop();
    await production.stop();
  });

  const get = (path = STATUS_PATH, credentials = alice) =>
    getAs(backend, path, credentials);

  it('serves the split per cluster; a forbidden cluster is an error entry, not a failure', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/orders-api');
    expect(res.body.clusters).toHaveLength(2);

    const [stagingEntry, productionEntry] = res.body.clusters;
    expect(stagingEntry.cluster).toBe('staging');
    expect(stagingEntry.error).toBeUndefined();
    expect(stagingEntry.releases).toHaveLength(1);
    const release = stagingEntry.releases[0];
    expect(release).toMatchObject({
      namespace: 'orders',
      virtualService: 'orders-api',
      phase: 'progressing',
      stable: {
        subset: 'stable',
        weight: 80,
        replicas: { ready: 2, desired: 2 },
      },
      canary: {
        subset: 'canary',
        weight: 20,
        replicas: { ready: 2, desired: 2 },
      },
      headerOverride: { header: 'x-canary', value: 'true', subset: 'canary' },
      problems: [],
    });

    expect(productionEntry).toEqual({
      cluster: 'production',
      error: expect.objectContaining({ statusCode: 403 }),
      releases: [],
    });
    expect(productionEntry.error.message).toMatch(
      /^Kubernetes cluster 'production' at http:\/\/127\.0\.0\.1:\d+ forbids listing and watching \/apis\/[a-z.]+\/v1\/[a-z]+: .+\. The backend service account needs list and watch on this resource$/,
    );
  });

  it('cold start: one list per kind and cluster, filtered on the entity label, then one watch each', async () => {
    await waitFor(async () => staging.openWatches === 4);
    const requests = staging.takeRequests();
    const lists = requests.filter(r => !r.query.includes('watch='));
    expect(
      lists
        .map(r => [r.path, new URLSearchParams(r.query).get('labelSelector')])
        .sort(),
    ).toEqual([
      ['/apis/apps/v1/deployments', 'backstage.io/kubernetes-id'],
      ['/apis/apps/v1/replicasets', 'backstage.io/kubernetes-id'],
      // Argo Rollouts is not installed here: 404, taken as no Rollouts and no runs.
      // AnalysisRuns carry no entity label: every run a Rollout starts has rollout-type.
      ['/apis/argoproj.io/v1alpha1/analysisruns', 'rollout-type'],
      ['/apis/argoproj.io/v1alpha1/rollouts', 'backstage.io/kubernetes-id'],
      [
        '/apis/networking.istio.io/v1/destinationrules',
        'backstage.io/kubernetes-id',
      ],
      [
        '/apis/networking.istio.io/v1/virtualservices',
        'backstage.io/kubernetes-id',
      ],
    ]);
    // One watch per kind that exists: not the two Argo Rollouts kinds.
    expect(staging.openWatches).toBe(4);
  });

  it('warm: a page view makes zero Kubernetes API calls, whatever entity is viewed', async () => {
    staging.takeRequests();
    production.takeRequests();
    for (const path of [
      STATUS_PATH,
      '/api/canary/entities/default/component/payments',
      '/api/canary/entities/default/component/orders-by-label',
      STATUS_PATH,
    ]) {
      expect((await get(path)).status).toBe(200);
    }
    expect(staging.takeRequests()).toEqual([]);
    expect(production.takeRequests()).toEqual([]);
    // Open watches: kinds × clusters, not entities.
    expect(staging.openWatches).toBe(4);
  });

  it('serves an entity found by backstage.io/kubernetes-label-selector from the same informers', async () => {
    const res = await get(
      '/api/canary/entities/default/component/orders-by-label',
    );
    expect(
      res.body.clusters[0].releases.map((r: any) => r.virtualService),
    ).toEqual(['payments']);
  });

  it('answers an invalid label selector with a 400 entry for a readable cluster', async () => {
    const res = await get(
      '/api/canary/entities/default/component/bad-selector',
    );
    expect(res.status).toBe(200);
    expect(res.body.clusters[0]).toEqual({
      cluster: 'staging',
      error: {
        message:
          "invalid label selector 'app in (payments': missing ')' after the set of 'app'",
        statusCode: 400,
      },
      releases: [],
    });
    // The forbidden cluster says so first.
    expect(res.body.clusters[1].error.statusCode).toBe(403);
  });

  it('updates from watch events without listing again', async () => {
    staging.apply(
      ...canaryService({
        id: 'orders-api',
        namespace: 'orders',
        stableWeight: 50,
        canaryWeight: 50,
        canaryReady: 0,
      }),
    );
    await waitFor(
      async () =>
        (await get()).body.clusters[0].releases[0].canary.weight === 50,
    );
    const release = (await get()).body.clusters[0].releases[0];
    expect(release.phase).toBe('misconfigured');
    expect(release.problems.map((p: { code: string }) => p.code)).toContain(
      'CANARY_NOT_READY',
    );
    expect(staging.takeRequests()).toEqual([]);
  });

  it('answers 404 to a caller the catalog does not let read the entity', async () => {
    const res = await get(STATUS_PATH, mallory);
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
    expect(getEntityByRef).toHaveBeenLastCalledWith(
      'component:default/orders-api',
      {
        credentials: expect.objectContaining({ principal: mallory.principal }),
      },
    );
  });

  it('answers 404 for an unknown entity and 401 without credentials', async () => {
    expect(
      (await get('/api/canary/entities/default/component/nope')).status,
    ).toBe(404);
    const anonymous = await request(backend.server)
      .get(STATUS_PATH)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('returns no clusters for an entity without Kubernetes annotations', async () => {
    const res = await get('/api/canary/entities/default/component/docs-site');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/docs-site',
      clusters: [],
    });
  });

  describe('the database card', () => {
    it('says the cluster is still syncing while the first list of its kinds is slow', async () => {
      staging.delay(
        { path: '/apis/postgresql.cnpg.io/v1/clusters', watch: false },
        4500,
      );
      const res = await get(DATABASES_PATH);
      expect(res.status).toBe(200);
      expect(res.body.clusters[0]).toEqual({
        cluster: 'staging',
        syncing: true,
        databases: [],
      });
      expect(res.body.clusters[1]).toEqual({
        cluster: 'production',
        error: expect.objectContaining({ statusCode: 403 }),
        databases: [],
      });
    });

    it("serves the entity's CloudNativePG cluster, its backups and no problem", async () => {
      await waitFor(
        async () => !(await get(DATABASES_PATH)).body.clusters[0].syncing,
      );
      const res = await get(DATABASES_PATH);
      expect(res.body.entityRef).toBe('component:default/orders-api');
      expect(res.body.clusters[0]).toEqual({
        cluster: 'staging',
        databases: [
          {
            namespace: 'orders',
            name: 'orders-api-db',
            shared: false,
            phase: 'Cluster in healthy state',
            health: 'healthy',
            instances: { ready: 3, desired: 3 },
            primary: 'orders-api-db-1',
            image: 'ghcr.io/cloudnative-pg/postgresql:17.2',
            postgresVersion: '17.2',
            storageSize: '20Gi',
            archiving: { state: 'ok' },
            lastSuccessfulBackup: {
              name: 'orders-api-db-backup-1',
              completedAt: new Date(NOW.getTime() - 5 * 3600_000).toISOString(),
              ageSeconds: expect.any(Number),
            },
            nextScheduledBackup: new Date(
              NOW.getTime() + 6 * 3600_000,
            ).toISOString(),
            certificateExpiry: {
              name: 'orders-api-db-server',
              expiresAt: expect.any(String),
              daysLeft: 59,
            },
            databases: [],
            problems: [],
          },
        ],
      });
    });

    it("shows another entity's problems with their fix, from the same informers, with zero API calls", async () => {
      staging.takeRequests();
      const res = await get(`${STATUS_PATH_PREFIX}/payments/databases`);
      const [db] = res.body.clusters[0].databases;
      expect(db.health).toBe('degraded');
      expect(db.problems.map((p: { code: string }) => p.code)).toEqual([
        'INSTANCES_NOT_READY',
        'NO_RECENT_BACKUP',
      ]);
      expect(staging.takeRequests()).toEqual([]);
    });

    it('answers 404 to a caller the catalog does not let read the entity', async () => {
      const res = await get(DATABASES_PATH, mallory);
      expect(res.status).toBe(404);
    });

    it('returns no clusters for an entity without Kubernetes annotations', async () => {
      const res = await get(`${STATUS_PATH_PREFIX}/docs-site/databases`);
      expect(res.body).toEqual({
        entityRef: 'component:default/docs-site',
        clusters: [],
      });
    });
  });

  it('publishes its OpenAPI spec', async () => {
    const res = await request(backend.server).get('/api/canary/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/api/canary/entities/{namespace}/{kind}/{name}',
      '/api/canary/entities/{namespace}/{kind}/{name}/clusters/{cluster}/rollouts/{rolloutNamespace}/{rollout}/{action}',
      '/api/canary/entities/{namespace}/{kind}/{name}/databases',
      '/api/canary/entities/{namespace}/{kind}/{name}/health',
      '/api/canary/entities/{namespace}/{kind}/{name}/promotion',
    ]);
  });
});

describe('canary backend with Argo Rollouts', () => {
  const cluster = new FakeKubernetesApi({ token: 'staging-token' });
  let backend: Awaited<ReturnType<typeof startCanaryBackend>>;
  const checkoutApi: Entity = {
    ...ordersApi,
    metadata: {
      name: 'checkout-api',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'checkout-api' },
    },
  };
  const PATH = `${STATUS_PATH_PREFIX}/checkout-api`;

  beforeAll(async () => {
    await cluster.start();
    // Host-level routing: no DestinationRule, and the Rollouts' pods are not Deployments'.
    cluster
      .serve('networking.istio.io/v1', 'destinationrules')
      .serve('apps/v1', 'deployments');
    cluster.apply(
      ...rolloutService({ id: 'checkout-api', namespace: 'checkout' }),
      // Another entity's Rollout in the same namespace: its revisions and runs stay its own.
      ...rolloutService({ id: 'payments-api', namespace: 'checkout' }),
    );
    backend = await startCanaryBackend(
      { staging: cluster },
      jest.fn(async (ref: string) =>
        ref === 'component:default/checkout-api' ? checkoutApi : undefined,
      ),
    );
  });

  afterAll(async () => {
    await backend.stop();
    await cluster.stop();
  });

  const get = () => getAs(backend, PATH);

  it("serves each track's revision from its ReplicaSet and the current revision's AnalysisRuns", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const [release, ...others] = res.body.clusters[0].releases;
    expect(others).toEqual([]);
    expect(release.virtualService).toBe('checkout-api');
    // Each track is its revision's ReplicaSet: version, images and replicas of its own.
    expect(release.stable).toEqual({
      subset: 'checkout-api',
      weight: 75,
      version: '1.4.0',
      images: ['example.com/checkout-api:1.4.0'],
      replicas: { ready: 2, desired: 2 },
      revision: 'aaa111',
    });
    expect(release.canary).toEqual({
      subset: 'checkout-api-canary',
      weight: 25,
      version: '1.5.0',
      images: ['example.com/checkout-api:1.5.0'],
      replicas: { ready: 1, desired: 2 },
      revision: 'bbb222',
    });
    expect(release.rollout).toMatchObject({
      name: 'checkout-api',
      stableRevision: 'aaa111',
      canaryRevision: 'bbb222',
      currentStepIndex: 1,
      paused: true,
    });
    // The canary revision's runs, failed first; the old revision's failed run is history.
    const measured = (value: string, phase: string, minute: number) => ({
      phase,
      value,
      startedAt: `2026-11-28T10:0${minute}:00Z`,
      finishedAt: `2026-11-28T10:0${minute}:01Z`,
    });
    expect(release.analysisRuns).toEqual([
      {
        name: 'checkout-api-bbb222-2',
        phase: 'Failed',
        startedAt: '2026-11-28T10:00:00Z',
        type: 'Step',
        metrics: [
          {
            name: 'success-rate',
            phase: 'Failed',
            successCondition: 'result[0] >= 0.99',
            count: 2,
            successful: 1,
            failed: 1,
            inconclusive: 0,
            error: 0,
            lastMeasurement: measured('[0.93]', 'Failed', 1),
          },
        ],
      },
      {
        name: 'checkout-api-bbb222-1',
        phase: 'Successful',
        startedAt: '2026-11-28T10:00:00Z',
        type: 'Step',
        metrics: [
          {
            name: 'success-rate',
            phase: 'Successful',
            successCondition: 'result[0] >= 0.99',
            count: 1,
            successful: 1,
            failed: 0,
            inconclusive: 0,
            error: 0,
            lastMeasurement: measured('[0.999]', 'Successful', 0),
          },
        ],
      },
    ]);
    expect(release.problems.map((p: { code: string }) => p.code)).toEqual([
      'ANALYSIS_FAILED',
    ]);
  });

  it('follows new AnalysisRuns and ReplicaSet readiness from watch events, without listing again', async () => {
    await waitFor(async () => cluster.openWatches === 6);
    cluster.takeRequests();
    const [, , , canaryReplicaSet, , successfulRun] = rolloutService({
      id: 'checkout-api',
      namespace: 'checkout',
    });
    cluster.apply(
      { ...canaryReplicaSet, status: { replicas: 2, readyReplicas: 2 } },
      {
        ...successfulRun,
        metadata: { ...successfulRun.metadata, name: 'checkout-api-bbb222-3' },
        status: { phase: 'Running', startedAt: '2026-11-28T10:10:00Z' },
      },
    );
    await waitFor(
      async () =>
        (await get()).body.clusters[0].releases[0].analysisRuns.length === 3,
    );
    const release = (await get()).body.clusters[0].releases[0];
    expect(release.analysisRuns.map((r: any) => [r.name, r.phase])).toEqual([
      ['checkout-api-bbb222-2', 'Failed'],
      ['checkout-api-bbb222-3', 'Running'],
      ['checkout-api-bbb222-1', 'Successful'],
    ]);
    expect(release.canary.replicas).toEqual({ ready: 2, desired: 2 });
    expect(
      cluster.takeRequests().filter(r => !r.query.includes('watch=')),
    ).toEqual([]);
  });
});
