import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { FakeKubernetesApi } from '@runway/plugin-cluster-access-node/testUtils';
import { parse } from 'yaml';
import {
  clusterAccessFor,
  fakeOperator,
  namespace,
  startFakeCluster,
} from '../__testUtils__/fixtures';
import { createCnpgDatabaseAction } from './createDatabase';
import { examples } from './createDatabase.examples';

describe('cnpg:database:create examples', () => {
  let staging: FakeKubernetesApi;
  let production: FakeKubernetesApi;
  let stopOperators: (() => void)[];

  beforeEach(async () => {
    staging = await startFakeCluster();
    production = await startFakeCluster();
    stopOperators = [fakeOperator(staging), fakeOperator(production)];
    // For the shared example: an existing shared cluster.
    staging.apply(namespace('databases'), {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'shared-pg', namespace: 'databases' },
      spec: { instances: 3 },
    });
  });
  afterEach(async () => {
    stopOperators.forEach(stop => stop());
    await staging.stop();
    await production.stop();
  });

  const runExample = async (index: number) => {
    const { steps } = parse(examples[index].example);
    expect(steps[0].action).toBe('cnpg:database:create');
    const ctx = createMockActionContext({
      input: steps[0].input,
      logger: mockServices.logger.mock(),
    });
    await createCnpgDatabaseAction({
      clusterAccess: clusterAccessFor({
        staging: staging.url,
        production: production.url,
      }),
    }).handler(ctx);
    return Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
  };

  const kindsApplied = (api: FakeKubernetesApi) =>
    api.requests
      .filter(r => r.method === 'PATCH')
      .map(r => (r.body as { kind: string }).kind);

  it('per environment, creating the namespaces', async () => {
    const outputs = await runExample(0);
    expect(kindsApplied(staging)).toEqual(['Namespace', 'Cluster']);
    expect(kindsApplied(production)).toEqual(['Namespace', 'Cluster']);
    expect(outputs.environments.map((e: { name: string }) => e.name)).toEqual([
      'staging',
      'production',
    ]);
    expect(outputs.secretName).toBe('orders-api-db-app');
  });

  it('one cluster with options, waiting until ready', async () => {
    const outputs = await runExample(1);
    expect(kindsApplied(production)).toEqual(['Namespace', 'Cluster']);
    expect(production.requests.some(r => r.query.includes('watch=true'))).toBe(
      true,
    );
    expect(outputs).toEqual({
      clusterName: 'payments-db',
      secretName: 'payments-db-app',
      host: 'payments-db-rw.payments.svc',
      port: 5432,
      database: 'payments',
    });
  });

  it('with backups', async () => {
    await runExample(2);
    expect(kindsApplied(production)).toEqual([
      'Namespace',
      'ObjectStore',
      'Cluster',
      'ScheduledBackup',
    ]);
  });

  it('on a shared cluster', async () => {
    const outputs = await runExample(3);
    expect(kindsApplied(staging)).toEqual(['Database']);
    expect(outputs.host).toBe('shared-pg-rw.databases.svc');
  });

  it('covers every example', () => {
    expect(examples).toHaveLength(4);
  });
});
