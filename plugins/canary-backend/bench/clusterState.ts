/*
 * Benchmark of the cluster-state layer behind the Canary tab and the database card, at
 * fleet scale: `services` services in each of `clusters` clusters served by HTTP fakes of
 * the Kubernetes API (in a child process, so the heap measured here is the backend's).
 * Prints cold start per cluster, warm view latency in-process and through the backend's
 * HTTP route with the catalog lookup, Kubernetes API calls per view, open watches, heap,
 * and a churn of watch events checked against every view taken meanwhile.
 *
 *   yarn workspace @runway/plugin-canary-backend bench [services=5000] [clusters=3] [views=10000] [churnSeconds=60]
 *
 * Figures, not assertions: nothing here fails on a slow machine.
 */
import {
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { mockServices } from '@backstage/backend-test-utils';
import {
  clusterAccessServiceRef,
  ClusterState,
  clusterStateServiceRef,
  ConfigClusterAccess,
} from '@runway/plugin-cluster-access-node';
import { kubernetesClustersConfig } from '@runway/plugin-cluster-access-node-test-utils';
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { canaryPlugin } from '../src/plugin';
import {
  CANARY_KINDS,
  CanaryStatusService,
} from '../src/service/CanaryStatusService';
import {
  DATABASE_KINDS,
  DatabaseStatusService,
} from '../src/service/DatabaseStatusService';
import { namespaceOf, serviceId } from './fixture';

const [services, clusterCount, views, churnSeconds] = [
  Number(process.argv[2] ?? 5000),
  Number(process.argv[3] ?? 3),
  Number(process.argv[4] ?? 10000),
  Number(process.argv[5] ?? 60),
];
/** Every kind the layer keeps: the Canary tab's (with the Rollouts' ReplicaSets and AnalysisRuns) and the database card's. */
const KINDS = [...CANARY_KINDS, ...DATABASE_KINDS] as const;

const quiet: LoggerService = {
  error: () => {},
  warn: m => console.warn(`  warn: ${m}`),
  info: () => {},
  debug: () => {},
  child: () => quiet,
};

const MiB = 1024 * 1024;
const ms = (n: number) => `${n.toFixed(2)} ms`;
const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};
const heap = () => {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed;
};
const entity = (i: number): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: serviceId(i),
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': serviceId(i) },
  },
  spec: { type: 'service' },
});
const random = (n: number) => Math.floor(Math.random() * n);

type ClusterRequests = {
  lists: number;
  watches: number;
  pages: Record<string, number>;
  openWatches: number;
};

