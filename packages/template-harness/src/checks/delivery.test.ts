import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSkeleton } from '../render';
import { partValues } from '../__testUtils__/values';
import { trackHealthQueries } from '@runway/plugin-canary-common';
import { analysisQueries, checkDelivery, rolloutStates } from './delivery';
import { helmBinary, K8sObject, renderChart, repoRoot } from './manifests';
import { checkPrometheusRules, promtoolBinary } from './prometheusRules';

const helm = helmBinary();
const NAMESPACE = 'orders-api';

let outDir: string;
let rendered: K8sObject[];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'delivery-'));
  await renderSkeleton({
    skeleton: 'skeletons/chart',
    values: partValues({ database: true, canary: true }),
    outDir,
  });
  const values = join(outDir, 'test.yaml');
  writeFileSync(values, 'image: {tag: abc123}\n');
  rendered = await renderChart(helm, join(outDir, 'chart'), values, {
    namespace: NAMESPACE,
  });
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const fresh = (): any[] => JSON.parse(JSON.stringify(rendered));
const one = (objects: any[], kind: string, name?: string): any =>
  objects.find(o => o.kind === kind && (!name || o.metadata.name === name));
const canaryOf = (objects: any[]) =>
  one(objects, 'Rollout').spec.strategy.canary;
const primary = (objects: any[]) =>
  one(objects, 'VirtualService').spec.http.find(
    (r: any) => r.name === 'primary',
  );
const query = (objects: any[], template: string) =>
  one(objects, 'AnalysisTemplate', template).spec.metrics[0].provider
    .prometheus;

type Case = [string, (objects: any[]) => void, string[]];

