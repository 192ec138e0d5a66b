import type { CanaryHealthResponse } from '@runway/plugin-canary-common';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { DatabaseStatusResponse } from '@runway/plugin-canary-common';
import { CanaryApi, canaryApiRef } from '../../api';
import {
  annotatedEntity,
  makeDatabaseResponse,
  makePostgresCluster,
  notFoundError,
} from '../../__testUtils__/fixtures';
import { EntityDatabaseCard } from './EntityDatabaseCard';

function fakeApi(impl: CanaryApi['getDatabaseStatus']): jest.Mocked<CanaryApi> {
  return {
    getStatus: jest.fn(),
    getDatabaseStatus: jest.fn(impl),
    getHealth: jest.fn<Promise<CanaryHealthResponse>, [CompoundEntityRef]>(
      async () => ({
        entityRef: 'component:default/orders-api',
        window: '5m',
        clusters: [],
      }),
    ),
    runRolloutAction: jest.fn(),
    getPromotion: jest.fn(),
    promoteToProduction: jest.fn(),
  };
}

async function renderCard(api: CanaryApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[canaryApiRef, api]]}>
      <EntityProvider entity={annotatedEntity}>
        <EntityDatabaseCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const answering = (response: DatabaseStatusResponse) =>
  fakeApi(async () => response);

/** The value shown in the row `label` of the database's table. */
function row(label: string): string {
  const header = screen.getByRole('rowheader', { name: label });
  return header.closest('tr')!.querySelectorAll('td')[0].textContent ?? '';
}

