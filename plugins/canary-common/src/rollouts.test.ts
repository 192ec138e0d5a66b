import { computeCanaryReleases } from './computeCanaryStatus';
import type {
  AnalysisRun,
  CanaryObjects,
  HTTPRoute,
  ReplicaSet,
  Rollout,
  RolloutStep,
  Service,
} from './objects';
import type { CanaryRelease } from './types';

// ---------------------------------------------------------------- fixture builders

const NS = 'shop';
const STABLE = 'a1f4';
const CANARY = 'b7c9';
const STEPS: RolloutStep[] = [
  {
    setHeaderRoute: {
      name: 'canary-header',
      match: [{ headerName: 'x-canary', headerValue: { exact: 'true' } }],
    },
  },
  { pause: {} },
  { setWeight: 20 },
  { pause: { duration: '5m' } },
  { setWeight: 50 },
  { pause: { duration: '5m' } },
];

type Model = 'host' | 'subset';

/** Where the Rollout stands: the fields of its status and the live weights. */
type State = {
  status: Rollout['status'];
  paused?: boolean;
  canaryWeight: number;
  headerRoute?: boolean;
  /** Ready/desired pods of the canary ReplicaSet (absent: no canary ReplicaSet). */
  canaryPods?: [number, number];
  runs?: AnalysisRun[];
};

function rollout(model: Model, state: State): Rollout {
  return {
    metadata: { name: 'orders', namespace: NS, uid: 'r-1' },
    spec: {
      replicas: 5,
      ...(state.paused !== undefined && { paused: state.paused }),
      selector: { matchLabels: { app: 'orders' } },
      template: {
        metadata: { labels: { app: 'orders', version: '2.0' } },
        spec: { containers: [{ name: 'app', image: 'registry/orders:2.0' }] },
      },
      strategy: {
        canary: {
          ...(model === 'host' && {
            stableService: 'orders',
            canaryService: 'orders-canary',
          }),
          trafficRouting: {
            managedRoutes: [{ name: 'canary-header' }],
            istio: {
              virtualService: { name: 'orders', routes: ['primary'] },
              ...(model === 'subset' && {
                destinationRule: {
                  name: 'orders',
                  stableSubsetName: 'stable',
                  canarySubsetName: 'canary',
                },
              }),
            },
          },
          analysis: {
            templates: [{ templateName: 'orders-success-rate' }],
            startingStep: 1,
          },
          steps: STEPS,
        },
      },
    },
    status: state.status,
  };
}

function replicaSet(
  hash: string,
  version: string,
  [ready, desired]: [number, number],
): ReplicaSet {
  return {
    metadata: {
      name: `orders-${hash}`,
      namespace: NS,
      labels: { app: 'orders', 'rollouts-pod-template-hash': hash },
      ownerReferences: [{ kind: 'Rollout', name: 'orders', uid: 'r-1' }],
    },
    spec: {
      replicas: desired,
      template: {
        metadata: {
          labels: {
            app: 'orders',
            version,
            'rollouts-pod-template-hash': hash,
          },
        },
        spec: {
          containers: [{ name: 'app', image: `registry/orders:${version}` }],
        },
      },
    },
    status: { replicas: desired, readyReplicas: ready },
  };
}

function destination(model: Model, role: 'stable' | 'canary') {
  return model === 'host'
    ? { host: role === 'stable' ? 'orders' : 'orders-canary' }
    : { host: 'orders', subset: role };
}

function virtualService(model: Model, state: State) {
  const http: HTTPRoute[] = [
    ...(state.headerRoute
      ? [
          {
            name: 'canary-header',
            match: [{ headers: { 'x-canary': { exact: 'true' } } }],
            route: [{ destination: destination(model, 'canary'), weight: 100 }],
          },
        ]
      : []),
    {
      name: 'primary',
      route: [
        {
          destination: destination(model, 'stable'),
          weight: 100 - state.canaryWeight,
        },
        {
          destination: destination(model, 'canary'),
          weight: state.canaryWeight,
        },
      ],
    },
  ];
  return {
    metadata: { name: 'orders', namespace: NS },
    spec: { hosts: ['orders'], http },
  };
}

