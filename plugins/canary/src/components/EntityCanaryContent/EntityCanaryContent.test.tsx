import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { CanaryHealthResponse } from '@runway/plugin-canary-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  CanaryStatusResponse,
  PromotionStatusResponse,
} from '@runway/plugin-canary-common';
import { CanaryApi, canaryApiRef } from '../../api';
import {
  annotatedEntity,
  makeEntity,
  makeResponse,
  misconfiguredRelease,
  notFoundError,
  oneCluster,
  pausedRelease,
  progressingRelease,
  promotedRelease,
  stableRelease,
} from '../../__testUtils__/fixtures';
import { EntityCanaryContent } from './EntityCanaryContent';

function fakeApi(impl: CanaryApi['getStatus']): jest.Mocked<CanaryApi> {
  return {
    getStatus: jest.fn(impl),
    getDatabaseStatus: jest.fn(),
    getHealth: jest.fn<Promise<CanaryHealthResponse>, [CompoundEntityRef]>(
      async () => ({
        entityRef: 'component:default/orders-api',
        window: '5m',
        clusters: [],
      }),
    ),
    runRolloutAction: jest.fn(),
    getPromotion: jest.fn<
      Promise<PromotionStatusResponse>,
      [CompoundEntityRef]
    >(async () => ({
      state: 'not-configured',
      message: 'No Argo CD instance is configured',
      from: 'staging',
      to: 'production',
      gates: [],
    })),
    promoteToProduction: jest.fn(),
  };
}

function answering(response: CanaryStatusResponse) {
  return fakeApi(async () => response);
}