describe('EntityDatabaseCard', () => {
  it('shows progress while the databases load', async () => {
    await renderCard(fakeApi(() => new Promise(() => {})));
    expect(
      await screen.findByRole('progressbar', { name: 'Loading databases' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Database')).toBeInTheDocument();
  });

  it("shows a healthy cluster's phase, instances, primary, version, storage, archiving, backups and certificates", async () => {
    const api = answering(
      makeDatabaseResponse([
        { cluster: 'production', databases: [makePostgresCluster()] },
      ]),
    );
    await renderCard(api);
    expect(
      await screen.findByRole('heading', { name: 'orders/orders-api-db' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Cluster production' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Healthy')).toBeInTheDocument();
    expect(row('Phase')).toBe('Cluster in healthy state');
    expect(row('Instances')).toBe('3/3 ready');
    expect(row('Primary')).toBe('orders-api-db-1');
    expect(row('PostgreSQL')).toBe(
      '17.2ghcr.io/cloudnative-pg/postgresql:17.2',
    );
    expect(row('Storage')).toBe('20Gi');
    expect(row('Continuous archiving')).toBe('Working');
    expect(row('Last successful backup')).toBe('5 h ago');
    expect(row('Next scheduled backup')).toBe('in 6 h');
    expect(row('Certificates')).toBe('orders-api-db-server expires in 60 d');
    expect(screen.queryByRole('heading', { name: 'Problems' })).toBeNull();
    expect(api.getDatabaseStatus).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-api',
    });
  });

  it('shows each problem with its severity and fix, and the health it leads to', async () => {
    await renderCard(
      answering(
        makeDatabaseResponse([
          {
            cluster: 'production',
            databases: [
              makePostgresCluster({
                phase: 'Cluster is unrecoverable and needs manual intervention',
                health: 'failed',
                instances: { ready: 0, desired: 3 },
                primary: undefined,
                archiving: { state: 'failing', message: 'AccessDenied' },
                lastSuccessfulBackup: undefined,
                problems: [
                  {
                    code: 'CLUSTER_FAILED',
                    severity: 'error',
                    message:
                      'The cluster is in the failed phase "Cluster is unrecoverable and needs manual intervention": read `kubectl cnpg status orders-api-db -n orders`.',
                  },
                  {
                    code: 'NO_RECENT_BACKUP',
                    severity: 'error',
                    message: 'No successful backup in 26 h: check the Backups.',
                  },
                  {
                    code: 'CERTIFICATE_EXPIRING',
                    severity: 'warning',
                    message:
                      'The certificate orders-api-db-server expires in 3 d.',
                  },
                ],
              }),
            ],
          },
        ]),
      ),
    );
    expect(await screen.findByText('Failed')).toBeInTheDocument();
    expect(row('Instances')).toBe('0/3 ready');
    expect(row('Primary')).toBe('None');
    expect(row('Continuous archiving')).toBe('Failing: AccessDenied');
    expect(row('Last successful backup')).toBe('None yet');
    const problems = screen.getByRole('list', { name: 'Problems' });
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'Error: The cluster is in the failed phase "Cluster is unrecoverable and needs manual intervention": read `kubectl cnpg status orders-api-db -n orders`.CLUSTER_FAILED',
      'Error: No successful backup in 26 h: check the Backups.NO_RECENT_BACKUP',
      'Warning: The certificate orders-api-db-server expires in 3 d.CERTIFICATE_EXPIRING',
    ]);
  });

  it('shows a degraded cluster, a shared cluster with its databases, and what is not configured', async () => {
    await renderCard(
      answering(
        makeDatabaseResponse([
          {
            cluster: 'staging',
            databases: [
              makePostgresCluster({
                name: 'shared-db',
                shared: true,
                health: 'degraded',
                instances: { ready: 2, desired: 3 },
                archiving: { state: 'not-configured' },
                nextScheduledBackup: undefined,
                certificateExpiry: undefined,
                storageSize: undefined,
                postgresVersion: undefined,
                image: undefined,
                databases: [
                  { name: 'orders', owner: 'orders', applied: true },
                  { name: 'audit', applied: false },
                ],
              }),
            ],
          },
        ]),
      ),
    );
    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(
      screen.getByText(
        'A shared cluster: this entity has its own database on it.',
      ),
    ).toBeInTheDocument();
    expect(row('Continuous archiving')).toBe('Not configured');
    expect(row('Next scheduled backup')).toBe('Not scheduled');
    expect(row('Certificates')).toBe('Not reported');
    expect(row('Storage')).toBe('Not set');
    expect(row('PostgreSQL')).toBe('Unknown version');
    expect(row('Databases')).toBe(
      'orders (owner orders); audit, not created yet',
    );
  });

  it('shows, per cluster, one that could not be read, one still syncing and one without a database', async () => {
    await renderCard(
      answering(
        makeDatabaseResponse([
          { cluster: 'production', databases: [makePostgresCluster()] },
          {
            cluster: 'staging',
            error: {
              message:
                "Kubernetes cluster 'staging' at https://staging.example.com is unreachable: connection refused (ECONNREFUSED)",
            },
            databases: [],
          },
          { cluster: 'dev', syncing: true, databases: [] },
          { cluster: 'qa', databases: [] },
        ]),
      ),
    );
    await screen.findByRole('heading', { name: 'orders/orders-api-db' });
    expect(
      screen.getByText(/Could not read cluster staging/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Kubernetes cluster 'staging' at https:\/\/staging\.example\.com is unreachable: connection refused \(ECONNREFUSED\)/,
      ),
    ).toBeInTheDocument();
    const dev = screen.getByRole('region', { name: 'Cluster dev' });
    expect(dev).toHaveTextContent(
      'Still syncing with this cluster: its databases show up in a moment.',
    );
    expect(
      screen.getByRole('region', { name: 'Cluster qa' }),
    ).toHaveTextContent('No database in this cluster.');
  });

  it('shows a cluster still syncing even when no database was found yet', async () => {
    await renderCard(
      answering(
        makeDatabaseResponse([
          { cluster: 'production', syncing: true, databases: [] },
        ]),
      ),
    );
    expect(
      await screen.findByText(
        'Still syncing with this cluster: its databases show up in a moment.',
      ),
    ).toBeInTheDocument();
  });

  it('renders nothing for an entity without a database in any cluster it could read', async () => {
    const api = answering(
      makeDatabaseResponse([
        { cluster: 'production', databases: [] },
        { cluster: 'staging', databases: [] },
      ]),
    );
    await renderCard(api);
    await waitFor(() => expect(api.getDatabaseStatus).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('Database')).toBeNull();
  });

  it('says so when the entity is unknown or may not be read (404)', async () => {
    const error = await notFoundError();
    await renderCard(
      fakeApi(async () => {
        throw error;
      }),
    );
    expect(
      await screen.findByText(/Entity not found, or you may not view it/),
    ).toBeInTheDocument();
  });

  it('shows any other failure with its message', async () => {
    await renderCard(
      fakeApi(async () => {
        throw new Error('backend unavailable');
      }),
    );
    expect(
      await screen.findByText(
        /Could not load the databases: backend unavailable/,
      ),
    ).toBeInTheDocument();
  });

  it('keeps the last state when a refresh fails, and says so', async () => {
    let calls = 0;
    const api = fakeApi(async () => {
      calls += 1;
      if (calls > 1) throw new Error('timeout');
      return makeDatabaseResponse([
        { cluster: 'production', databases: [makePostgresCluster()] },
      ]);
    });
    await renderCard(api);
    await screen.findByRole('heading', { name: 'orders/orders-api-db' });
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh databases' }),
    );
    expect(
      await screen.findByText(
        /Could not refresh the databases; showing the last known state/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Healthy')).toBeInTheDocument();
    expect(api.getDatabaseStatus).toHaveBeenCalledTimes(2);
  });
});
