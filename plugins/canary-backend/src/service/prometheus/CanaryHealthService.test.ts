import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  CanaryRelease,
  CanaryStatusResponse,
  trackHealthQueries,
} from '@runway/plugin-canary-common';
import { FakePrometheus } from '../../__testUtils__/FakePrometheus';
import {
  CanaryHealthService,
  readPrometheusEndpoints,
} from './CanaryHealthService';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
};

/** A host-routed canary release, as the status reports the service chart's Rollout. */
const release = (namespace = 'orders'): CanaryRelease => ({
  namespace,
  virtualService: 'orders-api',
  hosts: ['orders-api'],
  phase: 'paused',
  stable: { subset: 'orders-api', weight: 80 },
  canary: { subset: 'orders-api-canary', weight: 20 },
  problems: [],
  rollout: {
    name: 'orders-api',
    routing: 'host',
    stepCount: 4,
    currentStepIndex: 1,
    setWeight: 20,
    paused: true,
    pausedByUser: false,
    pauseReasons: ['CanaryPauseStep'],
    aborted: false,
  },
});

const status = (
  clusters: CanaryStatusResponse['clusters'],
): { getStatus: jest.Mock } => ({
  getStatus: jest.fn(async () => ({
    entityRef: 'component:default/orders-api',
    clusters,
  })),
});

const stableQ = trackHealthQueries({
  namespace: 'orders',
  service: 'orders-api',
});
const canaryQ = trackHealthQueries({
  namespace: 'orders',
  service: 'orders-api-canary',
});

