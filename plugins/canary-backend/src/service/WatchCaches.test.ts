import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConfigClusterAccess } from '@runway/plugin-cluster-access-node';
import {
  FakeKubernetesApi,
  kubernetesClustersConfig,
} from '@runway/plugin-cluster-access-node-test-utils';
import { createServer, Server, Socket } from 'node:net';
import { canaryService } from '../__testUtils__/fixtures';
import { RESOURCES } from './resources';
import {
  ClusterReadError,
  WatchCaches,
  WatchCachesOptions,
} from './WatchCaches';

/** Polls until the check holds, for at most 5 s. */
async function waitFor(check: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error('condition not met within 5 s');
}

const selector = { labelSelector: 'backstage.io/kubernetes-id=orders-api' };
/** orders-api's VirtualService, DestinationRule and Deployments. */
const ordersApi = () =>
  canaryService({
    id: 'orders-api',
    namespace: 'orders',
    stableWeight: 90,
    canaryWeight: 10,
  });
const names = (objects: { metadata?: { name?: string } }[]) =>
  objects.map(o => o.metadata?.name).sort();

describe('WatchCaches', () => {
  const api = new FakeKubernetesApi({ token: 'token' });
  let caches: WatchCaches | undefined;
  const logger = mockServices.logger.mock();

  const clusterAccess = (url: string) =>
    ConfigClusterAccess.fromConfig(
      new ConfigReader(
        kubernetesClustersConfig([
          {
            name: 'staging',
            url,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'token',
            skipTLSVerify: true,
          },
        ]),
      ),
      { logger: mockServices.logger.mock() },
    );
  const open = (options: Partial<WatchCachesOptions> = {}, url = api.url) => {
    caches = new WatchCaches({
      clusterAccess: clusterAccess(url),
      logger,
      ...options,
    });
    return caches;
  };

  beforeAll(async () => {
    await api.start();
    api.apply(...ordersApi());
  });
  afterAll(() => api.stop());
  beforeEach(() => {
    logger.warn.mockClear();
    api.takeRequests();
  });
  afterEach(async () => {
    await caches?.close();
    caches = undefined;
  });

  it('lists once, then serves reads from memory and follows changes by watch', async () => {
    const c = open();
    expect(
      names(await c.list('staging', RESOURCES.virtualServices, selector)),
    ).toEqual(['orders-api']);
    expect(
      names(await c.list('staging', RESOURCES.virtualServices, selector)),
    ).toEqual(['orders-api']);
    const lists = api
      .takeRequests()
      .filter(r => r.method === 'GET' && !r.query.includes('watch='));
    expect(lists.map(r => r.path)).toEqual([
      '/apis/networking.istio.io/v1/virtualservices',
    ]);

    api.remove({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      name: 'orders-api',
      namespace: 'orders',
    });
    await waitFor(
      async () =>
        (
          await c.list('staging', RESOURCES.virtualServices, selector)
        ).length === 0,
    );
    api.apply(...ordersApi());
  });

  it('reports a failed list to readers and retries after retryDelayMs, doubling', async () => {
    api.fail(
      { path: '/apis/apps/v1/deployments' },
      { code: 500, reason: 'InternalError', message: 'etcd is down' },
      2,
    );
    const c = open({ retryDelayMs: 40 });
    const first = c.list('staging', RESOURCES.deployments, selector);
    await expect(first).rejects.toBeInstanceOf(ClusterReadError);
    await expect(first).rejects.toMatchObject({
      statusCode: 500,
      message: expect.stringMatching(
        /^Kubernetes cluster 'staging' at http:\/\/127\.0\.0\.1:\d+ answered 500 InternalError while listing and watching \/apis\/apps\/v1\/deployments: etcd is down$/,
      ),
    });
    // Until the retry succeeds, readers get the error without a new request.
    await waitFor(async () => {
      try {
        await c.list('staging', RESOURCES.deployments, selector);
        return true;
      } catch {
        return false;
      }
    });
    expect(
      names(await c.list('staging', RESOURCES.deployments, selector)),
    ).toEqual(['orders-api-canary', 'orders-api-stable']);
    const waits = logger.warn.mock.calls.map(
      ([message]) => /again in (\d+) ms$/.exec(String(message))?.[1],
    );
    expect(waits).toEqual(['40', '80']);
  });

  it('takes a missing optional CRD as no objects for absentTtlMs, then looks again', async () => {
    const c = open({ absentTtlMs: 150 });
    expect(await c.list('staging', RESOURCES.rollouts, selector)).toEqual([]);
    expect(await c.list('staging', RESOURCES.rollouts, selector)).toEqual([]);
    const rolloutPaths = () =>
      api
        .takeRequests()
        .filter(r => r.path.endsWith('/rollouts'))
        .map(r => r.path);
    // One list found it missing; the second read asked nothing.
    expect(rolloutPaths()).toEqual(['/apis/argoproj.io/v1alpha1/rollouts']);

    api.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: 'orders-api',
        namespace: 'orders',
        labels: { 'backstage.io/kubernetes-id': 'orders-api' },
      },
    });
    // Within the TTL it is still taken as missing.
    expect(await c.list('staging', RESOURCES.rollouts, selector)).toEqual([]);
    expect(rolloutPaths()).toEqual([]);
    await new Promise(r => setTimeout(r, 200));
    expect(
      names(await c.list('staging', RESOURCES.rollouts, selector)),
    ).toEqual(['orders-api']);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('stops watching what nobody read for idleTimeoutMs', async () => {
    const c = open({ idleTimeoutMs: 100 });
    await c.list('staging', RESOURCES.destinationRules, selector);
    await c.list('staging', RESOURCES.virtualServices, selector);
    expect(c.size).toBe(2);
    await waitFor(() => api.openWatches === 2);
    await waitFor(() => c.size === 0);
    await waitFor(() => api.openWatches === 0);
    // A read after eviction lists again.
    api.takeRequests();
    expect(
      names(await c.list('staging', RESOURCES.virtualServices, selector)),
    ).toEqual(['orders-api']);
    expect(
      api
        .takeRequests()
        .filter(r => !r.query.includes('watch='))
        .map(r => r.path),
    ).toEqual(['/apis/networking.istio.io/v1/virtualservices']);
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
      const address = silent.address() as { port: number };
      url = `http://127.0.0.1:${address.port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => silent.close(resolve));
    });

    it('gives up on a first list after coldStartTimeoutMs with a 504', async () => {
      const c = open({ coldStartTimeoutMs: 200, retryDelayMs: 60_000 }, url);
      const result = c.list('staging', RESOURCES.virtualServices, selector);
      await expect(result).rejects.toBeInstanceOf(ClusterReadError);
      await expect(result).rejects.toMatchObject({
        statusCode: 504,
        message: `Kubernetes cluster 'staging' at ${url}: no answer from the API server within 0.2 s`,
      });
      expect(String(logger.warn.mock.calls[0][0])).toBe(
        `Kubernetes cluster 'staging' at ${url}: no answer from the API server within 0.2 s; watching /apis/networking.istio.io/v1/virtualservices again in 60000 ms`,
      );
    });
  });
});
