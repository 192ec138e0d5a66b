/*
 * What the demo puts into its clusters, as pure functions of the rendered charts: which
 * services, which versions, the values each environment is rendered with, the few changes the
 * demo makes to a rendered object (and why), the database objects and the backend's RBAC.
 */

import type { RenderedObject } from '@runway/control-plane';

export type DemoEnvironment = 'staging' | 'production';
export const DEMO_ENVIRONMENTS: DemoEnvironment[] = ['staging', 'production'];

/** A service of the example system (catalog/example-system.yaml) and the committed render it runs. */
export type DemoService = {
  /** The entity name, the Helm release and the `backstage.io/kubernetes-id`. */
  name: string;
  /** The namespace (the entity's `backstage.io/kubernetes-namespace`). */
  namespace: string;
  /** The chart, relative to the repository root. */
  chart: string;
  /** The image repository (the committed values name the template's example service). */
  imageRepository: string;
  /** A CloudNativePG cluster `<name>-db`, as `cnpg:database:create` makes it. */
  database: boolean;
};

export const DEMO_SERVICES: DemoService[] = [
  {
    name: 'orders-api',
    namespace: 'orders-api',
    chart: 'examples/go-service/chart',
    imageRepository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api',
    database: true,
  },
  {
    name: 'storefront',
    namespace: 'storefront',
    chart: 'examples/ts-service/chart',
    imageRepository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront',
    database: false,
  },
];

/** The release running everywhere, and the one under test. */
export const STABLE_VERSION = '1.4.0';
export const CANARY_VERSION = '1.5.0';

/** The one canary in progress: this service, in this environment. */
export const DEMO_CANARY = { service: 'orders-api', environment: 'staging' };

/**
 * The values the demo renders a service with, on top of values.yaml and values-<env>.yaml:
 * the image; for the canary in progress its new tag (Argo Rollouts starts the canary from the
 * changed pod template).
 */
export function demoValues(
  service: DemoService,
  stage: 'stable' | 'canary',
): Record<string, unknown> {
  const tag = stage === 'stable' ? STABLE_VERSION : CANARY_VERSION;
  return { image: { repository: service.imageRepository, tag } };
}

/** An indefinite pause: the Rollout waits for a person (Promote). */
const INDEFINITE_PAUSE = { pause: {} };

/**
 * Holds a Rollout's canary for a person right after its first weight step, unless its steps
 * already do: staging's own steps run through by themselves within minutes, and the demo is
 * there to show a canary in progress and let a newcomer press Promote. The only change the
 * demo makes to a rendered Rollout.
 */
export function holdAfterFirstWeight(rollout: RenderedObject): RenderedObject {
  const steps: any[] = (rollout as any).spec?.strategy?.canary?.steps ?? [];
  const first = steps.findIndex(s => s?.setWeight !== undefined);
  if (first < 0) return rollout;
  const next = steps[first + 1];
  if (next?.pause && next.pause.duration === undefined) return rollout;
  const held = [
    ...steps.slice(0, first + 1),
    INDEFINITE_PAUSE,
    ...steps.slice(first + 1),
  ];
  const copy = structuredClone(rollout) as any;
  copy.spec.strategy.canary.steps = held;
  return copy;
}

/** Analysis kinds whose Prometheus provider needs the demo's address. */
const ANALYSIS_KINDS = new Set(['AnalysisTemplate', 'ClusterAnalysisTemplate']);

/**
 * Points every Prometheus metric of an AnalysisTemplate at `address`: the chart's default is
 * the platform's in-cluster Prometheus, which the demo replaces with its synthetic endpoint.
 */
export function withPrometheusAddress(
  object: RenderedObject,
  address: string,
): RenderedObject {
  if (!ANALYSIS_KINDS.has(object.kind ?? '')) return object;
  const copy = structuredClone(object) as any;
  for (const metric of copy.spec?.metrics ?? []) {
    if (metric.provider?.prometheus)
      metric.provider.prometheus.address = address;
  }
  return copy;
}

/**
 * The rendered objects of one service in one environment as the demo applies them: in the
 * service's namespace, AnalysisTemplates asking the synthetic endpoint, and the canary held
 * for a person where one is in progress.
 */
