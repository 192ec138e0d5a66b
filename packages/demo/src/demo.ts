import {
  ControlPlane,
  RenderedObject,
  startControlPlane,
  startRolloutsController,
} from '@runway/control-plane';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmBinary, renderChart } from '@runway/template-harness';
import { repoRoot } from './paths';
import { provisionDatabase } from './database';
import { startFakeCnpgOperator } from './operator';
import {
  BACKEND_ACCOUNT,
  DEMO_CANARY,
  DEMO_ENVIRONMENTS,
  DEMO_SERVICES,
  DemoEnvironment,
  DemoService,
  demoValues,
  prepareRendered,
  readOnlyRbac,
  serviceNamespace,
} from './plan';
import { startSyntheticPrometheus, SyntheticPrometheus } from './prometheus';

/**
 * The upstream CRDs of the demo's clusters (components of the platform pin list): every kind the
 * service chart renders, and the Barman Cloud plugin's ObjectStore that `cnpg:database:create`
 * writes for a database with backups.
 */
export const DEMO_CRDS = [
  'istio',
  'argo-rollouts',
  'prometheus-operator',
  'secrets-store-csi-driver',
  'cloudnative-pg',
  'barman-cloud-plugin',
];

/** Lifetime of the portal's ServiceAccount tokens (a new one at every start). */
const TOKEN_SECONDS = 30 * 86_400;

export type DemoCluster = {
  name: DemoEnvironment;
  plane: ControlPlane;
  /** The portal's token: ServiceAccount backstage/backstage, bound by the deploy/rbac.yaml files. */
  token: string;
};

export type DemoOptions = {
  /** State of both clusters (restart-safe: a second start finds them as they were). */
  dir: string;
  /** Fixed ports (make demo); free ones when absent (tests). */
  ports?: Partial<Record<DemoEnvironment | 'prometheus', number>>;
  /** Progress lines. */
  log?: (line: string) => void;
};

export type Demo = {
  clusters: DemoCluster[];
  prometheus: SyntheticPrometheus;
  /** The portal's configuration for the demo: clusters `staging` and `production`, Prometheus per cluster. */
  portalConfig(): Record<string, unknown>;
  /** Seconds each phase took. */
  timings: Record<string, number>;
  stop(): Promise<void>;
};

/** The documents of every plugin's deploy/rbac.yaml: what a platform team applies for the portal. */
export function pluginRbacDocuments(): RenderedObject[] {
  const plugins = join(repoRoot, 'plugins');
  return readdirSync(plugins)
    .map(name => join(plugins, name, 'deploy/rbac.yaml'))
    .filter(existsSync)
    .flatMap(file =>
      parseAllDocuments(readFileSync(file, 'utf8')).map(d => d.toJS()),
    )
    .filter(Boolean);
}