async function renderContent(api: CanaryApi, entity: Entity = annotatedEntity) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [canaryApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityCanaryContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** The card of the release `namespace/virtualService` (its heading's card). */
async function findReleaseCard(title = 'orders/orders-api') {
  const heading = await screen.findByRole('heading', { name: title });
  return heading.closest('li') as HTMLElement;
}

function expectPhase(card: HTMLElement, phase: string) {
  expect(within(card).getByTestId('canary-phase')).toHaveTextContent(
    `Phase: ${phase}`,
  );
}

describe('EntityCanaryContent', () => {
  it('shows progress while the status loads', async () => {
    const api = fakeApi(() => new Promise(() => {}));
    await renderContent(api);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading canary status' }),
    ).toBeInTheDocument();
    expect(api.getStatus).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-api',
    });
  });

  it('explains the annotations when the entity has none, without calling the API', async () => {
    const api = answering(oneCluster());
    await renderContent(api, makeEntity({ 'backstage.io/owner': 'x' }));

    expect(
      screen.getByText('This entity has no Kubernetes annotation'),
    ).toBeInTheDocument();
    const description = screen.getByText(/The Canary tab finds/);
    expect(description).toHaveTextContent('backstage.io/kubernetes-id');
    expect(description).toHaveTextContent(
      'backstage.io/kubernetes-label-selector',
    );
    expect(description).toHaveTextContent('backstage.io/kubernetes-namespace');
    expect(description).toHaveTextContent('catalog-info.yaml');
    expect(api.getStatus).not.toHaveBeenCalled();
  });

  it('accepts the label selector annotation alone', async () => {
    const api = answering(oneCluster(stableRelease));
    await renderContent(
      api,
      makeEntity({ 'backstage.io/kubernetes-label-selector': 'app=orders' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Cluster prod-eu-1' }),
    ).toBeInTheDocument();
    expect(api.getStatus).toHaveBeenCalledTimes(1);
  });

  it('says the entity was not found or may not be viewed on a 404', async () => {
    const error = await notFoundError();
    const api = fakeApi(async () => {
      throw error;
    });
    await renderContent(api);
    expect(
      await screen.findByText(/Entity not found, or you may not view it/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: /Cluster/ })).toBeNull();
  });

  it('shows other request errors with their message', async () => {
    const api = fakeApi(async () => {
      throw new Error('Network down');
    });
    await renderContent(api);
    expect(
      await screen.findByText(/Could not load the canary status: Network down/),
    ).toBeInTheDocument();
  });

  it('shows a failed cluster as an error card next to a healthy one', async () => {
    const api = answering(
      makeResponse([
        {
          cluster: 'prod-eu-1',
          error: { message: 'connect ETIMEDOUT 10.0.0.1:443', statusCode: 503 },
          releases: [],
        },
        { cluster: 'prod-us-1', releases: [progressingRelease] },
      ]),
    );
    await renderContent(api);

    const failed = (
      await screen.findByRole('heading', { name: 'Cluster prod-eu-1' })
    ).closest('section') as HTMLElement;
    expect(
      within(failed).getByText(/Could not read cluster prod-eu-1/),
    ).toBeInTheDocument();
    expect(
      within(failed).getByText('connect ETIMEDOUT 10.0.0.1:443 (status 503)'),
    ).toBeInTheDocument();
    expect(within(failed).queryByRole('img')).toBeNull();

    const healthy = screen
      .getByRole('heading', { name: 'Cluster prod-us-1' })
      .closest('section') as HTMLElement;
    expect(
      within(healthy).getByRole('heading', { name: 'orders/orders-api' }),
    ).toBeInTheDocument();
    expect(within(healthy).queryByText(/Could not read cluster/)).toBeNull();
  });

  it('says so when a cluster has no canary-routed releases', async () => {
    await renderContent(answering(oneCluster()));
    const section = (
      await screen.findByRole('heading', { name: 'Cluster prod-eu-1' })
    ).closest('section') as HTMLElement;
    expect(
      within(section).getByText('No canary-routed releases in this cluster.'),
    ).toBeInTheDocument();
  });

  it('says so when no cluster is configured', async () => {
    await renderContent(answering(makeResponse([])));
    expect(await screen.findByText('No clusters')).toBeInTheDocument();
  });

  it('shows a stable release: all traffic on stable', async () => {
    await renderContent(answering(oneCluster(stableRelease)));
    const card = await findReleaseCard();

    expectPhase(card, 'Stable');
    const bar = within(card).getByRole('img', {
      name: 'Traffic: 100% stable (v1), 0% canary (v2)',
    });
    expect(within(bar).getByText('100% stable · v1')).toBeInTheDocument();
    // A 0% side takes no room in the bar.
    expect(within(bar).queryByText(/canary/)).toBeNull();
    expect(within(card).getByText('orders.example.com')).toBeInTheDocument();
    expect(
      within(card).getByText('orders-api.orders.svc.cluster.local'),
    ).toBeInTheDocument();
  });

  it('shows a progressing 80/20 split with versions, weights and replicas', async () => {
    await renderContent(answering(oneCluster(progressingRelease)));
    const card = await findReleaseCard();

    expectPhase(card, 'Progressing');

    const bar = within(card).getByRole('img', {
      name: 'Traffic: 80% stable (v1), 20% canary (v2)',
    });
    expect(within(bar).getByText('80% stable · v1')).toBeInTheDocument();
    expect(within(bar).getByText('20% canary · v2')).toBeInTheDocument();
    expect(within(bar).getByTestId('traffic-segment-stable')).toHaveStyle({
      width: '80%',
    });
    expect(within(bar).getByTestId('traffic-segment-canary')).toHaveStyle({
      width: '20%',
    });

    const table = within(card).getByRole('table', {
      name: 'Versions and replicas of orders/orders-api',
    });
    const stableRow = within(table).getByRole('row', { name: /^Stable/ });
    expect(stableRow).toHaveTextContent('stable');
    expect(within(stableRow).getByText('v1')).toBeInTheDocument();
    expect(within(stableRow).getByText('80%')).toBeInTheDocument();
    expect(within(stableRow).getByText('3/3 ready')).toBeInTheDocument();
    expect(
      within(stableRow).getByText('ghcr.io/runway/orders-api:v1'),
    ).toBeInTheDocument();

    const canaryRow = within(table).getByRole('row', { name: /^Canary/ });
    expect(within(canaryRow).getByText('v2')).toBeInTheDocument();
    expect(within(canaryRow).getByText('20%')).toBeInTheDocument();
    expect(within(canaryRow).getByText('1/2 ready')).toBeInTheDocument();
    expect(
      within(canaryRow).getByText('ghcr.io/runway/orders-api:v2'),
    ).toBeInTheDocument();
    expect(
      within(canaryRow).getByText('ghcr.io/runway/sidecar:1.4'),
    ).toBeInTheDocument();
  });

  it('shows a promoted release', async () => {
    await renderContent(answering(oneCluster(promotedRelease)));
    const card = await findReleaseCard();
    expectPhase(card, 'Promoted');
    expect(
      within(card).getByRole('img', {
        name: 'Traffic: 0% stable (v1), 100% canary (v2)',
      }),
    ).toBeInTheDocument();
  });

  it('shows the promotion to production once under staging, however many releases run there', async () => {
    const api = answering(
      makeResponse([
        {
          cluster: 'staging',
          releases: [
            pausedRelease,
            { ...stableRelease, virtualService: 'orders-api-admin' },
          ],
        },
        { cluster: 'production', releases: [stableRelease] },
      ]),
    );
    await renderContent(api);
    const staging = (
      await screen.findByRole('heading', { name: 'Cluster staging' })
    ).closest('section') as HTMLElement;
    const production = screen
      .getByRole('heading', { name: 'Cluster production' })
      .closest('section') as HTMLElement;
    expect(
      within(staging).getAllByRole('heading', { name: /^orders\// }),
    ).toHaveLength(2);
    const promotion = within(staging).getByRole('region', {
      name: 'Promotion to production',
    });
    expect(
      await within(promotion).findByText('No Argo CD instance is configured'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('heading', { name: 'Promotion to production' }),
    ).toHaveLength(1);
    expect(
      within(production).queryByText('Promotion to production'),
    ).not.toBeInTheDocument();
    expect(api.getPromotion).toHaveBeenCalledTimes(1);
  });

  it('shows no promotion under a staging cluster that reported an error', async () => {
    const api = answering(
      makeResponse([
        {
          cluster: 'staging',
          releases: [],
          error: { message: 'denied', statusCode: 403 },
        },
      ]),
    );
    await renderContent(api);
    await screen.findByRole('heading', { name: 'Cluster staging' });
    expect(
      screen.queryByRole('heading', { name: 'Promotion to production' }),
    ).not.toBeInTheDocument();
    expect(api.getPromotion).not.toHaveBeenCalled();
  });

  it('shows a paused release', async () => {
    await renderContent(answering(oneCluster(pausedRelease)));
    const card = await findReleaseCard();
    expectPhase(card, 'Paused');
    expect(
      within(card).getByRole('img', {
        name: 'Traffic: 50% stable (v1), 50% canary (v2)',
      }),
    ).toBeInTheDocument();
    // No replica data: said in words.
    expect(within(card).getAllByText('unknown').length).toBeGreaterThan(0);
  });

  it('lists the problems of a misconfigured release with their severity', async () => {
    await renderContent(answering(oneCluster(misconfiguredRelease)));
    const card = await findReleaseCard();

    expectPhase(card, 'Misconfigured');
    expect(
      within(card).getByRole('img', {
        name: 'Traffic: 70% stable (v1), 20% canary (version unknown), 10% unrouted',
      }),
    ).toBeInTheDocument();

    const problems = within(card).getByRole('list', { name: 'Problems (2)' });
    const items = within(problems).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      'Error: The default route weights sum to 90, not 100; set them so they add up to 100.',
    );
    expect(items[0]).toHaveTextContent('WEIGHTS_DO_NOT_SUM_TO_100');
    expect(items[1]).toHaveTextContent(
      'Warning: No canary pod is ready; check the canary Deployment.',
    );
  });

  it('has no problems section when a release has none', async () => {
    await renderContent(answering(oneCluster(stableRelease)));
    const card = await findReleaseCard();
    expect(
      within(card).queryByRole('heading', { name: /Problems/ }),
    ).toBeNull();
  });

  it('shows the header override as a copyable curl command', async () => {
    await renderContent(answering(oneCluster(progressingRelease)));
    const card = await findReleaseCard();

    expect(
      within(card).getByRole('heading', { name: 'Header override' }),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        "curl -H 'x-canary: always' http://orders.example.com/",
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: 'Copy the curl command' }),
    ).toBeInTheDocument();
  });

  it('copies the curl command with the copy button', async () => {
    const copied: string[] = [];
    const execCommand = jest.fn((command: string) => {
      if (command === 'copy') {
        copied.push(String(document.getSelection()));
      }
      return true;
    });
    Object.defineProperty(document, 'execCommand', {
      configurable: true,
      value: execCommand,
    });
    try {
      await renderContent(answering(oneCluster(progressingRelease)));
      const card = await findReleaseCard();
      await userEvent.click(
        within(card).getByRole('button', { name: 'Copy the curl command' }),
      );
      expect(execCommand).toHaveBeenCalledWith('copy');
      expect(copied).toEqual([
        "curl -H 'x-canary: always' http://orders.example.com/",
      ]);
    } finally {
      delete (document as any).execCommand;
    }
  });

  it('has no header override hint without an override', async () => {
    await renderContent(answering(oneCluster(stableRelease)));
    const card = await findReleaseCard();
    expect(within(card).queryByText(/curl -H/)).toBeNull();
    expect(within(card).queryByRole('button', { name: /Copy/ })).toBeNull();
  });

  it('refreshes on demand with the refresh button', async () => {
    const api = answering(oneCluster(stableRelease));
    await renderContent(api);
    await findReleaseCard();
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh canary status' }),
    );
    await waitFor(() => expect(api.getStatus).toHaveBeenCalledTimes(2));
  });

  it('keeps the last status and warns when a refresh fails', async () => {
    const api = fakeApi(async () => oneCluster(stableRelease));
    await renderContent(api);
    await findReleaseCard();
    api.getStatus.mockRejectedValueOnce(new Error('Gateway timeout'));
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh canary status' }),
    );
    expect(
      await screen.findByText(/Could not refresh the canary status/),
    ).toBeInTheDocument();
    expect(screen.getByText('Gateway timeout')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'orders/orders-api' }),
    ).toBeInTheDocument();
  });
  it('shows a Rollout’s progress, analysis, live health and actions', async () => {
    const release = {
      ...pausedRelease,
      stable: { subset: 'orders-api', weight: 80 },
      canary: { subset: 'orders-api-canary', weight: 20 },
      rollout: {
        name: 'orders-api',
        routing: 'host' as const,
        stepCount: 4,
        currentStepIndex: 1,
        setWeight: 20,
        paused: true,
        pausedByUser: false,
        pauseReasons: ['CanaryPauseStep'],
        aborted: false,
        stableRevision: 'aaa',
        canaryRevision: 'bbb',
      },
      analysisRuns: [
        { name: 'orders-api-bbb-1', phase: 'Successful', metrics: [] },
      ],
    };
    const api = answering(oneCluster(release));
    api.getHealth.mockImplementation(async () => ({
      entityRef: 'component:default/orders-api',
      window: '5m',
      clusters: [
        { cluster: 'prod-eu-1', prometheus: 'not-configured', releases: [] },
      ],
    }));
    await renderContent(api);
    const card = await findReleaseCard();

    expect(within(card).getByTestId('rollout-progress')).toHaveTextContent(
      'Step 2 of 4: 20 %, waiting for a person to promote',
    );
    expect(
      within(card).getByRole('list', { name: 'Analysis of orders/orders-api' }),
    ).toHaveTextContent('orders-api-bbb-1: Successful');
    expect(
      await within(card).findByText(
        'Prometheus not configured for cluster prod-eu-1 (canary.prometheus.prod-eu-1.url).',
      ),
    ).toBeInTheDocument();
    const actions = within(card).getByRole('group', {
      name: 'Actions on Rollout orders/orders-api in prod-eu-1',
    });
    expect(
      within(actions)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Promote', 'Promote fully', 'Abort', 'Retry']);
    expect(api.getHealth).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-api',
    });
  });

  it("shows each track's revision and the analysis measurements of a Rollout's release", async () => {
    // As the backend serves a Rollout with its ReplicaSets and AnalysisRuns (plugin.test.ts).
    const release = {
      ...pausedRelease,
      stable: {
        subset: 'orders-api',
        weight: 75,
        version: '1.4.0',
        replicas: { ready: 2, desired: 2 },
        revision: 'aaa111',
      },
      canary: {
        subset: 'orders-api-canary',
        weight: 25,
        version: '1.5.0',
        replicas: { ready: 1, desired: 2 },
        revision: 'bbb222',
      },
      analysisRuns: [
        {
          name: 'orders-api-bbb222-2',
          phase: 'Failed',
          type: 'Step',
          metrics: [
            {
              name: 'success-rate',
              phase: 'Failed',
              successCondition: 'result[0] >= 0.99',
              count: 2,
              successful: 1,
              failed: 1,
              inconclusive: 0,
              error: 0,
              lastMeasurement: { phase: 'Failed', value: '[0.93]' },
            },
          ],
        },
        {
          name: 'orders-api-bbb222-1',
          phase: 'Successful',
          metrics: [
            {
              name: 'success-rate',
              phase: 'Successful',
              successCondition: 'result[0] >= 0.99',
              count: 1,
              successful: 1,
              failed: 0,
              inconclusive: 0,
              error: 0,
              lastMeasurement: { phase: 'Successful', value: '[0.999]' },
            },
          ],
        },
      ],
    };
    await renderContent(answering(oneCluster(release)));
    const card = await findReleaseCard();

    const table = within(card).getByRole('table', {
      name: 'Versions and replicas of orders/orders-api',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .map(row =>
          Array.from(row.querySelectorAll('th, td'))
            .slice(0, 5)
            .map(c => c.textContent),
        ),
    ).toEqual([
      ['Track', 'Subset', 'Version', 'Revision', 'Traffic'],
      ['Stable', 'orders-api', '1.4.0', 'aaa111', '75%'],
      ['Canary', 'orders-api-canary', '1.5.0', 'bbb222', '25%'],
    ]);

    const runs = within(
      within(card).getByRole('list', { name: 'Analysis of orders/orders-api' }),
    ).getAllByRole('listitem');
    expect(runs.map(r => r.textContent)).toEqual([
      'orders-api-bbb222-2: Failed' +
        'success-rate Failed: last [0.93] (Failed), needs result[0] >= 0.99',
      'orders-api-bbb222-1: Successful' +
        'success-rate Successful: last [0.999] (Successful), needs result[0] >= 0.99',
    ]);
  });

  it('has no revision column when no track has a known revision', async () => {
    await renderContent(answering(oneCluster(progressingRelease)));
    const card = await findReleaseCard();
    const table = within(card).getByRole('table', {
      name: 'Versions and replicas of orders/orders-api',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(c => c.textContent),
    ).toEqual(['Track', 'Subset', 'Version', 'Traffic', 'Replicas', 'Images']);
  });
});

