import { render, screen, within } from '@testing-library/react';
import type {
  ClusterHealth,
  ReleaseHealth,
} from '@runway/plugin-canary-common';
import { LiveHealth, LiveHealthState } from './LiveHealth';

const release: ReleaseHealth = {
  namespace: 'orders',
  virtualService: 'orders-api',
  tracks: [
    {
      track: 'stable',
      namespace: 'orders',
      service: 'orders-api',
      requestRate: 12.5,
      successRate: 0.9991,
      latencyP99Ms: 87.3,
    },
    {
      track: 'canary',
      namespace: 'orders',
      service: 'orders-api-canary',
      requestRate: null,
      successRate: null,
      latencyP99Ms: null,
    },
  ],
};
const cluster = (c: Partial<ClusterHealth>): ClusterHealth => ({
  cluster: 'staging',
  prometheus: 'ok',
  releases: [],
  ...c,
});

describe('LiveHealth', () => {
  it('shows each track’s figures, "No data" where there is none', () => {
    render(
      <LiveHealth
        caption="Live health of orders/orders-api"
        health={{
          state: 'cluster',
          cluster: cluster({ releases: [release] }),
          release,
        }}
      />,
    );
    const table = screen.getByRole('table', {
      name: 'Live health of orders/orders-api',
    });
    const rows = within(table)
      .getAllByRole('row')
      .map(r => [...r.querySelectorAll('th,td')].map(c => c.textContent));
    expect(rows).toEqual([
      ['Track', 'Service', 'Requests', 'Success rate', 'p99 latency'],
      ['stable', 'orders-api', '12.50 req/s', '99.91 %', '87 ms'],
      ['canary', 'orders-api-canary', 'No data', 'No data', 'No data'],
    ]);
    // Prometheus said nothing about the figures: no note.
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('shows what Prometheus says of the figures (e.g. synthetic series) next to them', () => {
    const synthetic =
      'synthetic series from the Runway demo (make demo): generated values, not measured traffic';
    const { rerender } = render(
      <LiveHealth
        caption="Live health of orders/orders-api"
        health={{
          state: 'cluster',
          cluster: cluster({}),
          release: { ...release, notices: [synthetic] },
        }}
      />,
    );
    expect(
      screen.getByRole('note', {
        name: 'Prometheus on Live health of orders/orders-api',
      }),
    ).toHaveTextContent(`Prometheus says of these figures: ${synthetic}`);
    expect(
      screen.getByRole('table', { name: 'Live health of orders/orders-api' }),
    ).toBeInTheDocument();

    rerender(
      <LiveHealth
        caption="Live health of orders/orders-api"
        health={{
          state: 'cluster',
          cluster: cluster({}),
          release: { ...release, notices: ['partial data', synthetic] },
        }}
      />,
    );
    const note = screen.getByRole('note');
    expect(
      within(note)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['partial data', synthetic]);
  });

  it.each<[string, LiveHealthState, string]>([
    ['loading', { state: 'loading' }, 'Loading live health…'],
    [
      'an error',
      { state: 'error', message: 'Request failed with 500' },
      'Live health could not be loaded: Request failed with 500',
    ],
    [
      'no Prometheus configured',
      { state: 'cluster', cluster: cluster({ prometheus: 'not-configured' }) },
      'Prometheus not configured for cluster staging (canary.prometheus.staging.url).',
    ],
    [
      'Prometheus unavailable',
      {
        state: 'cluster',
        cluster: cluster({
          prometheus: 'unavailable',
          message: 'Prometheus did not answer within 5 s',
        }),
      },
      'Prometheus of cluster staging is unavailable: Prometheus did not answer within 5 s.',
    ],
    [
      'a release that cannot be measured per track',
      {
        state: 'cluster',
        cluster: cluster({}),
        release: {
          ...release,
          tracks: [],
          unmeasured: 'The tracks share one Service.',
        },
      },
      'The tracks share one Service.',
    ],
  ])('says so when %s', (_, health, text) => {
    render(<LiveHealth caption="x" health={health} />);
    expect(screen.getByText(text)).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