/** Polls until `check` returns a value; fails after `timeoutMs` naming `what`. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `demo: ${what} not reached in ${timeoutMs / 1000} s\n${describe()}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

async function tokenFor(plane: ControlPlane): Promise<string> {
  const { namespace, name } = BACKEND_ACCOUNT;
  await plane.apply([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    ...readOnlyRbac(),
    ...pluginRbacDocuments(),
  ]);
  const { status, body } = await plane.request(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: TOKEN_SECONDS },
    },
  );
  if (status !== 201) {
    throw new Error(
      `token of ${namespace}/${name}: ${status} ${body?.message}`,
    );
  }
  return body.status.token;
}

const rolloutPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/${name}`;

/** Applies one service in one environment: stable everywhere, the canary where it runs. */
async function deployService(
  plane: ControlPlane,
  service: DemoService,
  environment: DemoEnvironment,
  prometheusUrl: string,
  log: (line: string) => void,
) {
  const canary =
    service.name === DEMO_CANARY.service &&
    environment === DEMO_CANARY.environment;
  const render = async (stage: 'stable' | 'canary') =>
    prepareRendered(
      // As Argo CD renders it: values.yaml, values-<env>.yaml, then the demo's values.
      await renderChart(
        helmBinary(),
        resolve(repoRoot, service.chart),
        `values-${environment}.yaml`,
        {
          release: service.name,
          namespace: service.namespace,
          values: demoValues(service, stage),
        },
      ),
      { namespace: service.namespace, prometheusUrl, holdCanary: canary },
    );

  const stable = await render('stable');
  const rollout = stable.find(o => o.kind === 'Rollout');
  if (canary && !rollout) {
    throw new Error(
      `demo: ${service.chart} renders no Rollout for ${environment} (canary.enabled false?): the demo's canary of ${service.name} needs one`,
    );
  }
  await plane.apply([serviceNamespace(service.namespace)]);
  if (!canary || !rollout) {
    await plane.apply(stable);
    return;
  }
  const path = rolloutPath(
    service.namespace,
    rollout.metadata?.name ?? service.name,
  );
  const fresh = !(await plane.getObject(path));
  if (fresh) {
    // A first start: the stable release rolls out fully, then the new one starts its canary.
    await plane.apply(stable);
    await until(
      `${environment}: Rollout ${service.name} Healthy`,
      async () =>
        (await plane.getObject(path))?.status?.phase === 'Healthy'
          ? true
          : undefined,
      120_000,
      () => plane.processes['rollouts-controller']?.tail() ?? '',
    );
  }
  // Again after a restart: the same spec, so the canary stays where it was (or was promoted to).
  await plane.apply(await render('canary'));
  const paused = await until(
    `${environment}: Rollout ${service.name} paused`,
    async () => {
      const r = await plane.getObject(path);
      const seen =
        String(r?.status?.observedGeneration) ===
        String(r?.metadata?.generation);
      const phase = r?.status?.phase;
      // A fresh canary must reach its pause; after a restart it may have been promoted since.
      return seen && (phase === 'Paused' || (!fresh && phase === 'Healthy'))
        ? r
        : undefined;
    },
    120_000,
    () => plane.processes['rollouts-controller']?.tail() ?? '',
  );
  log(
    `${environment}: ${
      service.name
    } canary ${paused.status.phase.toLowerCase()} at step ${
      paused.status.currentStepIndex
    } (weight ${paused.status.canary?.weights?.canary?.weight ?? '?'} %)`,
  );
}

/**
 * Starts the demo's clusters `staging` and `production` (real control planes, pods Ready by
 * kwok, the Argo Rollouts controller), applies the example system's services from their rendered
 * charts, starts the canary, plays the CloudNativePG operator and serves the synthetic series.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const log = options.log ?? (() => {});
  const timings: Record<string, number> = {};
  const started = Date.now();
  const mark = (name: string) => {
    timings[name] = Math.round((Date.now() - started) / 100) / 10;
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const prometheus = await startSyntheticPrometheus({
      port: options.ports?.prometheus,
    });
    stops.push(prometheus.stop);
    log(`synthetic Prometheus on ${prometheus.url}`);

    const clusters = await Promise.all(
      DEMO_ENVIRONMENTS.map(async (name): Promise<DemoCluster> => {
        const plane = await startControlPlane({
          crds: DEMO_CRDS,
          workloads: true,
          dir: join(options.dir, name),
          port: options.ports?.[name],
        });
        stops.push(() => plane.stop());
        log(`${name}: control plane on ${plane.url}`);
        await startRolloutsController(plane);
        const token = await tokenFor(plane);
        stops.push(startFakeCnpgOperator(plane));
        return { name, plane, token };
      }),
    );
    mark('clusters');

    await Promise.all(
      clusters.flatMap(cluster =>
        DEMO_SERVICES.map(service =>
          deployService(
            cluster.plane,
            service,
            cluster.name,
            prometheus.url,
            log,
          ),
        ),
      ),
    );
    mark('services');

    // The databases, by Runway's own action with the portal's configuration.
    const config = portalConfig(clusters, prometheus.url);
    for (const service of DEMO_SERVICES.filter(s => s.database)) {
      await provisionDatabase(service, config);
      log(
        `${service.name}-db: provisioned by cnpg:database:create in both clusters`,
      );
    }
    mark('databases');

    return {
      clusters,
      prometheus,
      timings,
      stop,
      portalConfig: () => config,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The portal's clusters and per-cluster Prometheus for the demo. */
export function portalConfig(
  clusters: {
    name: string;
    plane: { url: string; caData: string };
    token: string;
  }[],
  prometheusUrl: string,
): Record<string, unknown> {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(c => ({
            name: c.name,
            url: c.plane.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            caData: Buffer.from(c.plane.caData).toString('base64'),
          })),
        },
      ],
    },
    canary: {
      prometheus: Object.fromEntries(
        clusters.map(c => [c.name, { url: prometheusUrl }]),
      ),
    },
  };
}