describe('EntityCanaryContent refresh', () => {
  let visibility: DocumentVisibilityState;

  function setVisibility(state: DocumentVisibilityState) {
    visibility = state;
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
  }

  async function advance(ms: number) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(ms);
    });
  }

  beforeEach(() => {
    visibility = 'visible';
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => visibility,
    });
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
    delete (document as any).visibilityState;
  });

  it('refetches every 10 s while visible and ticks "Updated N s ago"', async () => {
    const api = answering(oneCluster(stableRelease));
    await renderContent(api);
    await advance(0);
    expect(
      screen.getByRole('heading', { name: 'orders/orders-api' }),
    ).toBeInTheDocument();
    expect(api.getStatus).toHaveBeenCalledTimes(1);
    expect(screen.getByText('0 s ago')).toBeInTheDocument();

    await advance(5_000);
    expect(screen.getByText('5 s ago')).toBeInTheDocument();
    expect(screen.getByText(/^Updated/)).toHaveTextContent('Updated 5 s ago');

    await advance(4_900);
    expect(api.getStatus).toHaveBeenCalledTimes(1);

    await advance(100);
    expect(api.getStatus).toHaveBeenCalledTimes(2);
    expect(screen.getByText('0 s ago')).toBeInTheDocument();

    await advance(10_000);
    expect(api.getStatus).toHaveBeenCalledTimes(3);
  });

  it('does not poll while the document is hidden and refreshes on becoming visible', async () => {
    const api = answering(oneCluster(stableRelease));
    await renderContent(api);
    await advance(0);
    expect(api.getStatus).toHaveBeenCalledTimes(1);

    setVisibility('hidden');
    await advance(60_000);
    expect(api.getStatus).toHaveBeenCalledTimes(1);

    setVisibility('visible');
    await advance(0);
    expect(api.getStatus).toHaveBeenCalledTimes(2);

    await advance(10_000);
    expect(api.getStatus).toHaveBeenCalledTimes(3);
  });

  it('loads once but does not poll when mounted in a hidden tab', async () => {
    visibility = 'hidden';
    const api = answering(oneCluster(stableRelease));
    await renderContent(api);
    await advance(0);
    expect(
      screen.getByRole('heading', { name: 'orders/orders-api' }),
    ).toBeInTheDocument();

    await advance(60_000);
    expect(api.getStatus).toHaveBeenCalledTimes(1);
  });

  it('stops polling when unmounted', async () => {
    const api = answering(oneCluster(stableRelease));
    const { unmount } = await renderContent(api);
    await advance(0);
    unmount();
    await advance(60_000);
    expect(api.getStatus).toHaveBeenCalledTimes(1);
  });
});