describe('CanaryHealthService', () => {
  let prometheus: FakePrometheus;
  let other: FakePrometheus;
  beforeEach(async () => {
    prometheus = await FakePrometheus.start({ pathPrefix: '/prometheus' });
    other = await FakePrometheus.start();
  });
  afterEach(async () => {
    await prometheus.stop();
    await other.stop();
  });

  const endpoints = (timeoutMs = 1000) =>
    new Map([
      [
        'staging',
        { url: prometheus.url, authorization: 'Bearer s3cret', timeoutMs },
      ],
      ['production', { url: other.url, timeoutMs }],
    ]);

  it('answers each track from the AnalysisTemplates’ queries, with the authorization header', async () => {
    prometheus.answer(stableQ.requestRate, { value: '12.5' });
    prometheus.answer(stableQ.successRate, { value: '0.999' });
    prometheus.answer(stableQ.latencyP99Ms, { value: '87.3' });
    prometheus.answer(canaryQ.requestRate, { value: '3.1' });
    prometheus.answer(canaryQ.successRate, { value: '0.95' });
    prometheus.answer(canaryQ.latencyP99Ms, { value: 'NaN' });
    const service = new CanaryHealthService({
      status: status([
        { cluster: 'staging', releases: [release()] },
        { cluster: 'preview', releases: [release()] },
      ]),
      endpoints: endpoints(),
    });

    expect(await service.getHealth(entity)).toEqual({
      entityRef: 'component:default/orders-api',
      window: '5m',
      clusters: [
        {
          cluster: 'staging',
          prometheus: 'ok',
          releases: [
            {
              namespace: 'orders',
              virtualService: 'orders-api',
              tracks: [
                {
                  track: 'stable',
                  namespace: 'orders',
                  service: 'orders-api',
                  requestRate: 12.5,
                  successRate: 0.999,
                  latencyP99Ms: 87.3,
                },
                {
                  track: 'canary',
                  namespace: 'orders',
                  service: 'orders-api-canary',
                  requestRate: 3.1,
                  successRate: 0.95,
                  // NaN (no request in a histogram bucket): no data.
                  latencyP99Ms: null,
                },
              ],
            },
          ],
        },
        { cluster: 'preview', prometheus: 'not-configured', releases: [] },
      ],
    });
    expect(prometheus.queries.map(q => q.query).sort()).toEqual(
      [...Object.values(stableQ), ...Object.values(canaryQ)].sort(),
    );
    expect(new Set(prometheus.queries.map(q => q.authorization))).toEqual(
      new Set(['Bearer s3cret']),
    );
    expect(new Set(prometheus.queries.map(q => q.path))).toEqual(
      new Set(['/prometheus/api/v1/query']),
    );
  });

  it('passes on what Prometheus says about the figures (infos, warnings), once each, and nothing when it says nothing', async () => {
    const synthetic =
      'synthetic series from the Runway demo (make demo): generated values, not measured traffic';
    prometheus.answerAll({ value: '1', infos: [synthetic] });
    prometheus.answer(canaryQ.latencyP99Ms, {
      value: '120',
      infos: [synthetic],
      warnings: ['PromQL warning: encountered a mix of histograms and floats'],
    });
    other.answerAll({ value: '1' });
    const service = new CanaryHealthService({
      status: status([
        { cluster: 'staging', releases: [release()] },
        { cluster: 'production', releases: [release()] },
      ]),
      endpoints: endpoints(),
    });
    const [staging, production] = (await service.getHealth(entity)).clusters;
    expect(staging.releases[0].notices).toEqual([
      'PromQL warning: encountered a mix of histograms and floats',
      synthetic,
    ]);
    expect(staging.releases[0].tracks.map(t => t.latencyP99Ms)).toEqual([
      1, 120,
    ]);
    expect(production.releases[0]).not.toHaveProperty('notices');
  });

  it('reports no data as nulls', async () => {
    const service = new CanaryHealthService({
      status: status([{ cluster: 'staging', releases: [release()] }]),
      endpoints: endpoints(),
    });
    const [cluster] = (await service.getHealth(entity)).clusters;
    expect(cluster.prometheus).toBe('ok');
    expect(
      cluster.releases[0].tracks.map(t => [
        t.requestRate,
        t.successRate,
        t.latencyP99Ms,
      ]),
    ).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
  });

  it('a slow Prometheus is that cluster’s "unavailable", the other cluster still answers', async () => {
    prometheus.answerAll({ value: '1', delayMs: 5000 });
    other.answerAll({ value: '1' });
    const service = new CanaryHealthService({
      status: status([
        { cluster: 'staging', releases: [release()] },
        { cluster: 'production', releases: [release()] },
      ]),
      // Only staging's timeout is short: the other must answer even on a loaded machine.
      endpoints: new Map([
        ['staging', { url: prometheus.url, timeoutMs: 300 }],
        ['production', { url: other.url, timeoutMs: 10_000 }],
      ]),
    });
    const { clusters } = await service.getHealth(entity);
    expect(clusters[0]).toEqual({
      cluster: 'staging',
      prometheus: 'unavailable',
      message: 'Prometheus did not answer within 0.3 s',
      releases: [],
    });
    expect(clusters[1].prometheus).toBe('ok');
    expect(clusters[1].releases[0].tracks[0].requestRate).toBe(1);
  });

  it.each([
    [
      'an error of the query API',
      {
        status: 422,
        body: {
          status: 'error',
          errorType: 'execution',
          error: 'query timed out',
        },
      },
      'Prometheus answered 422: execution: query timed out',
    ],
    [
      'a proxy in front answering 502',
      { status: 502, body: 'Bad Gateway' },
      'Prometheus answered 502',
    ],
  ])(
    '%s is "unavailable" with the reason, never the credentials',
    async (_, answer, message) => {
      prometheus.answerAll(answer as any);
      const service = new CanaryHealthService({
        status: status([{ cluster: 'staging', releases: [release()] }]),
        endpoints: endpoints(),
      });
      const { clusters } = await service.getHealth(entity);
      expect(clusters[0]).toEqual({
        cluster: 'staging',
        prometheus: 'unavailable',
        message,
        releases: [],
      });
      expect(JSON.stringify(clusters)).not.toContain('s3cret');
    },
  );

  it('an unreachable Prometheus is "unavailable"', async () => {
    const url = other.url;
    await other.stop();
    const service = new CanaryHealthService({
      status: status([{ cluster: 'production', releases: [release()] }]),
      endpoints: new Map([['production', { url, timeoutMs: 1000 }]]),
    });
    const { clusters } = await service.getHealth(entity);
    expect(clusters[0].prometheus).toBe('unavailable');
    expect(clusters[0].message).toBe(
      'Prometheus is unreachable (ECONNREFUSED)',
    );
    other = await FakePrometheus.start();
  });

  it('reuses a release’s results for 15 s, failures included', async () => {
    let now = 1_000_000;
    const service = new CanaryHealthService({
      status: status([{ cluster: 'staging', releases: [release()] }]),
      endpoints: endpoints(),
      now: () => now,
    });
    await Promise.all([service.getHealth(entity), service.getHealth(entity)]);
    expect(prometheus.queries).toHaveLength(6);
    now += 14_999;
    await service.getHealth(entity);
    expect(prometheus.queries).toHaveLength(6);
    now += 2;
    prometheus.answerAll({
      status: 503,
      body: { status: 'error', error: 'down' },
    });
    const failed = await service.getHealth(entity);
    expect(failed.clusters[0].prometheus).toBe('unavailable');
    // The first failure settles the release; let the other queries of that round land.
    await new Promise(r => setTimeout(r, 200));
    const asked = prometheus.queries.length;
    expect(asked).toBeGreaterThan(6);
    now += 1000;
    const again = await service.getHealth(entity);
    await new Promise(r => setTimeout(r, 200));
    expect(again.clusters[0].prometheus).toBe('unavailable');
    expect(prometheus.queries).toHaveLength(asked);
  });

  it('does not query for a release whose tracks share a Service', async () => {
    const subsets: CanaryRelease = {
      ...release(),
      stable: { subset: 'stable', weight: 80 },
      canary: { subset: 'canary', weight: 20 },
      rollout: undefined,
    };
    const service = new CanaryHealthService({
      status: status([{ cluster: 'staging', releases: [subsets] }]),
      endpoints: endpoints(),
    });
    const { clusters } = await service.getHealth(entity);
    expect(clusters[0].releases).toEqual([
      {
        namespace: 'orders',
        virtualService: 'orders-api',
        tracks: [],
        unmeasured: expect.stringContaining('DestinationRule subsets'),
      },
    ]);
    expect(prometheus.queries).toEqual([]);
  });
});