// [rule, change to the rendered chart (canary, database, staging steps), problems expected]
const cases: Case[] = [
  ['the rendered chart', () => {}, []],
  [
    'a third Service selecting the pods of both tracks',
    o =>
      o.push({
        ...one(o, 'Service', 'orders-api'),
        metadata: {
          ...one(o, 'Service', 'orders-api').metadata,
          name: 'orders-api-all',
        },
      }),
    [
      'Service/orders-api-all: selects the pods of Rollout/orders-api but is neither its stableService nor its canaryService, so requests to it reach both tracks',
    ],
  ],
  [
    'the stable Service is not the one named like the service',
    o => {
      canaryOf(o).stableService = 'orders-api-stable';
      o.push({
        ...one(o, 'Service', 'orders-api'),
        metadata: {
          ...one(o, 'Service', 'orders-api').metadata,
          name: 'orders-api-stable',
        },
      });
    },
    [
      'Service/orders-api: selects the pods of Rollout/orders-api but is neither its stableService nor its canaryService',
      'Rollout/orders-api: stableService must be the Service named like the service (orders-api)',
      // The controller would set the weight of orders-api-stable, which the route lacks.
      'WEIGHTS_DO_NOT_SUM_TO_100',
    ],
  ],
  [
    'subset-level routing',
    o =>
      (canaryOf(o).trafficRouting.istio.destinationRule = {
        name: 'orders-api',
        stableSubsetName: 'stable',
        canarySubsetName: 'canary',
      }),
    [
      'Rollout/orders-api: must route by host (stableService and canaryService, no destinationRule)',
    ],
  ],
  [
    'the primary route lacks the canary destination',
    o => primary(o).route.pop(),
    [
      'WEIGHTS_DO_NOT_SUM_TO_100',
      "the canary gets 0 % instead of the step's 50 %",
    ],
  ],
  [
    'weights in Git that do not add up',
    o => (primary(o).route[0].weight = 90),
    // The controller rewrites both weights at every step: only the rendered state is off,
    // and the replay starts from the first step.
    [],
  ],
  [
    'the Rollout names a route the VirtualService lacks',
    o => (primary(o).name = 'default'),
    [
      "UNKNOWN_ROUTE: Rollout orders-api/orders-api sets the weights of the HTTP route 'primary'",
      "the canary gets 0 % instead of the step's 50 %",
    ],
  ],
  [
    'a managed route name no step sets',
    o => canaryOf(o).trafficRouting.managedRoutes.push({ name: 'mirror' }),
    [
      'Rollout/orders-api: managedRoutes names "mirror", which no setHeaderRoute step sets',
    ],
  ],
  [
    'a header route that is not managed',
    o => (canaryOf(o).trafficRouting.managedRoutes = []),
    [
      'Rollout/orders-api: setHeaderRoute "canary-header" is not listed in trafficRouting.managedRoutes',
    ],
  ],
  [
    'a rule in Git with a managed route name',
    o =>
      one(o, 'VirtualService').spec.http.unshift({
        name: 'canary-header',
        match: [{ headers: { 'x-canary': { exact: 'true' } } }],
        route: [{ destination: { host: 'orders-api-canary' } }],
      }),
    [
      'VirtualService/orders-api: the rule "canary-header" is a managed route of Rollout/orders-api; the controller would remove it at the end of a rollout',
    ],
  ],
  [
    'no pod for header requests while the weight is 0',
    o => canaryOf(o).steps.shift(),
    [
      'requests with x-canary: true reach the canary, which has no pod (add a setCanaryScale step): they would get 503',
    ],
  ],
  [
    'no setHeaderRoute step',
    o => {
      canaryOf(o).steps.splice(1, 1);
      canaryOf(o).trafficRouting.managedRoutes = [];
    },
    [
      'Rollout/orders-api: no setHeaderRoute step: requests with x-canary: true never reach the canary',
    ],
  ],
  [
    'gateways without the mesh',
    o => (one(o, 'VirtualService').spec.gateways = ['istio-ingress/public']),
    [
      'VirtualService/orders-api: binds gateways istio-ingress/public but not "mesh": callers inside the cluster would bypass its routing',
    ],
  ],
  [
    'an analysis query that selects the stable Service',
    o => {
      const p = query(o, 'orders-api-success-rate');
      p.query = p.query.replaceAll('{{args.canary-service}}', 'orders-api');
    },
    [
      'AnalysisTemplate/orders-api-success-rate: metric success-rate: the selector of istio_requests_total must select the canary Service\'s Istio metrics (destination_service_name="orders-api-canary"), so stable traffic never dilutes it',
      'AnalysisTemplate/orders-api-success-rate: metric success-rate: the selector of istio_requests_total must select the canary Service\'s Istio metrics (destination_service_name="orders-api-canary")',
    ],
  ],
  [
    'an analysis query on the server-side report',
    o => {
      const p = query(o, 'orders-api-latency');
      p.query = p.query.replace('reporter="source"', 'reporter="destination"');
    },
    [
      'metric latency-p99: the selector of istio_request_duration_milliseconds_bucket must select the canary Service\'s Istio metrics (reporter="source")',
    ],
  ],
  [
    'an analysis query naming an argument the Rollout does not pass',
    o => {
      const p = query(o, 'orders-api-latency');
      p.query = p.query.replace('{{args.namespace}}', '{{args.ns}}');
    },
    [
      'AnalysisTemplate/orders-api-latency: metric latency-p99: {{args.ns}} is not an argument the Rollout passes',
    ],
  ],
  [
    'an analysis query that does not parse',
    o => {
      const p = query(o, 'orders-api-latency');
      p.query = p.query.replace('[2m])))', '[2m]))');
    },
    [
      'AnalysisTemplate/orders-api-latency: metric latency-p99: syntax error at character',
    ],
  ],
  [
    'an AnalysisTemplate the chart does not render',
    o =>
      o.splice(o.indexOf(one(o, 'AnalysisTemplate', 'orders-api-latency')), 1),
    [
      'Rollout/orders-api: runs AnalysisTemplate "orders-api-latency", which the chart does not render',
      "ANALYSIS_TEMPLATE_MISSING: Rollout orders-api/orders-api runs AnalysisTemplate 'orders-api-latency'",
    ],
  ],
  [
    'no migration Job',
    o => o.splice(o.indexOf(one(o, 'Job')), 1),
    [
      'Rollout/orders-api: uses a database but no Job migrates it with its image',
    ],
  ],
  [
    'a migration Job that is not a hook',
    o => (one(o, 'Job').metadata.annotations = {}),
    [
      'Job/orders-api-migrate: must be an Argo CD PreSync hook (argocd.argoproj.io/hook: PreSync) to run before Rollout/orders-api',
      'Job/orders-api-migrate: must be a Helm pre-install,pre-upgrade hook',
    ],
  ],
  [
    'migration pods the Services would select',
    o =>
      Object.assign(one(o, 'Job').spec.template.metadata.labels, {
        'app.kubernetes.io/name': 'orders-api',
        'app.kubernetes.io/instance': 'orders-api',
      }),
    [
      'Job/orders-api-migrate: its pods carry the selector labels of Rollout/orders-api',
    ],
  ],
  [
    'a migration Job with a sidecar',
    o =>
      delete one(o, 'Job').spec.template.metadata.labels[
        'sidecar.istio.io/inject'
      ],
    [
      'Job/orders-api-migrate: an Istio sidecar would keep the Job from completing',
    ],
  ],
  [
    'pods that migrate at start',
    o =>
      (one(o, 'Rollout').spec.template.spec.containers[0].args = [
        'migrate',
        'serve',
      ]),
    [
      'Rollout/orders-api: container orders-api migrates the schema; the migration Job does',
    ],
  ],
];