export function prepareRendered(
  rendered: RenderedObject[],
  options: { namespace: string; prometheusUrl: string; holdCanary: boolean },
): RenderedObject[] {
  return rendered.map(object => {
    let prepared: RenderedObject = {
      ...object,
      metadata: {
        ...object.metadata,
        namespace: object.metadata?.namespace ?? options.namespace,
      },
    };
    prepared = withPrometheusAddress(prepared, options.prometheusUrl);
    if (options.holdCanary && prepared.kind === 'Rollout') {
      prepared = holdAfterFirstWeight(prepared);
    }
    return prepared;
  });
}

/** The namespace of a service: Istio injects sidecars there, as the platform labels them. */
export function serviceNamespace(name: string): RenderedObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'istio-injection': 'enabled' } },
  };
}

/** The identity the portal uses in each demo cluster, the subject of every deploy/rbac.yaml. */
export const BACKEND_ACCOUNT = { namespace: 'backstage', name: 'backstage' };

/**
 * What the portal reads everywhere (the Kubernetes tab, the canary status, the database card),
 * as a platform team grants a read-only view; writes come only from the plugins' own
 * deploy/rbac.yaml files.
 */
export function readOnlyRbac(): RenderedObject[] {
  const name = 'runway-demo-read';
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [
        {
          apiGroups: ['*'],
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name,
      },
      subjects: [{ kind: 'ServiceAccount', ...BACKEND_ACCOUNT }],
    },
  ];
}

/** PostgreSQL's image as the operator reports it running. */
export const POSTGRES_IMAGE = 'ghcr.io/cloudnative-pg/postgresql:17.2';

/**
 * The status the CloudNativePG operator writes once every instance of a Cluster is up: what
 * the demo's stand-in operator reports for every Cluster it sees, the demo's and those the
 * portal's templates create.
 */
export function healthyClusterStatus(
  cluster: {
    metadata: { name: string };
    spec?: { instances?: number; plugins?: { isWALArchiver?: boolean }[] };
  },
  now: Date,
): Record<string, unknown> {
  const instances = Number(cluster.spec?.instances ?? 1);
  const { name } = cluster.metadata;
  const goTime = (daysAhead: number) =>
    new Date(now.getTime() + daysAhead * 86_400_000)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000 UTC');
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    reason,
    message,
    lastTransitionTime: now.toISOString(),
  });
  const archiving = (cluster.spec?.plugins ?? []).some(p => p.isWALArchiver);
  return {
    phase: 'Cluster in healthy state',
    instances,
    readyInstances: instances,
    currentPrimary: `${name}-1`,
    image: POSTGRES_IMAGE,
    certificates: {
      expirations: {
        [`${name}-ca`]: goTime(90),
        [`${name}-server`]: goTime(90),
      },
    },
    conditions: [
      condition('Ready', 'ClusterIsReady', 'Cluster is Ready'),
      ...(archiving
        ? [
            condition(
              'ContinuousArchiving',
              'ContinuousArchivingSuccess',
              'Continuous archiving is working',
            ),
          ]
        : []),
    ],
  };
}

/** The hour (UTC) of the nightly base backup the templates schedule ("0 0 2 * * *"). */
const BACKUP_HOUR = 2;

/** The last nightly backup before `now`: started at 02:00 UTC, four minutes long. */
export function lastNightlyBackup(now: Date): {
  startedAt: string;
  stoppedAt: string;
} {
  const stopped = new Date(now);
  stopped.setUTCHours(BACKUP_HOUR, 4, 0, 0);
  if (stopped > now) stopped.setUTCDate(stopped.getUTCDate() - 1);
  const started = new Date(stopped.getTime() - 4 * 60_000);
  return { startedAt: started.toISOString(), stoppedAt: stopped.toISOString() };
}

/** The next nightly backup after `now` (02:00 UTC). */
export function nextNightlyBackup(now: Date): string {
  const next = new Date(now);
  next.setUTCHours(BACKUP_HOUR, 0, 0, 0);
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}
