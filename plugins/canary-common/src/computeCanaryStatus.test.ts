import { computeCanaryReleases, CanaryObjects } from './computeCanaryStatus';
import type {
  Deployment,
  DestinationRule,
  HTTPMatchRequest,
  HTTPRoute,
  HTTPRouteDestination,
  Labels,
  Rollout,
  RolloutIstioTrafficRouting,
  VirtualService,
} from './objects';
import type { CanaryProblem, CanaryRelease } from './types';

// ---------------------------------------------------------------- fixture builders

const NS = 'shop';

function dest(
  subset: string | undefined,
  weight?: number,
  host = 'orders',
): HTTPRouteDestination {
  return {
    destination: { host, ...(subset !== undefined && { subset }) },
    ...(weight !== undefined && { weight }),
  };
}

function rule(...route: HTTPRouteDestination[]): HTTPRoute {
  return { route };
}

function matching(
  match: HTTPMatchRequest[],
  ...route: HTTPRouteDestination[]
): HTTPRoute {
  return { match, route };
}

function header(name: string, value: string): HTTPMatchRequest {
  return { headers: { [name]: { exact: value } } };
}

function vs(name: string, http: HTTPRoute[], namespace = NS): VirtualService {
  return { metadata: { name, namespace }, spec: { hosts: [name], http } };
}

function dr(
  subsets: Record<string, Labels>,
  opts: { host?: string; name?: string; namespace?: string } = {},
): DestinationRule {
  return {
    metadata: { name: opts.name ?? 'orders', namespace: opts.namespace ?? NS },
    spec: {
      host: opts.host ?? 'orders',
      subsets: Object.entries(subsets).map(([name, labels]) => ({
        name,
        labels,
      })),
    },
  };
}

function deployment(
  name: string,
  labels: Labels,
  opts: {
    images?: string[];
    replicas?: number;
    ready?: number;
    namespace?: string;
  } = {},
): Deployment {
  return {
    metadata: { name, namespace: opts.namespace ?? NS },
    spec: {
      ...(opts.replicas !== undefined && { replicas: opts.replicas }),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: (opts.images ?? []).map((image, i) => ({
            name: `c${i}`,
            image,
          })),
        },
      },
    },
    status: { ...(opts.ready !== undefined && { readyReplicas: opts.ready }) },
  };
}

function rollout(
  name: string,
  istio: RolloutIstioTrafficRouting,
  opts: {
    namespace?: string;
    labels?: Labels;
    images?: string[];
    replicas?: number;
    ready?: number;
    paused?: boolean;
    status?: Rollout['status'];
    services?: { stableService: string; canaryService: string };
    workloadRef?: string;
  } = {},
): Rollout {
  const labels = opts.labels ?? { app: 'orders' };
  return {
    metadata: { name, namespace: opts.namespace ?? NS },
    spec: {
      replicas: opts.replicas ?? 4,
      ...(opts.paused !== undefined && { paused: opts.paused }),
      ...(opts.workloadRef
        ? {
            workloadRef: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: opts.workloadRef,
            },
          }
        : {
            template: {
              metadata: { labels },
              spec: {
                containers: (opts.images ?? ['registry/orders:2.0']).map(
                  image => ({
                    name: 'app',
                    image,
                  }),
                ),
              },
            },
          }),
      strategy: {
        canary: { ...opts.services, trafficRouting: { istio } },
      },
    },
    status: { readyReplicas: opts.ready ?? 4, ...opts.status },
  };
}

/** Rollout traffic routing naming one VirtualService and the primary/preview subsets. */
const primaryPreview = (vsName = 'orders'): RolloutIstioTrafficRouting => ({
  virtualService: { name: vsName },
  destinationRule: {
    name: 'orders',
    stableSubsetName: 'primary',
    canarySubsetName: 'preview',
  },
});

const V1 = { app: 'orders', version: 'v1' };
const V2 = { app: 'orders', version: 'v2' };
const stableCanaryRule = () => dr({ stable: V1, canary: V2 });
const primaryPreviewRule = () =>
  dr({ primary: { app: 'orders' }, preview: { app: 'orders' } });
const v1Deployment = (ready = 3) =>
  deployment('orders-v1', V1, {
    images: ['registry/orders:1.0'],
    replicas: 3,
    ready,
  });
const v2Deployment = (ready = 1) =>
  deployment('orders-v2', V2, {
    images: ['registry/orders:2.0'],
    replicas: 1,
    ready,
  });

function objects(partial: Partial<CanaryObjects>): CanaryObjects {
  return {
    virtualServices: [],
    destinationRules: [],
    deployments: [],
    ...partial,
  };
}