describe('checkDelivery', () => {
  it.each(cases)('%s', (_name, change, expected) => {
    const objects = fresh();
    change(objects);
    const problems = checkDelivery(objects, { namespace: NAMESPACE });
    expect(problems).toEqual(
      expect.arrayContaining(expected.map(p => expect.stringContaining(p))),
    );
    expect(problems.length > 0).toBe(expected.length > 0);
    // Every problem is one of those expected (each expected text may match several).
    expect(
      problems.filter(problem => !expected.some(e => problem.includes(e))),
    ).toEqual([]);
  });

  it('a plain Deployment (canary off) is checked by the same computation', () => {
    const objects = fresh().filter(
      o =>
        !['Rollout', 'AnalysisTemplate'].includes(o.kind) &&
        o.metadata.name !== 'orders-api-canary',
    );
    const vs = one(objects, 'VirtualService');
    vs.spec.http = [
      {
        name: 'primary',
        route: [{ destination: { host: 'orders-api' }, weight: 90 }],
      },
    ];
    expect(checkDelivery(objects, { namespace: NAMESPACE })).toEqual([
      expect.stringContaining(
        'VirtualService/orders-api: WEIGHTS_DO_NOT_SUM_TO_100: The weights of the default route of VirtualService orders-api/orders-api add up to 90',
      ),
    ]);
  });
});

describe('rolloutStates', () => {
  it('replays weights, canary scale and the header route like the controller', () => {
    const rollout: any = {
      spec: {
        strategy: {
          canary: {
            steps: [
              { setCanaryScale: { replicas: 1 } },
              {
                setHeaderRoute: {
                  name: 'h',
                  match: [
                    { headerName: 'x-canary', headerValue: { exact: 'true' } },
                  ],
                },
              },
              { pause: {} },
              { setCanaryScale: { matchTrafficWeight: true } },
              { setWeight: 10 },
              { setWeight: 50 },
            ],
          },
        },
      },
    };
    expect(
      rolloutStates(rollout, 4).map(s => [
        s.weight,
        s.canaryReplicas,
        s.headerRoutes.length,
        s.done,
      ]),
    ).toEqual([
      [0, 1, 0, false],
      [0, 1, 1, false],
      [0, 1, 1, false],
      [0, 0, 1, false],
      [10, 1, 1, false],
      [50, 2, 1, false],
      [0, 0, 0, true],
    ]);
  });
});

describe('checkPrometheusRules', () => {
  const promtool = promtoolBinary(repoRoot);
  const rule = (expr: string, description = 'fine') => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'orders-api' },
    spec: {
      groups: [
        {
          name: 'orders-api.rules',
          rules: [
            {
              alert: 'OrdersApiDown',
              expr,
              for: '5m',
              annotations: { description },
            },
          ],
        },
      ],
    },
  });

  it("passes the chart's rules", async () => {
    expect(await checkPrometheusRules(rendered, promtool)).toEqual([]);
  }, 60_000);

  it.each([
    [
      'an expression that does not parse',
      rule('sum(rate(up[5m])'),
      'PrometheusRule/orders-api: promtool check rules:',
    ],
    [
      'a broken annotation template',
      rule('up == 0', '{{ $value | nosuchfunction }}'),
      'nosuchfunction',
    ],
    [
      'a PrometheusRule without rules',
      { ...rule('up'), spec: { groups: [{ name: 'g', rules: [] }] } },
      'PrometheusRule/orders-api: has no rule',
    ],
  ])(
    'reports %s',
    async (_name, object, problem) => {
      const problems = await checkPrometheusRules([object], promtool);
      expect(problems).toEqual([expect.stringContaining(problem)]);
    },
    60_000,
  );
});

describe("the Canary tab's health queries", () => {
  it("are the chart's analysis queries, with the Rollout's arguments, over the analysis window", () => {
    const objects = fresh();
    const args = {
      'canary-service': 'orders-api-canary',
      namespace: NAMESPACE,
    };
    const measured = ['success-rate', 'latency'].flatMap(kind =>
      analysisQueries(
        one(objects, 'AnalysisTemplate', `orders-api-${kind}`),
        args,
      ),
    );
    const health = trackHealthQueries(
      { namespace: NAMESPACE, service: 'orders-api-canary' },
      '2m',
    );
    expect(measured).toEqual([
      { metric: 'success-rate', query: `${health.successRate}\n` },
      { metric: 'latency-p99', query: `${health.latencyP99Ms}\n` },
    ]);
  });
});