function service(name: string, hash: string): Service {
  return {
    metadata: { name, namespace: NS },
    spec: { selector: { app: 'orders', 'rollouts-pod-template-hash': hash } },
  };
}

function analysisRun(
  phase: string,
  measurement: { phase: string; value: string },
): AnalysisRun {
  return {
    metadata: {
      name: `orders-${CANARY}-2`,
      namespace: NS,
      labels: {
        'rollouts-pod-template-hash': CANARY,
        'rollout-type': 'Background',
      },
      ownerReferences: [{ kind: 'Rollout', name: 'orders' }],
    },
    spec: {
      metrics: [
        { name: 'success-rate', successCondition: 'result[0] >= 0.99' },
        { name: 'latency-p99', successCondition: 'result[0] <= 500' },
      ],
    },
    status: {
      phase,
      startedAt: '2026-11-20T10:00:00Z',
      metricResults: [
        {
          name: 'latency-p99',
          phase: 'Running',
          count: 2,
          successful: 2,
          measurements: [{ phase: 'Successful', value: '[231.5]' }],
        },
        {
          name: 'success-rate',
          phase: measurement.phase === 'Failed' ? 'Failed' : 'Running',
          count: 3,
          successful: measurement.phase === 'Failed' ? 2 : 3,
          failed: measurement.phase === 'Failed' ? 1 : 0,
          measurements: [
            { phase: 'Successful', value: '[0.999]' },
            {
              ...measurement,
              startedAt: '2026-11-20T10:05:00Z',
              finishedAt: '2026-11-20T10:05:01Z',
            },
          ],
        },
      ],
    },
  };
}

/** The cluster as it is in one state of the Rollout, in one routing model. */
function world(model: Model, state: State): CanaryObjects {
  const canaryHash = state.status?.currentPodHash ?? STABLE;
  return {
    virtualServices: [virtualService(model, state)],
    destinationRules:
      model === 'subset'
        ? [
            {
              metadata: { name: 'orders', namespace: NS },
              spec: {
                host: 'orders',
                subsets: [
                  {
                    name: 'stable',
                    labels: { 'rollouts-pod-template-hash': STABLE },
                  },
                  {
                    name: 'canary',
                    labels: { 'rollouts-pod-template-hash': canaryHash },
                  },
                ],
              },
            },
          ]
        : [],
    deployments: [],
    rollouts: [rollout(model, state)],
    replicaSets: [
      replicaSet(STABLE, '1.0', [5, 5]),
      ...(state.canaryPods
        ? [replicaSet(CANARY, '2.0', state.canaryPods)]
        : []),
    ],
    analysisRuns: state.runs ?? [],
    analysisTemplates: [
      { metadata: { name: 'orders-success-rate', namespace: NS } },
    ],
    services:
      model === 'host'
        ? [service('orders', STABLE), service('orders-canary', canaryHash)]
        : [
            {
              metadata: { name: 'orders', namespace: NS },
              spec: { selector: { app: 'orders' } },
            },
          ],
  };
}

const rolling = (stepIndex: number, extra: Rollout['status'] = {}) => ({
  phase: 'Progressing',
  stableRS: STABLE,
  currentPodHash: CANARY,
  currentStepIndex: stepIndex,
  readyReplicas: 7,
  ...extra,
});

const running = analysisRun('Running', {
  phase: 'Successful',
  value: '[0.998]',
});
const failed = analysisRun('Failed', { phase: 'Failed', value: '[0.942]' });

// ---------------------------------------------------------------- the phases