describe('readPrometheusEndpoints', () => {
  it('reads each cluster’s url, secret header and timeout', () => {
    expect(
      readPrometheusEndpoints(
        new ConfigReader({
          canary: {
            prometheus: {
              staging: { url: 'http://prom:9090', authorization: 'Bearer x' },
              production: {
                url: 'https://prom.example.com',
                timeoutSeconds: 2,
              },
            },
          },
        }),
      ),
    ).toEqual(
      new Map([
        [
          'staging',
          {
            url: 'http://prom:9090',
            authorization: 'Bearer x',
            timeoutMs: 5000,
          },
        ],
        ['production', { url: 'https://prom.example.com', timeoutMs: 2000 }],
      ]),
    );
  });

  it.each([
    [
      { url: 'prom:9090x' },
      'canary.prometheus.staging.url must be an http(s) URL, got "prom:9090x"',
    ],
    [
      { url: 'ftp://prom' },
      'canary.prometheus.staging.url must be an http(s) URL, got "ftp://prom"',
    ],
    [
      { url: 'http://prom', timeoutSeconds: 60 },
      'canary.prometheus.staging.timeoutSeconds must be more than 0 and at most 30, got 60',
    ],
  ])('refuses %j', (staging, message) => {
    expect(() =>
      readPrometheusEndpoints(
        new ConfigReader({ canary: { prometheus: { staging } } }),
      ),
    ).toThrow(message);
  });
});
