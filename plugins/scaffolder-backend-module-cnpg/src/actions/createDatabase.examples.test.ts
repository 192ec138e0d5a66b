import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';
import {
  BACKEND_USER,
  clusterAccessFor,
  fakeOperator,
  startCnpgCluster,
} from '../__testUtils__/fixtures';
import { createCnpgDatabaseAction } from './createDatabase';
import { examples } from './createDatabase.examples';

type Cluster = Awaited<ReturnType<typeof startCnpgCluster>>;

/** Each example on real API servers of its own, with an operator stand-in that reports ready. */
describe('cnpg:database:create examples', () => {
  let staging: Cluster;
  let production: Cluster;
  let stopOperators: (() => Promise<void>)[];

  beforeEach(async () => {
    [staging, production] = await Promise.all([
      startCnpgCluster(),
      startCnpgCluster(),
    ]);
    stopOperators = [
      fakeOperator(staging.plane),
      fakeOperator(production.plane),
    ];
    // For the shared example: an existing shared cluster.
    await staging.plane.createNamespace('databases');
    await staging.plane.apply([
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'shared-pg', namespace: 'databases' },
        spec: { instances: 3, storage: { size: '10Gi' } },
      },
    ]);
  }, 120_000);

  afterEach(async () => {
    await Promise.all(stopOperators.map(stop => stop()));
    await staging?.plane.stop();
    await production?.plane.stop();
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
        staging: { ...staging.plane, token: staging.token },
        production: { ...production.plane, token: production.token },
      }),
    }).handler(ctx);
    return Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
  };

  /** The kinds the backend applied (server-side apply: PATCH), in order. */
  const applied = async ({ plane }: Cluster) => {
    const events = await plane.auditEvents({ user: BACKEND_USER });
    return events
      .filter(e => e.verb === 'patch')
      .map(e => e.objectRef?.resource);
  };
  const watched = async ({ plane }: Cluster) =>
    (await plane.auditEvents({ user: BACKEND_USER })).some(
      e => e.verb === 'watch',
    );

  it('per environment, creating the namespaces', async () => {
    const outputs = await runExample(0);
    expect(await applied(staging)).toEqual(['namespaces', 'clusters']);
    expect(await applied(production)).toEqual(['namespaces', 'clusters']);
    expect(outputs.environments.map((e: { name: string }) => e.name)).toEqual([
      'staging',
      'production',
    ]);
    expect(outputs.secretName).toBe('orders-api-db-app');
  });

  it('one cluster with options, waiting until ready', async () => {
    const outputs = await runExample(1);
    expect(await applied(production)).toEqual(['namespaces', 'clusters']);
    expect(await watched(production)).toBe(true);
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
    expect(await applied(production)).toEqual([
      'namespaces',
      'objectstores',
      'clusters',
      'scheduledbackups',
    ]);
  });

  it('on a shared cluster', async () => {
    const outputs = await runExample(3);
    expect(await applied(staging)).toEqual(['databases']);
    expect(outputs.host).toBe('shared-pg-rw.databases.svc');
  });

  it('covers every example: the four above, in order', () => {
    expect(examples.map(e => e.description)).toEqual([
      'A dedicated PostgreSQL in staging (1 instance) and production (3 instances), creating the namespaces.',
      'One cluster with a chosen size, storage class and PostgreSQL version, waiting until every instance is ready.',
      "Backups to S3 with the Barman Cloud plugin, the cluster's service account assuming an IAM role (IRSA).",
      'A database on the existing shared cluster `shared-pg` of the namespace `databases`.',
    ]);
  });
});