/** The 80/20 world, with its parts replaceable. */
function world(partial: Partial<CanaryObjects> = {}): CanaryObjects {
  return objects({
    virtualServices: [
      vs('orders', [rule(dest('stable', 80), dest('canary', 20))]),
    ],
    destinationRules: [stableCanaryRule()],
    deployments: [v1Deployment(), v2Deployment()],
    ...partial,
  });
}

function only(input: CanaryObjects): CanaryRelease {
  const releases = computeCanaryReleases(input);
  expect(releases).toHaveLength(1);
  return releases[0];
}

// ---------------------------------------------------------------- whole releases

describe('computeCanaryReleases', () => {
  it.each<{ name: string; input: CanaryObjects; expected: CanaryRelease }>([
    {
      name: '80/20 split with versions and images is progressing',
      input: world(),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'progressing',
        stable: {
          subset: 'stable',
          weight: 80,
          version: 'v1',
          images: ['registry/orders:1.0'],
          replicas: { ready: 3, desired: 3 },
        },
        canary: {
          subset: 'canary',
          weight: 20,
          version: 'v2',
          images: ['registry/orders:2.0'],
          replicas: { ready: 1, desired: 1 },
        },
        problems: [],
      },
    },
    {
      name: 'a lone destination with omitted weight is the stable track at 100',
      input: world({ virtualServices: [vs('orders', [rule(dest('stable'))])] }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'stable',
        stable: {
          subset: 'stable',
          weight: 100,
          version: 'v1',
          images: ['registry/orders:1.0'],
          replicas: { ready: 3, desired: 3 },
        },
        problems: [],
      },
    },
    {
      name: 'replicas are summed and images deduplicated over every selected workload',
      input: world({
        virtualServices: [
          vs('orders', [rule(dest('stable', 100), dest('canary', 0))]),
        ],
        destinationRules: [
          dr({ stable: { app: 'orders', track: 'stable' }, canary: V2 }),
        ],
        deployments: [
          deployment(
            'orders-a',
            { app: 'orders', track: 'stable', version: 'v1' },
            {
              images: ['registry/orders:1.0', 'registry/proxy:1'],
              replicas: 2,
              ready: 2,
            },
          ),
          deployment(
            'orders-b',
            { app: 'orders', track: 'stable', zone: 'b' },
            {
              images: ['registry/orders:1.0'],
              ready: 0,
            },
          ),
          v2Deployment(0),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'stable',
        stable: {
          subset: 'stable',
          weight: 100,
          version: 'v1',
          images: ['registry/orders:1.0', 'registry/proxy:1'],
          replicas: { ready: 2, desired: 3 },
        },
        canary: {
          subset: 'canary',
          weight: 0,
          version: 'v2',
          images: ['registry/orders:2.0'],
          replicas: { ready: 0, desired: 1 },
        },
        problems: [],
      },
    },
    {
      name: 'a header override next to a 100/0 default route',
      input: world({
        virtualServices: [
          vs('orders', [
            {
              name: 'canary-header',
              ...matching([header('x-canary', 'always')], dest('canary')),
            },
            rule(dest('stable', 100), dest('canary', 0)),
          ]),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'stable',
        stable: {
          subset: 'stable',
          weight: 100,
          version: 'v1',
          images: ['registry/orders:1.0'],
          replicas: { ready: 3, desired: 3 },
        },
        canary: {
          subset: 'canary',
          weight: 0,
          version: 'v2',
          images: ['registry/orders:2.0'],
          replicas: { ready: 1, desired: 1 },
        },
        headerOverride: {
          header: 'x-canary',
          value: 'always',
          subset: 'canary',
        },
        problems: [],
      },
    },
    {
      name: "a frontend's /api prefix to another service comes first: the default route still decides the split",
      input: world({
        virtualServices: [
          vs('orders', [
            {
              name: 'api',
              match: [{ uri: { prefix: '/api' } }],
              route: [
                dest(
                  undefined,
                  undefined,
                  'orders-api.orders-api.svc.cluster.local',
                ),
              ],
            },
            {
              name: 'canary-header',
              ...matching([header('x-canary', 'true')], dest('canary')),
            },
            rule(dest('stable', 80), dest('canary', 20)),
          ]),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'progressing',
        stable: {
          subset: 'stable',
          weight: 80,
          version: 'v1',
          images: ['registry/orders:1.0'],
          replicas: { ready: 3, desired: 3 },
        },
        canary: {
          subset: 'canary',
          weight: 20,
          version: 'v2',
          images: ['registry/orders:2.0'],
          replicas: { ready: 1, desired: 1 },
        },
        headerOverride: {
          header: 'x-canary',
          value: 'true',
          subset: 'canary',
        },
        problems: [],
      },
    },
    {
      name: 'the only rule has a header match plus weights: its split is shown, traffic is unrouted',
      input: world({
        virtualServices: [
          vs('orders', [
            matching(
              [header('x-tenant', 'acme')],
              dest('stable', 90),
              dest('canary', 10),
            ),
          ]),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'misconfigured',
        stable: {
          subset: 'stable',
          weight: 90,
          version: 'v1',
          images: ['registry/orders:1.0'],
          replicas: { ready: 3, desired: 3 },
        },
        canary: {
          subset: 'canary',
          weight: 10,
          version: 'v2',
          images: ['registry/orders:2.0'],
          replicas: { ready: 1, desired: 1 },
        },
        problems: [
          {
            code: 'UNROUTED_TRAFFIC',
            severity: 'error',
            message:
              "VirtualService shop/orders has a match condition on every HTTP rule, so requests that match no rule get 404; add a last rule without 'match' that routes to the stable subset.",
          },
        ],
      },
    },
    {
      name: 'without a default route the split comes from the first weighted rule',
      input: world({
        virtualServices: [
          vs('orders', [
            matching([header('x-canary', 'always')], dest('canary')),
            matching(
              [header('x-tenant', 'acme')],
              dest('stable', 70),
              dest('canary', 30),
            ),
          ]),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'misconfigured',
        stable: {
          subset: 'stable',
          weight: 70,
          version: 'v1',
          images: ['registry/orders:1.0'],
          replicas: { ready: 3, desired: 3 },
        },
        canary: {
          subset: 'canary',
          weight: 30,
          version: 'v2',
          images: ['registry/orders:2.0'],
          replicas: { ready: 1, desired: 1 },
        },
        headerOverride: {
          header: 'x-canary',
          value: 'always',
          subset: 'canary',
        },
        problems: [
          {
            code: 'UNROUTED_TRAFFIC',
            severity: 'error',
            message:
              "VirtualService shop/orders has a match condition on every HTTP rule, so requests that match no rule get 404; add a last rule without 'match' that routes to the stable subset.",
          },
        ],
      },
    },
    {
      name: 'Rollout-named subsets: the template describes only the canary while a new revision rolls out',
      input: objects({
        virtualServices: [
          vs('orders', [rule(dest('preview', 25), dest('primary', 75))]),
        ],
        destinationRules: [primaryPreviewRule()],
        // A Deployment with the subset labels is ignored: the Rollout owns the pods.
        deployments: [
          deployment(
            'orders-old',
            { app: 'orders' },
            { images: ['registry/old:0'] },
          ),
        ],
        rollouts: [
          rollout('orders', primaryPreview(), {
            labels: { app: 'orders', 'app.kubernetes.io/version': '2.0.0' },
            replicas: 4,
            ready: 3,
            status: { currentPodHash: 'b7c9', stableRS: 'a1f4' },
          }),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'progressing',
        stable: {
          subset: 'primary',
          weight: 75,
          replicas: { ready: 3, desired: 4 },
        },
        canary: {
          subset: 'preview',
          weight: 25,
          version: '2.0.0',
          images: ['registry/orders:2.0'],
          replicas: { ready: 3, desired: 4 },
        },
        problems: [],
        rollout: {
          name: 'orders',
          routing: 'subset',
          stepCount: 0,
          setWeight: 100,
          paused: false,
          pausedByUser: false,
          pauseReasons: [],
          aborted: false,
          stableRevision: 'a1f4',
          canaryRevision: 'b7c9',
        },
      },
    },
    {
      name: 'a paused Rollout whose stable revision is current describes both tracks',
      input: objects({
        virtualServices: [
          vs('orders', [rule(dest('primary', 100), dest('preview', 0))]),
        ],
        destinationRules: [primaryPreviewRule()],
        rollouts: [
          rollout('orders', primaryPreview(), {
            paused: true,
            status: { currentPodHash: 'a1f4', stableRS: 'a1f4' },
          }),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'paused',
        stable: {
          subset: 'primary',
          weight: 100,
          images: ['registry/orders:2.0'],
          replicas: { ready: 4, desired: 4 },
        },
        canary: {
          subset: 'preview',
          weight: 0,
          images: ['registry/orders:2.0'],
          replicas: { ready: 4, desired: 4 },
        },
        problems: [],
        rollout: {
          name: 'orders',
          routing: 'subset',
          stepCount: 0,
          setWeight: 100,
          paused: true,
          pausedByUser: true,
          pauseReasons: [],
          aborted: false,
          stableRevision: 'a1f4',
          canaryRevision: 'a1f4',
        },
      },
    },
    {
      name: 'host-level Rollout with workloadRef: services name the tracks, the Deployment gives the template',
      input: objects({
        virtualServices: [
          vs('orders', [
            rule(
              dest(undefined, 40, 'orders-canary'),
              dest(undefined, 60, 'orders-stable.shop.svc.cluster.local'),
            ),
          ]),
        ],
        deployments: [
          deployment(
            'orders-template',
            { app: 'orders', version: 'v7' },
            {
              images: ['registry/orders:7.0'],
              replicas: 0,
            },
          ),
        ],
        rollouts: [
          rollout(
            'orders',
            { virtualServices: [{ name: 'orders' }] },
            {
              workloadRef: 'orders-template',
              services: {
                stableService: 'orders-stable',
                canaryService: 'orders-canary',
              },
              ready: 0,
              replicas: 2,
            },
          ),
        ],
      }),
      expected: {
        namespace: NS,
        virtualService: 'orders',
        hosts: ['orders'],
        phase: 'misconfigured',
        stable: {
          subset: 'orders-stable.shop.svc.cluster.local',
          weight: 60,
          version: 'v7',
          images: ['registry/orders:7.0'],
          replicas: { ready: 0, desired: 2 },
        },
        canary: {
          subset: 'orders-canary',
          weight: 40,
          version: 'v7',
          images: ['registry/orders:7.0'],
          replicas: { ready: 0, desired: 2 },
        },
        problems: [
          {
            code: 'STABLE_NOT_READY',
            severity: 'error',
            message:
              "The stable subset 'orders-stable.shop.svc.cluster.local' gets 60% of traffic but no pod of Rollout shop/orders is ready; fix those pods or set its weight in VirtualService shop/orders to 0.",
          },
          {
            code: 'CANARY_NOT_READY',
            severity: 'error',
            message:
              "The canary subset 'orders-canary' gets 40% of traffic but no pod of Rollout shop/orders is ready; fix those pods or set its weight in VirtualService shop/orders to 0.",
          },
        ],
        rollout: {
          name: 'orders',
          routing: 'host',
          stepCount: 0,
          setWeight: 100,
          paused: false,
          pausedByUser: false,
          pauseReasons: [],
          aborted: false,
        },
      },
    },
  ])('$name', ({ input, expected }) => {
    expect(only(input)).toEqual(expected);
  });

  // ---------------------------------------------------------------- phases

  const pausedBy: Array<[string, Parameters<typeof rollout>[2]]> = [
    ['spec.paused', { paused: true }],
    [
      'status.pauseConditions',
      { status: { pauseConditions: [{ reason: 'CanaryPauseStep' }] } },
    ],
    ["status.phase 'Paused'", { status: { phase: 'Paused' } }],
  ];

  it.each<{
    name: string;
    input: CanaryObjects;
    phase: CanaryRelease['phase'];
  }>([
    {
      name: 'canary at 1–99 is progressing',
      input: world(),
      phase: 'progressing',
    },
    {
      name: 'canary at 0 is stable',
      input: world({
        virtualServices: [
          vs('orders', [rule(dest('stable', 100), dest('canary', 0))]),
        ],
      }),
      phase: 'stable',
    },
    {
      name: 'canary at 100 is promoted',
      input: world({
        virtualServices: [
          vs('orders', [rule(dest('stable', 0), dest('canary', 100))]),
        ],
      }),
      phase: 'promoted',
    },
    ...pausedBy.map(([how, opts]) => ({
      name: `a governing Rollout paused by ${how} is paused`,
      input: objects({
        virtualServices: [
          vs('orders', [rule(dest('primary', 90), dest('preview', 10))]),
        ],
        destinationRules: [primaryPreviewRule()],
        rollouts: [rollout('orders', primaryPreview(), opts)],
      }),
      phase: 'paused' as const,
    })),
    {
      name: 'a paused Rollout governing another VirtualService does not pause this one',
      input: world({
        rollouts: [rollout('other', primaryPreview('other'), { paused: true })],
      }),
      phase: 'progressing',
    },
    {
      name: 'an error beats a paused Rollout',
      input: objects({
        virtualServices: [
          vs('orders', [rule(dest('primary', 90), dest('preview', 20))]),
        ],
        destinationRules: [primaryPreviewRule()],
        rollouts: [rollout('orders', primaryPreview(), { paused: true })],
      }),
      phase: 'misconfigured',
    },
    {
      name: 'a warning alone does not make it misconfigured',
      input: world({ destinationRules: [] }),
      phase: 'progressing',
    },
  ])('phase: $name', ({ input, phase }) => {
    expect(only(input).phase).toBe(phase);
  });

  // ---------------------------------------------------------------- problems

  it.each<{ name: string; input: CanaryObjects; problems: CanaryProblem[] }>([
    {
      name: 'WEIGHTS_DO_NOT_SUM_TO_100 when explicit weights add up to 90',
      input: world({
        virtualServices: [
          vs('orders', [rule(dest('stable', 70), dest('canary', 20))]),
        ],
      }),
      problems: [
        {
          code: 'WEIGHTS_DO_NOT_SUM_TO_100',
          severity: 'error',
          message:
            'The weights of the default route of VirtualService shop/orders add up to 90 (stable 70, canary 20); make them add up to 100.',
        },
      ],
    },
    {
      name: 'WEIGHTS_DO_NOT_SUM_TO_100 when an omitted weight among several destinations counts as 0',
      input: world({
        virtualServices: [
          vs('orders', [rule(dest('stable'), dest('canary', 20))]),
        ],
      }),
      problems: [
        {
          code: 'WEIGHTS_DO_NOT_SUM_TO_100',
          severity: 'error',
          message:
            'The weights of the default route of VirtualService shop/orders add up to 20 (stable 0, canary 20); make them add up to 100.',
        },
      ],
    },
    {
      name: 'UNKNOWN_SUBSET for a subset the DestinationRule lacks, in any rule',
      input: world({
        virtualServices: [
          vs('orders', [
            matching([header('x-canary', 'always')], dest('canry')),
            rule(dest('stable', 80), dest('canary', 20)),
          ]),
        ],
      }),
      problems: [
        {
          code: 'UNKNOWN_SUBSET',
          severity: 'error',
          message:
            "VirtualService shop/orders routes to subset 'canry' of host 'orders', which DestinationRule shop/orders does not define; add the subset to the DestinationRule or route to one it defines.",
        },
      ],
    },
    {
      name: 'no UNROUTED_TRAFFIC when the default route has an empty match list',
      input: world({
        virtualServices: [
          vs('orders', [
            matching([header('x-canary', 'always')], dest('canary')),
            matching([], dest('stable', 80), dest('canary', 20)),
          ]),
        ],
      }),
      problems: [],
    },
    {
      name: 'UNROUTED_TRAFFIC when there is no HTTP rule at all',
      input: world({ virtualServices: [vs('orders', [])] }),
      problems: [
        {
          code: 'UNROUTED_TRAFFIC',
          severity: 'error',
          message:
            "VirtualService shop/orders has no HTTP rule, so requests that match no rule get 404; add a last rule without 'match' that routes to the stable subset.",
        },
      ],
    },
    {
      name: 'CANARY_NOT_READY when the canary gets traffic and has no ready pod',
      input: world({ deployments: [v1Deployment(), v2Deployment(0)] }),
      problems: [
        {
          code: 'CANARY_NOT_READY',
          severity: 'error',
          message:
            "The canary subset 'canary' gets 20% of traffic but no pod of Deployment shop/orders-v2 is ready; fix those pods or set its weight in VirtualService shop/orders to 0.",
        },
      ],
    },
    {
      name: 'no CANARY_NOT_READY when the unready canary gets no traffic',
      input: world({
        virtualServices: [
          vs('orders', [rule(dest('stable', 100), dest('canary', 0))]),
        ],
        deployments: [v1Deployment(), v2Deployment(0)],
      }),
      problems: [],
    },
    {
      name: 'STABLE_NOT_READY when the stable track gets traffic and has no ready pod',
      input: world({ deployments: [v1Deployment(0), v2Deployment()] }),
      problems: [
        {
          code: 'STABLE_NOT_READY',
          severity: 'error',
          message:
            "The stable subset 'stable' gets 80% of traffic but no pod of Deployment shop/orders-v1 is ready; fix those pods or set its weight in VirtualService shop/orders to 0.",
        },
      ],
    },
    {
      name: 'NO_DESTINATION_RULE when routed subsets have no DestinationRule (no readiness problem)',
      input: world({ destinationRules: [] }),
      problems: [
        {
          code: 'NO_DESTINATION_RULE',
          severity: 'warning',
          message:
            "VirtualService shop/orders routes to subsets of host 'orders' but no DestinationRule for that host was found; create one that defines subsets 'stable', 'canary', or label the existing one for this entity.",
        },
      ],
    },
    {
      name: 'NO_WORKLOAD when a subset selects nothing, with no readiness problem for it',
      input: world({ deployments: [v1Deployment()] }),
      problems: [
        {
          code: 'NO_WORKLOAD',
          severity: 'warning',
          message:
            "Subset 'canary' of DestinationRule shop/orders selects no Deployment or Rollout in namespace shop (app=orders,version=v2); deploy one whose pod template has these labels or fix the subset's labels.",
        },
      ],
    },
    {
      name: 'errors are listed before warnings',
      input: world({ deployments: [v2Deployment(0)] }),
      problems: [
        {
          code: 'CANARY_NOT_READY',
          severity: 'error',
          message:
            "The canary subset 'canary' gets 20% of traffic but no pod of Deployment shop/orders-v2 is ready; fix those pods or set its weight in VirtualService shop/orders to 0.",
        },
        {
          code: 'NO_WORKLOAD',
          severity: 'warning',
          message:
            "Subset 'stable' of DestinationRule shop/orders selects no Deployment or Rollout in namespace shop (app=orders,version=v1); deploy one whose pod template has these labels or fix the subset's labels.",
        },
      ],
    },
  ])('problems: $name', ({ input, problems }) => {
    expect(only(input).problems).toEqual(problems);
  });

  // ---------------------------------------------------------------- header override

  it.each<{
    name: string;
    http: HTTPRoute[];
    expected: CanaryRelease['headerOverride'];
  }>([
    {
      name: 'one exact header to one subset',
      http: [
        matching([header('x-canary', 'yes')], dest('canary')),
        rule(dest('stable')),
      ],
      expected: { header: 'x-canary', value: 'yes', subset: 'canary' },
    },
    {
      name: 'all weight on one of several destinations',
      http: [
        matching(
          [header('x-canary', 'yes')],
          dest('stable', 0),
          dest('canary', 100),
        ),
        rule(dest('stable')),
      ],
      expected: { header: 'x-canary', value: 'yes', subset: 'canary' },
    },
    {
      name: 'the first of several candidates',
      http: [
        matching([header('x-stable', '1')], dest('stable')),
        matching([header('x-canary', '1')], dest('canary')),
        rule(dest('stable')),
      ],
      expected: { header: 'x-stable', value: '1', subset: 'stable' },
    },
    {
      name: 'none for a prefix match',
      http: [
        matching(
          [{ headers: { 'x-canary': { prefix: 'y' } } }],
          dest('canary'),
        ),
        rule(dest('stable')),
      ],
      expected: undefined,
    },
    {
      name: 'none for two headers',
      http: [
        matching(
          [
            {
              headers: {
                'x-canary': { exact: 'yes' },
                'x-user': { exact: 'me' },
              },
            },
          ],
          dest('canary'),
        ),
        rule(dest('stable')),
      ],
      expected: undefined,
    },
    {
      name: 'none for a header plus a URI condition',
      http: [
        matching(
          [
            {
              headers: { 'x-canary': { exact: 'yes' } },
              uri: { prefix: '/api' },
            },
          ],
          dest('canary'),
        ),
        rule(dest('stable')),
      ],
      expected: undefined,
    },
    {
      name: 'none for two alternative match conditions',
      http: [
        matching(
          [header('x-canary', 'yes'), header('x-beta', 'yes')],
          dest('canary'),
        ),
        rule(dest('stable')),
      ],
      expected: undefined,
    },
    {
      name: 'none for a weighted split',
      http: [
        matching(
          [header('x-canary', 'yes')],
          dest('stable', 50),
          dest('canary', 50),
        ),
        rule(dest('stable')),
      ],
      expected: undefined,
    },
    {
      name: 'none for a rule after the default route, which no request reaches',
      http: [
        rule(dest('stable')),
        matching([header('x-canary', 'yes')], dest('canary')),
      ],
      expected: undefined,
    },
    {
      name: 'none for the default route itself',
      http: [rule(dest('canary'))],
      expected: undefined,
    },
  ])('header override: $name', ({ http, expected }) => {
    expect(
      only(world({ virtualServices: [vs('orders', http)] })).headerOverride,
    ).toEqual(expected);
  });

  // ---------------------------------------------------------------- track choice

  it.each<{
    name: string;
    route: HTTPRouteDestination[];
    expected: { stable: [string, number]; canary?: [string, number] };
  }>([
    {
      name: 'stable and canary subsets',
      route: [dest('stable', 80), dest('canary', 20)],
      expected: { stable: ['stable', 80], canary: ['canary', 20] },
    },
    {
      name: 'canary listed first, the other is stable',
      route: [dest('canary', 20), dest('primary', 80)],
      expected: { stable: ['primary', 80], canary: ['canary', 20] },
    },
    {
      name: 'a subset named stable, the other is canary',
      route: [dest('v2', 10), dest('stable', 90)],
      expected: { stable: ['stable', 90], canary: ['v2', 10] },
    },
    {
      name: 'neither name: first stable, second canary',
      route: [dest('v1', 90), dest('v2', 10)],
      expected: { stable: ['v1', 90], canary: ['v2', 10] },
    },
    {
      name: 'destinations without subsets are named by host',
      route: [dest(undefined, 95, 'orders'), dest(undefined, 5, 'orders-next')],
      expected: { stable: ['orders', 95], canary: ['orders-next', 5] },
    },
    {
      name: 'a lone destination is stable even when named canary',
      route: [dest('canary')],
      expected: { stable: ['canary', 100] },
    },
  ])('track choice: $name', ({ route, expected }) => {
    const release = only(
      objects({ virtualServices: [vs('orders', [{ route }])] }),
    );
    const pair = (track?: { subset: string; weight: number }) =>
      track && [track.subset, track.weight];
    expect({
      stable: pair(release.stable),
      canary: pair(release.canary),
    }).toEqual(expected);
  });

  // ---------------------------------------------------------------- versions

  it.each<{
    name: string;
    subset: Labels;
    workload: Labels;
    expected: string | undefined;
  }>([
    {
      name: 'the subset’s version label',
      subset: { app: 'orders', version: 'v2' },
      workload: { app: 'orders', version: 'v2' },
      expected: 'v2',
    },
    {
      name: 'version before app.kubernetes.io/version',
      subset: {
        app: 'orders',
        version: 'v2',
        'app.kubernetes.io/version': '2.0.0',
      },
      workload: {
        app: 'orders',
        version: 'v2',
        'app.kubernetes.io/version': '2.0.0',
      },
      expected: 'v2',
    },
    {
      name: 'the subset’s app.kubernetes.io/version before the workload’s version',
      subset: { app: 'orders', 'app.kubernetes.io/version': '2.0.0' },
      workload: {
        app: 'orders',
        'app.kubernetes.io/version': '2.0.0',
        version: 'v2',
      },
      expected: '2.0.0',
    },
    {
      name: 'the workload’s label when the subset has none',
      subset: { app: 'orders', track: 'canary' },
      workload: {
        app: 'orders',
        track: 'canary',
        'app.kubernetes.io/version': '2.1.0',
      },
      expected: '2.1.0',
    },
    {
      name: 'none when nothing says',
      subset: { app: 'orders' },
      workload: { app: 'orders' },
      expected: undefined,
    },
  ])('version: $name', ({ subset, workload, expected }) => {
    const release = only(
      objects({
        virtualServices: [vs('orders', [rule(dest('canary'))])],
        destinationRules: [dr({ canary: subset })],
        deployments: [deployment('orders', workload, { ready: 1 })],
      }),
    );
    expect(release.stable.version).toEqual(expected);
    expect(release.problems).toEqual([]);
  });

  // ---------------------------------------------------------------- host names

  it.each<{
    name: string;
    routeHost: string;
    rules: DestinationRule[];
    deployments?: Deployment[];
    expected: { version?: string; codes: string[] };
  }>([
    {
      name: 'short names',
      routeHost: 'orders',
      rules: [dr({ canary: V2 })],
      expected: { version: 'v2', codes: [] },
    },
    {
      name: 'svc.ns route, short DestinationRule host',
      routeHost: 'orders.shop',
      rules: [dr({ canary: V2 })],
      expected: { version: 'v2', codes: [] },
    },
    {
      name: 'FQDN route, svc.ns DestinationRule host',
      routeHost: 'orders.shop.svc.cluster.local',
      rules: [dr({ canary: V2 }, { host: 'orders.shop' })],
      expected: { version: 'v2', codes: [] },
    },
    {
      name: 'short route, FQDN DestinationRule host',
      routeHost: 'orders',
      rules: [dr({ canary: V2 }, { host: 'orders.shop.svc.cluster.local' })],
      expected: { version: 'v2', codes: [] },
    },
    {
      name: 'DestinationRule in the host’s own namespace, workloads from there too',
      routeHost: 'orders.backend',
      rules: [dr({ canary: { app: 'orders' } }, { namespace: 'backend' })],
      deployments: [
        deployment(
          'orders',
          { app: 'orders', version: 'v9' },
          { namespace: 'backend', ready: 1 },
        ),
        deployment('orders', { app: 'orders', version: 'v2' }, { ready: 1 }),
      ],
      expected: { version: 'v9', codes: [] },
    },
    {
      name: 'a DestinationRule in the VirtualService’s namespace wins over the host’s',
      routeHost: 'orders.backend',
      rules: [
        dr(
          { canary: { app: 'orders', version: 'v9' } },
          { namespace: 'backend' },
        ),
        dr({ canary: V2 }, { host: 'orders.backend' }),
      ],
      deployments: [
        deployment('orders', V2, { namespace: 'backend', ready: 1 }),
      ],
      expected: { version: 'v2', codes: [] },
    },
    {
      name: 'a host in another namespace does not match a short DestinationRule host',
      routeHost: 'orders.other',
      rules: [dr({ canary: V2 })],
      expected: { codes: ['NO_DESTINATION_RULE'] },
    },
    {
      name: 'another service does not match',
      routeHost: 'payments',
      rules: [dr({ canary: V2 })],
      expected: { codes: ['NO_DESTINATION_RULE'] },
    },
  ])('host names: $name', ({ routeHost, rules, deployments, expected }) => {
    const release = only(
      objects({
        virtualServices: [
          vs('orders', [rule(dest('canary', undefined, routeHost))]),
        ],
        destinationRules: rules,
        deployments: deployments ?? [v2Deployment()],
      }),
    );
    expect({
      version: release.stable.version,
      codes: release.problems.map(p => p.code),
    }).toEqual(expected);
  });

  // ---------------------------------------------------------------- Rollout governance

  // preview is listed first, so without a governing Rollout it would be the stable track.
  const previewFirst = vs('orders', [
    rule(dest('preview', 30), dest('primary', 70)),
  ]);

  it.each<{ name: string; rollouts: Rollout[]; governed: boolean }>([
    {
      name: 'virtualService.name in the same namespace',
      rollouts: [rollout('r', primaryPreview())],
      governed: true,
    },
    {
      name: 'virtualService.name as name.namespace',
      rollouts: [
        rollout('r', primaryPreview('orders.shop'), { namespace: 'deploy' }),
      ],
      governed: true,
    },
    {
      name: 'virtualServices[].name',
      rollouts: [
        rollout('r', {
          ...primaryPreview(),
          virtualService: undefined,
          virtualServices: [{ name: 'web' }, { name: 'orders' }],
        }),
      ],
      governed: true,
    },
    {
      name: 'a Rollout in another namespace naming a short name',
      rollouts: [rollout('r', primaryPreview(), { namespace: 'other' })],
      governed: false,
    },
    {
      name: 'name.namespace pointing at another namespace',
      rollouts: [rollout('r', primaryPreview('orders.other'))],
      governed: false,
    },
    {
      name: 'another VirtualService',
      rollouts: [rollout('r', primaryPreview('web'))],
      governed: false,
    },
  ])('Rollout governance: $name', ({ rollouts, governed }) => {
    const release = only(
      objects({
        virtualServices: [previewFirst],
        destinationRules: [primaryPreviewRule()],
        rollouts,
      }),
    );
    expect({
      stable: release.stable.subset,
      canary: release.canary?.subset,
    }).toEqual(
      governed
        ? { stable: 'primary', canary: 'preview' }
        : { stable: 'preview', canary: 'primary' },
    );
  });

  // ---------------------------------------------------------------- sort order

  it.each<{ name: string; refs: Array<[string, string]>; expected: string[] }>([
    {
      name: 'namespaces first',
      refs: [
        ['web', 'a'],
        ['api', 'z'],
        ['api', 'b'],
      ],
      expected: ['api/b', 'api/z', 'web/a'],
    },
    {
      name: 'then names',
      refs: [
        ['shop', 'orders-canary'],
        ['shop', 'orders'],
        ['shop', 'cart'],
      ],
      expected: ['shop/cart', 'shop/orders', 'shop/orders-canary'],
    },
  ])('sort order: $name', ({ refs, expected }) => {
    const releases = computeCanaryReleases(
      objects({
        virtualServices: refs.map(([ns, name]) =>
          vs(name, [rule(dest('stable'))], ns),
        ),
      }),
    );
    expect(releases.map(r => `${r.namespace}/${r.virtualService}`)).toEqual(
      expected,
    );
  });
});