type Expected = {
  phase: CanaryRelease['phase'];
  weights: [number, number];
  /** [ready, desired] and version of each track; undefined: the track has no pods. */
  stable: { pods: [number, number]; version: string; revision: string };
  canary?: { pods: [number, number]; version: string; revision: string };
  header: boolean;
  rollout: Partial<NonNullable<CanaryRelease['rollout']>>;
  problems: string[];
  runs: Array<{
    phase: string;
    metrics: Array<[string, string, string | undefined]>;
  }>;
};

const stableTrack = {
  pods: [5, 5] as [number, number],
  version: '1.0',
  revision: STABLE,
};
const canaryTrack = (pods: [number, number]) => ({
  pods,
  version: '2.0',
  revision: CANARY,
});

const PHASES: Array<{ name: string; state: State; expected: Expected }> = [
  {
    name: 'progressing at step 3 of 6 (20 %), analysis running',
    state: {
      status: rolling(2),
      canaryWeight: 20,
      headerRoute: true,
      canaryPods: [1, 1],
      runs: [running],
    },
    expected: {
      phase: 'progressing',
      weights: [80, 20],
      stable: stableTrack,
      canary: canaryTrack([1, 1]),
      header: true,
      rollout: {
        phase: 'Progressing',
        stepCount: 6,
        currentStepIndex: 2,
        currentStep: { setWeight: 20 },
        setWeight: 20,
        paused: false,
        aborted: false,
      },
      problems: [],
      runs: [
        {
          phase: 'Running',
          metrics: [
            ['latency-p99', 'Running', '[231.5]'],
            ['success-rate', 'Running', '[0.998]'],
          ],
        },
      ],
    },
  },
  {
    name: 'paused by a step that waits for a person (production starts so)',
    state: {
      status: rolling(1, {
        phase: 'Paused',
        message: 'CanaryPauseStep',
        controllerPause: true,
        pauseConditions: [
          { reason: 'CanaryPauseStep', startTime: '2026-11-20T09:58:00Z' },
        ],
      }),
      canaryWeight: 0,
      headerRoute: true,
      canaryPods: [1, 1],
      runs: [running],
    },
    expected: {
      phase: 'paused',
      weights: [100, 0],
      stable: stableTrack,
      canary: canaryTrack([1, 1]),
      header: true,
      rollout: {
        phase: 'Paused',
        currentStepIndex: 1,
        currentStep: { pause: {} },
        setWeight: 0,
        paused: true,
        pausedByUser: false,
        pauseReasons: ['CanaryPauseStep'],
        pausedSince: '2026-11-20T09:58:00Z',
        aborted: false,
      },
      problems: [],
      runs: [
        {
          phase: 'Running',
          metrics: [
            ['latency-p99', 'Running', '[231.5]'],
            ['success-rate', 'Running', '[0.998]'],
          ],
        },
      ],
    },
  },
  {
    name: 'paused by a timed step at 20 %',
    state: {
      status: rolling(3, {
        phase: 'Paused',
        pauseConditions: [
          { reason: 'CanaryPauseStep', startTime: '2026-11-20T10:01:00Z' },
        ],
      }),
      canaryWeight: 20,
      headerRoute: true,
      canaryPods: [1, 1],
    },
    expected: {
      phase: 'paused',
      weights: [80, 20],
      stable: stableTrack,
      canary: canaryTrack([1, 1]),
      header: true,
      rollout: {
        currentStepIndex: 3,
        setWeight: 20,
        paused: true,
        pauseReasons: ['CanaryPauseStep'],
        pauseDurationSeconds: 300,
      },
      problems: [],
      runs: [],
    },
  },
  {
    name: 'paused by a person at 50 %',
    state: {
      status: rolling(4, { phase: 'Paused' }),
      paused: true,
      canaryWeight: 50,
      headerRoute: true,
      canaryPods: [3, 3],
    },
    expected: {
      phase: 'paused',
      weights: [50, 50],
      stable: stableTrack,
      canary: canaryTrack([3, 3]),
      header: true,
      rollout: {
        currentStepIndex: 4,
        setWeight: 50,
        paused: true,
        pausedByUser: true,
        pauseReasons: [],
      },
      problems: [],
      runs: [],
    },
  },
  {
    name: 'aborted: all traffic back on stable, canary scaled down',
    state: {
      status: rolling(2, {
        phase: 'Degraded',
        abort: true,
        abortedAt: '2026-11-20T10:06:00Z',
        message: 'RolloutAborted: Rollout aborted update to revision 2',
      }),
      canaryWeight: 0,
      canaryPods: [0, 0],
    },
    expected: {
      phase: 'stable',
      weights: [100, 0],
      stable: stableTrack,
      canary: canaryTrack([0, 0]),
      header: false,
      rollout: {
        phase: 'Degraded',
        setWeight: 0,
        aborted: true,
        abortedAt: '2026-11-20T10:06:00Z',
        message: 'RolloutAborted: Rollout aborted update to revision 2',
      },
      problems: ['ROLLOUT_ABORTED'],
      runs: [],
    },
  },
  {
    name: 'analysis failed: the run names the failing metric, the Rollout aborted',
    state: {
      status: rolling(2, {
        phase: 'Degraded',
        abort: true,
        message:
          'RolloutAborted: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
      }),
      canaryWeight: 0,
      canaryPods: [1, 1],
      runs: [failed],
    },
    expected: {
      phase: 'stable',
      weights: [100, 0],
      stable: stableTrack,
      canary: canaryTrack([1, 1]),
      header: false,
      rollout: { aborted: true, setWeight: 0 },
      problems: ['ROLLOUT_ABORTED', 'ANALYSIS_FAILED'],
      runs: [
        {
          phase: 'Failed',
          metrics: [
            ['success-rate', 'Failed', '[0.942]'],
            ['latency-p99', 'Running', '[231.5]'],
          ],
        },
      ],
    },
  },
  {
    name: 'fully promoted: the new revision is stable, no canary pods, header route gone',
    state: {
      status: {
        phase: 'Healthy',
        stableRS: CANARY,
        currentPodHash: CANARY,
        currentStepIndex: 6,
        readyReplicas: 5,
      },
      canaryWeight: 0,
      canaryPods: [5, 5],
    },
    expected: {
      phase: 'stable',
      weights: [100, 0],
      stable: canaryTrack([5, 5]),
      header: false,
      rollout: {
        phase: 'Healthy',
        currentStepIndex: 6,
        setWeight: 100,
        paused: false,
        aborted: false,
        stableRevision: CANARY,
        canaryRevision: CANARY,
      },
      problems: [],
      runs: [],
    },
  },
  {
    name: 'degraded: the canary never became ready before the progress deadline',
    state: {
      status: rolling(2, {
        phase: 'Degraded',
        message:
          'ProgressDeadlineExceeded: ReplicaSet "orders-b7c9" has timed out progressing.',
      }),
      canaryWeight: 20,
      headerRoute: true,
      canaryPods: [0, 1],
    },
    expected: {
      phase: 'misconfigured',
      weights: [80, 20],
      stable: stableTrack,
      canary: canaryTrack([0, 1]),
      header: true,
      rollout: { phase: 'Degraded', aborted: false },
      problems: ['CANARY_NOT_READY', 'ROLLOUT_DEGRADED'],
      runs: [],
    },
  },
];