async function main() {
  if (!global.gc) throw new Error('run with --expose-gc (yarn bench does)');
  console.log(
    `fixture: ${services} services × ${clusterCount} clusters (node ${
      process.version
    }, ${cpus().length} CPUs, load average ${loadavg()
      .map(l => l.toFixed(1))
      .join(' ')})`,
  );

  // The clusters, in their own process.
  const child = fork(
    resolve(__dirname, 'fakeClusters.ts'),
    [String(clusterCount), String(services)],
    {
      execArgv: [
        '--max-old-space-size=8192',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      ],
    },
  );
  const replies: ((message: any) => void)[] = [];
  // Only this protocol's messages (the TypeScript loader also talks over the channel).
  child.on('message', (message: any) => {
    if (['ready', 'requests', 'churned'].includes(message?.type)) {
      replies.shift()?.(message);
    }
  });
  const next = () => new Promise<any>(r => replies.push(r));
  const ask = (message: object) => {
    const reply = next();
    child.send(message);
    return reply;
  };
  const generated = performance.now();
  const { urls, objects } = await next();
  const totalObjects = (objects as number[]).reduce((a, b) => a + b, 0);
  console.log(
    `generated and loaded ${totalObjects} objects (${objects.join(
      ' + ',
    )}) in ${((performance.now() - generated) / 1000).toFixed(1)} s`,
  );
  const requests = async (): Promise<ClusterRequests[]> =>
    (await ask({ type: 'requests' })).clusters;

  const names = (urls as string[]).map((_, c) => `cluster-${c}`);
  const config = kubernetesClustersConfig(
    (urls as string[]).map((url, c) => ({
      name: names[c],
      url,
      authProvider: 'serviceAccount',
      serviceAccountToken: 'bench',
      skipTLSVerify: true,
    })),
  );
  const clusterAccess = ConfigClusterAccess.fromConfig(
    new ConfigReader(config),
    {
      logger: quiet,
    },
  );

  const heapBefore = heap();
  const state = new ClusterState({ clusterAccess, logger: quiet });

  // 1. Cold start, one cluster after the other.
  console.log(`\ncold start (${KINDS.length} kinds: ${KINDS.join(', ')}):`);
  for (const [c, cluster] of names.entries()) {
    const t0 = performance.now();
    const snapshot = await state.snapshot(cluster, KINDS, {
      timeoutMs: 600_000,
    });
    const took = performance.now() - t0;
    if (snapshot.problem) throw new Error(snapshot.problem.message);
    const served = (await requests())[c];
    const kindsListed = Object.keys(served.pages).length;
    console.log(
      `  ${cluster}: ready in ${(took / 1000).toFixed(2)} s, ${
        served.lists
      } list requests = one paged list per kind (${kindsListed} kinds, pages of 500: ${Object.values(
        served.pages,
      ).join(' + ')})`,
    );
  }
  const held = state.stats().objects;
  for (
    let i = 0;
    i < 100 && state.stats().openWatches < KINDS.length * clusterCount;
    i++
  ) {
    await new Promise(r => setTimeout(r, 50));
  }
  const heapAfter = heap();
  const served = await requests();
  console.log(
    `open watches: layer ${state.stats().openWatches}, API servers ${served
      .map(s => s.openWatches)
      .join(' + ')} = ${KINDS.length} kinds × ${clusterCount} clusters`,
  );
  console.log(
    `heap: ${((heapAfter - heapBefore) / MiB).toFixed(
      1,
    )} MiB for ${held} objects held (${(
      (((heapAfter - heapBefore) / held) * 10_000) /
      MiB
    ).toFixed(1)} MiB per 10,000 objects); process heap ${(
      heapAfter / MiB
    ).toFixed(0)} MiB`,
  );

  // 2. Warm views in-process: the status computed from the layer, as the route does.
  const canary = new CanaryStatusService(clusterAccess, state);
  const databases = new DatabaseStatusService(clusterAccess, state);
  await requests();
  // Garbage collection pauses, on the same clock as the views: what a view's tail is made of.
  const gcPauses: { start: number; end: number }[] = [];
  const gcObserver = new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      gcPauses.push({ start: e.startTime, end: e.startTime + e.duration });
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  type Timing = { wall: number; cpu: number; start: number; end: number };
  /** Wall-clock and CPU time of each of n views of random entities (after a warm-up). */
  const timed = async (n: number, view: (i: number) => Promise<unknown>) => {
    for (let k = 0; k < Math.min(500, n); k++) await view(random(services));
    const timings: Timing[] = [];
    for (let k = 0; k < n; k++) {
      const i = random(services);
      const c0 = process.cpuUsage();
      const start = performance.now();
      await view(i);
      const end = performance.now();
      const c = process.cpuUsage(c0);
      timings.push({
        wall: end - start,
        cpu: (c.user + c.system) / 1000,
        start,
        end,
      });
    }
    await new Promise(r => setTimeout(r, 100)); // GC entries arrive asynchronously
    return timings;
  };
  const describe = (timings: Timing[]) => {
    const wall = timings.map(t => t.wall);
    const cpu = timings.map(t => t.cpu);
    return `wall p50 ${ms(percentile(wall, 50))}  p99 ${ms(
      percentile(wall, 99),
    )}  |  CPU p50 ${ms(percentile(cpu, 50))}  p99 ${ms(percentile(cpu, 99))}`;
  };
  /**
   * The views slower than `threshold`, by cause: a garbage collection pause during the
   * view, the thread off the CPU (wall time exceeding CPU time by over half the
   * threshold: another process had the core), or the view's own work.
   */
  const tail = (timings: Timing[], threshold: number) => {
    const slow = timings.filter(t => t.wall >= threshold);
    const during = (t: Timing) =>
      gcPauses.filter(g => g.start < t.end && g.end > t.start);
    const gc = slow.filter(t => during(t).length > 0);
    const descheduled = slow.filter(
      t => !during(t).length && t.wall - t.cpu > threshold / 2,
    );
    const own = slow.length - gc.length - descheduled.length;
    const clean = timings.filter(t => !during(t).length).map(t => t.wall);
    const pauses = timings.flatMap(during);
    return `views ≥ ${ms(threshold)}: ${slow.length} (${
      gc.length
    } with a GC pause, ${
      descheduled.length
    } off the CPU, ${own} by their own work); ${
      new Set(pauses).size
    } GC pauses (${pauses
      .reduce((a, g) => a + g.end - g.start, 0)
      .toFixed(0)} ms, longest ${ms(
      Math.max(0, ...pauses.map(g => g.end - g.start)),
    )}); p99 of the ${clean.length} views without a GC pause ${ms(
      percentile(clean, 99),
    )}`;
  };
  const canaryViews = await timed(views, i => canary.getStatus(entity(i)));
  const databaseViews = await timed(views, i => databases.getStatus(entity(i)));
  const afterViews = await requests();
  const calls = afterViews.reduce((n, c) => n + c.lists + c.watches, 0);
  console.log(
    `\nwarm views in-process, ${views} random entities × ${clusterCount} clusters each:`,
  );
  console.log(`  canary status:  ${describe(canaryViews)}`);
  console.log(`    ${tail(canaryViews, 2)}`);
  console.log(`  database card:  ${describe(databaseViews)}`);
  console.log(`    ${tail(databaseViews, 2)}`);
  console.log(`  Kubernetes API calls during ${2 * views} views: ${calls}`);

  // 3. End to end: GET /api/canary/entities/... through the backend, with the catalog lookup.
  const catalog = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        async getEntityByRef(ref: string) {
          const m = /^component:default\/svc-(\d+)$/.exec(ref);
          return m ? entity(Number(m[1])) : undefined;
        },
      } as any),
  });
  const backend = await startTestBackend({
    features: [
      canaryPlugin,
      catalog,
      mockServices.rootConfig.factory({ data: config }),
      createServiceFactory({
        service: clusterAccessServiceRef,
        deps: {},
        factory: () => clusterAccess,
      }),
      createServiceFactory({
        service: clusterStateServiceRef,
        deps: {},
        factory: () => state,
      }),
    ],
  });
  const base = `http://127.0.0.1:${backend.server.port()}/api/canary/entities/default/component`;
  const headers = {
    authorization: mockCredentials.user.header('user:default/bench'),
  };
  const get = async (path: string) => {
    const res = await fetch(`${base}/${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return res.json();
  };
  await requests();
  const httpViews = Math.min(views, 5000);
  const http = await timed(httpViews, i => get(serviceId(i)));
  const httpCalls = (await requests()).reduce(
    (n, c) => n + c.lists + c.watches,
    0,
  );
  console.log(
    `\nend to end, GET /api/canary/entities/default/component/<svc> (catalog lookup, ${clusterCount} clusters):`,
  );
  console.log(
    `  ${httpViews} requests: ${describe(
      http,
    )}; Kubernetes API calls: ${httpCalls}`,
  );
  console.log(`    ${tail(http, 25)}`);

  // 4. Churn: 1 % of the objects per minute rewritten (VirtualService weights), while views
  //    run; every view must show each release whole.
  const perSecond = (totalObjects * 0.01) / 60;
  const churn = ask({ type: 'churn', perSecond, seconds: churnSeconds });
  let done = false;
  churn.then(() => {
    done = true;
  });
  let checked = 0;
  const violations: string[] = [];
  const churnViews: number[] = [];
  while (!done) {
    const i = random(services);
    const t0 = performance.now();
    const status = await canary.getStatus(entity(i));
    churnViews.push(performance.now() - t0);
    for (const c of status.clusters) {
      const releases = c.releases;
      const whole =
        !c.error &&
        releases.length === 1 &&
        releases[0].namespace === namespaceOf(i) &&
        releases[0].stable.weight + (releases[0].canary?.weight ?? 0) === 100 &&
        !releases[0].problems.some(p => p.code === 'WEIGHTS_DO_NOT_SUM_TO_100');
      checked += 1;
      if (!whole)
        violations.push(`${c.cluster}/${serviceId(i)}: ${JSON.stringify(c)}`);
    }
    await new Promise(r => setImmediate(r));
  }
  const { events, last } = await churn;
  // Converged: the last weight written for each churned service is what a view shows.
  await new Promise(r => setTimeout(r, 1000));
  let stale = 0;
  for (const [key, weight] of last as [string, number][]) {
    const [c, i] = key.split('/').map(Number);
    const status = await canary.getStatus(entity(i));
    const shown = status.clusters[c].releases[0]?.stable.weight;
    if (shown !== weight) stale += 1;
  }
  console.log(
    `\nchurn: ${events} VirtualService updates in ${churnSeconds} s (1 % of ${totalObjects} objects per minute, ${perSecond.toFixed(
      1,
    )}/s)`,
  );
  console.log(
    `  ${checked} release views taken meanwhile: ${
      violations.length
    } half-updated; p99 ${ms(percentile(churnViews, 99))}; after the churn ${
      (last as unknown[]).length - stale
    }/${(last as unknown[]).length} services show their last weight`,
  );
  for (const v of violations.slice(0, 3)) console.log(`  ${v}`);
  console.log(`process heap at the end: ${(heap() / MiB).toFixed(0)} MiB`);

  gcObserver.disconnect();
  await backend.stop();
  await state.close();
  const exited = new Promise(r => child.once('exit', r));
  child.send({ type: 'stop' });
  await exited;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
