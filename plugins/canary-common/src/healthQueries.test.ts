import {
  releaseHealthTargets,
  trackHealthQueries,
  trackMatchers,
} from './healthQueries';

describe('trackHealthQueries', () => {
  it('builds the AnalysisTemplates’ queries for one track over 5 minutes', () => {
    expect(
      trackHealthQueries({ namespace: 'orders', service: 'orders-api-canary' }),
    ).toEqual({
      requestRate:
        'sum(rate(istio_requests_total{reporter="source", destination_service_namespace="orders", destination_service_name="orders-api-canary"}[5m]))',
      successRate:
        'sum(rate(istio_requests_total{reporter="source", destination_service_namespace="orders", destination_service_name="orders-api-canary", response_code!~"5.."}[5m]))\n' +
        '/\n' +
        'sum(rate(istio_requests_total{reporter="source", destination_service_namespace="orders", destination_service_name="orders-api-canary"}[5m]))',
      latencyP99Ms:
        'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="source", destination_service_namespace="orders", destination_service_name="orders-api-canary"}[5m])))',
    });
  });

  it('takes the analysis window', () => {
    expect(
      trackHealthQueries({ namespace: 'a', service: 'b' }, '2m').requestRate,
    ).toBe(
      'sum(rate(istio_requests_total{reporter="source", destination_service_namespace="a", destination_service_name="b"}[2m]))',
    );
  });

  it.each(['5', '0m', '5 m', '5m]', ''])('refuses the window "%s"', w => {
    expect(() =>
      trackHealthQueries({ namespace: 'a', service: 'b' }, w),
    ).toThrow(`window must be a Prometheus duration such as 5m, got "${w}"`);
  });

  it('escapes quotes and backslashes in label values', () => {
    expect(trackMatchers({ namespace: 'a"b', service: 'c\\d' })).toBe(
      'reporter="source", destination_service_namespace="a\\"b", destination_service_name="c\\\\d"',
    );
  });
});

describe('releaseHealthTargets', () => {
  const hostRouted = (stable: string, canary?: string) => ({
    namespace: 'orders',
    stable: { subset: stable },
    ...(canary && { canary: { subset: canary } }),
    rollout: { routing: 'host' },
  });

  it.each([
    [
      'short Service names, in the release’s namespace',
      hostRouted('orders-api', 'orders-api-canary'),
      [
        {
          track: 'stable',
          target: { namespace: 'orders', service: 'orders-api' },
        },
        {
          track: 'canary',
          target: { namespace: 'orders', service: 'orders-api-canary' },
        },
      ],
    ],
    [
      'FQDNs name their namespace',
      hostRouted('orders-api.shop.svc.cluster.local', 'orders-api-canary.shop'),
      [
        {
          track: 'stable',
          target: { namespace: 'shop', service: 'orders-api' },
        },
        {
          track: 'canary',
          target: { namespace: 'shop', service: 'orders-api-canary' },
        },
      ],
    ],
    [
      'no canary track: stable only',
      hostRouted('orders-api'),
      [
        {
          track: 'stable',
          target: { namespace: 'orders', service: 'orders-api' },
        },
      ],
    ],
    [
      'an external host is no Service',
      hostRouted('orders-api', 'api.example.com'),
      'The canary track routes to api.example.com, which is not a Service of the cluster.',
    ],
    [
      'DestinationRule subsets share one Service',
      {
        namespace: 'orders',
        stable: { subset: 'stable' },
        canary: { subset: 'canary' },
      },
      'The tracks share one Service (DestinationRule subsets), so their requests cannot be told apart in Istio’s metrics; live health needs a Service per track.',
    ],
  ])('%s', (_, release, expected) => {
    expect(releaseHealthTargets(release)).toEqual(expected);
  });
});