describe.each<Model>(['host', 'subset'])(
  'a Rollout with %s-level routing',
  model => {
    it.each(PHASES)('$name', ({ state, expected }) => {
      const [release] = computeCanaryReleases(world(model, state));
      const hostNames = { stable: 'orders', canary: 'orders-canary' };
      const trackName = (role: 'stable' | 'canary') =>
        model === 'host' ? hostNames[role] : role;
      const track = (role: 'stable' | 'canary', t?: Expected['stable']) => ({
        subset: trackName(role),
        weight: expected.weights[role === 'stable' ? 0 : 1],
        ...(t && {
          version: t.version,
          images: [`registry/orders:${t.version}`],
          replicas: { ready: t.pods[0], desired: t.pods[1] },
          revision: t.revision,
        }),
      });
      expect({
        phase: release.phase,
        stable: release.stable,
        canary: release.canary,
        header: release.headerOverride,
        problems: release.problems.map(p => p.code),
      }).toEqual({
        phase: expected.phase,
        stable: track('stable', expected.stable),
        canary: track('canary', expected.canary),
        header: expected.header
          ? { header: 'x-canary', value: 'true', subset: trackName('canary') }
          : undefined,
        problems: expected.problems,
      });
      expect(release.rollout).toMatchObject({
        name: 'orders',
        routing: model,
        stepCount: 6,
        ...expected.rollout,
      });
      expect(
        release.analysisRuns?.map(r => ({
          phase: r.phase,
          metrics: r.metrics.map(m => [
            m.name,
            m.phase,
            m.lastMeasurement?.value,
          ]),
        })),
      ).toEqual(expected.runs);
    });
  },
);

