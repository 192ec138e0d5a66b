import type { RenderedObject } from '@runway/control-plane';
import {
  DEMO_SERVICES,
  demoValues,
  healthyClusterStatus,
  lastNightlyBackup,
  nextNightlyBackup,
  holdAfterFirstWeight,
  prepareRendered,
  withPrometheusAddress,
} from './plan';

const orders = DEMO_SERVICES.find(s => s.name === 'orders-api')!;

const rollout = (steps: unknown[]): RenderedObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'orders-api' },
  spec: { strategy: { canary: { steps } } },
});
const stepsOf = (o: RenderedObject) => (o as any).spec.strategy.canary.steps;

describe('demoValues', () => {
  it.each([
    ['stable: the running release', 'stable', '1.4.0'],
    [
      'canary: only the new tag (Argo Rollouts starts the canary)',
      'canary',
      '1.5.0',
    ],
  ] as const)('%s', (_, stage, tag) => {
    expect(demoValues(orders, stage)).toEqual({
      image: { repository: orders.imageRepository, tag },
    });
  });
});

describe('holdAfterFirstWeight', () => {
  it.each([
    [
      'inserts an indefinite pause after the first weight',
      [{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 50 }],
      [
        { setWeight: 20 },
        { pause: {} },
        { pause: { duration: '30s' } },
        { setWeight: 50 },
      ],
    ],
    [
      'after a header route step, still after the first weight',
      [{ setHeaderRoute: { name: 'canary-header' } }, { setWeight: 10 }],
      [
        { setHeaderRoute: { name: 'canary-header' } },
        { setWeight: 10 },
        { pause: {} },
      ],
    ],
    [
      'keeps steps that already wait for a person',
      [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }],
      [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }],
    ],
    ['keeps steps without weights', [{ pause: {} }], [{ pause: {} }]],
  ])('%s', (_, steps, expected) => {
    const original = rollout(steps);
    expect(stepsOf(holdAfterFirstWeight(original))).toEqual(expected);
    expect(stepsOf(original)).toEqual(steps); // not mutated
  });
});

describe('withPrometheusAddress', () => {
  it('points every Prometheus metric of an AnalysisTemplate at the address, and nothing else', () => {
    const template: RenderedObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success-rate' },
      spec: {
        metrics: [
          {
            name: 'success-rate',
            provider: {
              prometheus: {
                address:
                  'http://kube-prometheus-stack-prometheus.monitoring:9090',
                query: 'q',
              },
            },
          },
          { name: 'web', provider: { web: { url: 'http://x' } } },
        ],
      },
    };
    const pointed = withPrometheusAddress(template, 'http://127.0.0.1:19090');
    expect((pointed as any).spec.metrics).toEqual([
      {
        name: 'success-rate',
        provider: {
          prometheus: { address: 'http://127.0.0.1:19090', query: 'q' },
        },
      },
      { name: 'web', provider: { web: { url: 'http://x' } } },
    ]);
    const service: RenderedObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders-api' },
    };
    expect(withPrometheusAddress(service, 'http://x')).toBe(service);
  });
});

describe('prepareRendered', () => {
  const rendered: RenderedObject[] = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders-api' } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dashboard', namespace: 'monitoring' },
    },
    rollout([{ setWeight: 20 }, { pause: { duration: '1m' } }]),
  ];

  it('puts objects without a namespace into the service namespace and holds the canary where asked', () => {
    const prepared = prepareRendered(rendered, {
      namespace: 'orders-api',
      prometheusUrl: 'http://127.0.0.1:19090',
      holdCanary: true,
    });
    expect(prepared.map(o => `${o.kind} ${o.metadata?.namespace}`)).toEqual([
      'Service orders-api',
      'ConfigMap monitoring',
      'Rollout orders-api',
    ]);
    expect(stepsOf(prepared[2])).toEqual([
      { setWeight: 20 },
      { pause: {} },
      { pause: { duration: '1m' } },
    ]);
  });

  it('leaves the steps of every other Rollout as the chart renders them', () => {
    const prepared = prepareRendered(rendered, {
      namespace: 'orders-api',
      prometheusUrl: 'http://127.0.0.1:19090',
      holdCanary: false,
    });
    expect(stepsOf(prepared[2])).toEqual([
      { setWeight: 20 },
      { pause: { duration: '1m' } },
    ]);
  });
});

describe("the stand-in operator's statuses", () => {
  const now = new Date('2026-11-28T10:00:00.000Z');

  it('reports every instance ready, the primary, certificates valid for 90 days, and archiving with a WAL archiver', () => {
    const status = healthyClusterStatus(
      {
        metadata: { name: 'orders-api-db' },
        spec: {
          instances: 3,
          plugins: [{ isWALArchiver: true }],
        },
      },
      now,
    );
    expect(status).toMatchObject({
      phase: 'Cluster in healthy state',
      instances: 3,
      readyInstances: 3,
      currentPrimary: 'orders-api-db-1',
      certificates: {
        expirations: {
          'orders-api-db-ca': '2027-02-26 10:00:00 +0000 UTC',
          'orders-api-db-server': '2027-02-26 10:00:00 +0000 UTC',
        },
      },
    });
    expect((status.conditions as any[]).map(c => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['ContinuousArchiving', 'True'],
    ]);
  });

  it('claims no archiving for a cluster without a WAL archiver', () => {
    const status = healthyClusterStatus(
      { metadata: { name: 'x-db' }, spec: { instances: 1 } },
      now,
    );
    expect((status.conditions as any[]).map(c => c.type)).toEqual(['Ready']);
    expect(status.readyInstances).toBe(1);
  });

  it.each([
    [
      "after the night's backup",
      '2026-11-28T10:00:00.000Z',
      '2026-11-28T02:04:00.000Z',
      '2026-11-29T02:00:00.000Z',
    ],
    [
      'before it',
      '2026-11-28T01:00:00.000Z',
      '2026-11-27T02:04:00.000Z',
      '2026-11-28T02:00:00.000Z',
    ],
    [
      'while it runs',
      '2026-11-28T02:02:00.000Z',
      '2026-11-27T02:04:00.000Z',
      '2026-11-29T02:00:00.000Z',
    ],
  ])(
    'nightly backups %s: the last one within 24 h, the next one ahead',
    (_, at, stopped, next) => {
      const time = new Date(at);
      const last = lastNightlyBackup(time);
      expect(last.stoppedAt).toBe(stopped);
      expect(Date.parse(last.stoppedAt) - Date.parse(last.startedAt)).toBe(
        240_000,
      );
      expect(time.getTime() - Date.parse(last.stoppedAt)).toBeLessThan(
        86_400_000,
      );
      expect(nextNightlyBackup(time)).toBe(next);
    },
  );
});
