/*
 * Benchmark of the Canary backend's status path, without HTTP or the catalog: the watch
 * caches and the status computation against a fake Kubernetes API holding many services.
 * Prints cold and warm view latency, Kubernetes API calls per view and heap growth.
 *
 *   yarn workspace @runway/plugin-canary-backend bench [services] [views]
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ConfigClusterAccess } from '@runway/plugin-cluster-access-node';
import {
  FakeKubernetesApi,
  kubernetesClustersConfig,
} from '@runway/plugin-cluster-access-node-test-utils';
import { performance } from 'node:perf_hooks';
import { CanaryStatusService } from '../src/service/CanaryStatusService';
import { WatchCaches } from '../src/service/WatchCaches';
import { canaryService } from '../src/__testUtils__/fixtures';

const services = Number(process.argv[2] ?? 200);
const views = Number(process.argv[3] ?? 2000);

const entity = (id: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: id, annotations: { 'backstage.io/kubernetes-id': id } },
  spec: {},
});

const quiet: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const api = new FakeKubernetesApi({ token: 'bench' });
  await api.start();
  const ids = Array.from({ length: services }, (_, i) => `svc-${i}`);
  for (const id of ids) {
    api.apply(
      ...canaryService({
        id,
        namespace: id,
        stableWeight: 90,
        canaryWeight: 10,
      }),
    );
  }
  const clusterAccess = ConfigClusterAccess.fromConfig(
    new ConfigReader(
      kubernetesClustersConfig([
        {
          name: 'bench',
          url: api.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: 'bench',
          skipTLSVerify: true,
        },
      ]),
    ),
    { logger: quiet },
  );
  const caches = new WatchCaches({
    clusterAccess,
    logger: quiet,
  });
  const status = new CanaryStatusService(clusterAccess, caches);

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  api.takeRequests();

  // Cold: the first view of each entity lists each kind once and opens its watches.
  const cold: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await status.getStatus(entity(id));
    cold.push(performance.now() - t);
  }
  const coldCalls = api.takeRequests().length;

  // Warm: views served from the caches.
  const warm: number[] = [];
  for (let i = 0; i < views; i++) {
    const t = performance.now();
    const res = await status.getStatus(entity(ids[i % ids.length]));
    warm.push(performance.now() - t);
    if (res.clusters[0].releases[0]?.canary?.weight !== 10)
      throw new Error('wrong status');
  }
  const warmCalls = api.takeRequests().length;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  console.log(
    `services (entities) watched: ${services}, open watches: ${api.openWatches}`,
  );
  console.log(
    `cold view:  p50 ${ms(percentile(cold, 50))}  p95 ${ms(
      percentile(cold, 95),
    )}  API calls ${coldCalls} (${(coldCalls / services).toFixed(
      1,
    )} per entity)`,
  );
  console.log(
    `warm view:  p50 ${ms(percentile(warm, 50))}  p95 ${ms(
      percentile(warm, 95),
    )}  p99 ${ms(
      percentile(warm, 99),
    )}  API calls ${warmCalls} over ${views} views`,
  );
  console.log(
    `heap growth for the caches: ${(
      (heapAfter - heapBefore) /
      1024 /
      1024
    ).toFixed(1)} MiB (${((heapAfter - heapBefore) / 1024 / services).toFixed(
      1,
    )} KiB per entity)${
      global.gc ? '' : ' (run with --expose-gc for a steadier figure)'
    }`,
  );

  await caches.close();
  await api.stop();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