// ---------------------------------------------------------------- details

describe('Rollout details', () => {
  const progressing: State = {
    status: rolling(2),
    canaryWeight: 20,
    headerRoute: true,
    canaryPods: [1, 1],
  };

  it('summarises an AnalysisRun: conditions, counts and the last measurement', () => {
    const [release] = computeCanaryReleases(
      world('host', { ...progressing, runs: [failed] }),
    );
    expect(release.analysisRuns).toEqual([
      {
        name: 'orders-b7c9-2',
        phase: 'Failed',
        startedAt: '2026-11-20T10:00:00Z',
        type: 'Background',
        metrics: [
          {
            name: 'success-rate',
            phase: 'Failed',
            successCondition: 'result[0] >= 0.99',
            count: 3,
            successful: 2,
            failed: 1,
            inconclusive: 0,
            error: 0,
            lastMeasurement: {
              phase: 'Failed',
              value: '[0.942]',
              startedAt: '2026-11-20T10:05:00Z',
              finishedAt: '2026-11-20T10:05:01Z',
            },
          },
          {
            name: 'latency-p99',
            phase: 'Running',
            successCondition: 'result[0] <= 500',
            count: 2,
            successful: 2,
            failed: 0,
            inconclusive: 0,
            error: 0,
            lastMeasurement: { phase: 'Successful', value: '[231.5]' },
          },
        ],
      },
    ]);
    expect(release.problems.find(p => p.code === 'ANALYSIS_FAILED')).toEqual({
      code: 'ANALYSIS_FAILED',
      severity: 'warning',
      message:
        "AnalysisRun shop/orders-b7c9-2 of Rollout shop/orders ended Failed: success-rate failed (last value [0.942], needs result[0] >= 0.99); fix the release (or the metric's query) and push a new revision, or retry the Rollout.",
    });
  });

  it("ignores another revision's and another Rollout's AnalysisRuns", () => {
    const old = analysisRun('Successful', {
      phase: 'Successful',
      value: '[1]',
    });
    old.metadata!.labels!['rollouts-pod-template-hash'] = 'old1';
    const other = analysisRun('Failed', { phase: 'Failed', value: '[0]' });
    other.metadata!.ownerReferences = [{ kind: 'Rollout', name: 'payments' }];
    const [release] = computeCanaryReleases(
      world('host', { ...progressing, runs: [old, other] }),
    );
    expect(release.analysisRuns).toEqual([]);
    expect(release.problems).toEqual([]);
  });

  it('without ReplicaSets both tracks report the Rollout totals, as before', () => {
    const objects = world('host', progressing);
    delete objects.replicaSets;
    const [release] = computeCanaryReleases(objects);
    expect(release.stable.replicas).toEqual({ ready: 7, desired: 5 });
    expect(release.canary?.replicas).toEqual({ ready: 7, desired: 5 });
    expect(release.stable.revision).toBeUndefined();
  });

  it.each<{
    name: string;
    change: (o: CanaryObjects) => void;
    problem: string;
  }>([
    {
      name: 'CANARY_SERVICE_SELECTS_STABLE when the canary Service has no revision in its selector',
      change: o => (o.services![1].spec!.selector = { app: 'orders' }),
      problem:
        'The canary Service shop/orders-canary selects the pods of the stable ReplicaSet shop/orders-a1f4, so traffic meant for one track reaches the other; let Rollout shop/orders manage its selector (it adds rollouts-pod-template-hash) and keep that label out of the Service in Git.',
    },
    {
      name: 'STABLE_SERVICE_SELECTS_CANARY when the stable Service selects the canary revision',
      change: o =>
        (o.services![0].spec!.selector!['rollouts-pod-template-hash'] = CANARY),
      problem:
        'The stable Service shop/orders selects the pods of the canary ReplicaSet shop/orders-b7c9, so traffic meant for one track reaches the other; let Rollout shop/orders manage its selector (it adds rollouts-pod-template-hash) and keep that label out of the Service in Git.',
    },
    {
      name: 'ANALYSIS_TEMPLATE_MISSING for a template that is not deployed',
      change: o => (o.analysisTemplates = []),
      problem:
        "Rollout shop/orders runs AnalysisTemplate 'orders-success-rate', which does not exist in namespace shop; deploy it with the Rollout or remove it from the Rollout's analysis.",
    },
    {
      name: 'UNKNOWN_ROUTE for a route the VirtualService lacks',
      change: o => (o.virtualServices[0].spec!.http![1].name = 'default'),
      problem:
        "Rollout shop/orders sets the weights of the HTTP route 'primary', which VirtualService shop/orders does not have; name the route in the VirtualService or fix the Rollout's trafficRouting.istio routes.",
    },
    {
      name: 'ROLLOUT_INVALID from the controller’s InvalidSpec condition',
      change: o =>
        (o.rollouts![0].status!.conditions = [
          {
            type: 'InvalidSpec',
            status: 'True',
            message:
              'The Rollout "orders" is invalid: spec.strategy.canary.canaryService: Invalid value',
          },
        ]),
      problem:
        'The controller rejects the spec of Rollout shop/orders (The Rollout "orders" is invalid: spec.strategy.canary.canaryService: Invalid value); fix the Rollout (or the objects it names) in Git.',
    },
  ])('$name', ({ change, problem }) => {
    const objects = world('host', progressing);
    change(objects);
    const [release] = computeCanaryReleases(objects);
    expect(release.problems.map(p => p.message)).toEqual([problem]);
    expect(release.phase).toBe('misconfigured');
  });

  it('the header rule counts only before the route the Rollout sets', () => {
    const objects = world('host', progressing);
    const [header, primary] = objects.virtualServices[0].spec!.http!;
    objects.virtualServices[0].spec!.http = [primary, header];
    const [release] = computeCanaryReleases(objects);
    expect(release.headerOverride).toBeUndefined();
  });

  it.each<[string | number | undefined, number | undefined]>([
    ['90', 90],
    ['30s', 30],
    ['10m', 600],
    ['1h', 3600],
    [45, 45],
    [undefined, undefined],
    ['soon', undefined],
  ])('a pause of %j lasts %j seconds', (duration, seconds) => {
    const objects = world('subset', {
      ...progressing,
      status: rolling(3, { pauseConditions: [{ reason: 'CanaryPauseStep' }] }),
    });
    objects.rollouts![0].spec!.strategy!.canary!.steps![3] = {
      pause: duration === undefined ? {} : { duration },
    };
    const [release] = computeCanaryReleases(objects);
    expect(release.rollout?.pauseDurationSeconds).toBe(seconds);
  });
});
