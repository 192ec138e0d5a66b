import { mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  FakeKubernetesApi,
  FakeObject,
} from '@runway/plugin-cluster-access-node/testUtils';
import { freePort } from '@runway/testing';
import { CreateDatabaseInput, planDatabase } from '../lib/inputs';
import { ClusterNotReadyError } from '../lib/clusterErrors';
import { FIELD_MANAGER } from '../lib/objects';
import { buildManifests } from '../lib/manifests';
import { grantKey, requiredGrants, sortGrants } from '../lib/permissions';
import { HEALTHY_PHASE } from '../lib/readiness';
import {
  clusterAccessFor,
  clusterRef,
  fakeOperator,
  namespace,
  rbacRules,
  startFakeCluster,
  TOKEN,
  waitFor,
} from '../__testUtils__/fixtures';
import { createCnpgDatabaseAction } from './createDatabase';

const APPLY = 'application/apply-patch+yaml';
const CLUSTERS = (ns: string) =>
  `/apis/postgresql.cnpg.io/v1/namespaces/${ns}/clusters`;

const stagingCluster = clusterRef('orders-api-db', 'orders-api');

/** A Cluster someone else made (kubectl): Runway's field manager does not manage it. */
const foreignCluster = (): FakeObject => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: {
    name: 'orders-api-db',
    namespace: 'orders-api',
    managedFields: [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'postgresql.cnpg.io/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:instances': {}, 'f:storage': {} } },
      },
    ],
  },
  spec: { instances: 2, storage: { size: '50Gi' } },
});

describe('cnpg:database:create', () => {
  let staging: FakeKubernetesApi;
  let production: FakeKubernetesApi;

  beforeEach(async () => {
    staging = await startFakeCluster();
    production = await startFakeCluster();
  });
  afterEach(async () => {
    await staging.stop();
    await production.stop();
  });

  const action = () =>
    createCnpgDatabaseAction({
      clusterAccess: clusterAccessFor({
        staging: staging.url,
        production: production.url,
      }),
    });

  const run = async (
    input: Partial<CreateDatabaseInput>,
    options: { isDryRun?: boolean } = {},
  ) => {
    const logger = mockServices.logger.mock();
    const ctx = {
      ...createMockActionContext({
        input: { name: 'orders-api', ...input } as any,
        logger,
      }),
      // createMockActionContext drops isDryRun
      isDryRun: options.isDryRun,
    };
    await action().handler(ctx);
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    const logs = logger.info.mock.calls.map(([message]) => String(message));
    return { outputs, logs, logger };
  };

  /** Runs the action expecting it to fail; returns the error. */
  const failure = async (
    input: Partial<CreateDatabaseInput>,
    createAction = action,
  ): Promise<Error> => {
    const ctx = createMockActionContext({
      input: { name: 'orders-api', ...input } as any,
      logger: mockServices.logger.mock(),
    });
    let error: Error | undefined;
    try {
      await createAction().handler(ctx);
    } catch (e) {
      error = e as Error;
    }
    if (!error) throw new Error('expected the action to fail');
    return error;
  };

  const environments = [
    { name: 'staging', cluster: 'staging' },
    { name: 'production', cluster: 'production' },
  ];

  it('server-side applies a dedicated Cluster per environment and outputs where its secret is', async () => {
    const { outputs, logs } = await run({
      environments,
      createNamespace: true,
    });

    const expected = planDatabase(
      { name: 'orders-api', environments, createNamespace: true },
      { knownClusters: ['staging', 'production'] },
    ).targets.map(buildManifests);
    for (const [i, api] of [staging, production].entries()) {
      const requests = api.takeRequests();
      expect(requests.map(r => `${r.method} ${r.path}`)).toEqual([
        'GET /api/v1/namespaces/orders-api',
        'PATCH /api/v1/namespaces/orders-api',
        `PATCH ${CLUSTERS('orders-api')}/orders-api-db`,
      ]);
      const patches = requests.filter(r => r.method === 'PATCH');
      for (const patch of patches) {
        expect(patch.contentType).toBe(APPLY);
        const query = new URLSearchParams(patch.query);
        expect(query.get('fieldManager')).toBe(FIELD_MANAGER);
        expect(query.has('force')).toBe(false);
      }
      expect(patches.map(p => p.body)).toEqual(expected[i]);
    }

    expect(staging.get(stagingCluster)?.spec).toMatchObject({ instances: 1 });
    expect(production.get(stagingCluster)?.spec).toMatchObject({
      instances: 3,
    });
    expect(staging.get(stagingCluster)?.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: FIELD_MANAGER, operation: 'Apply' }),
    ]);
    expect(logs).toContain(
      'staging (cluster staging): Cluster orders-api/orders-api-db created',
    );

    const database = {
      clusterName: 'orders-api-db',
      secretName: 'orders-api-db-app',
      host: 'orders-api-db-rw.orders-api.svc',
      port: 5432,
      database: 'app',
    };
    expect(outputs).toEqual({
      ...database,
      environments: [
        {
          name: 'staging',
          cluster: 'staging',
          namespace: 'orders-api',
          ...database,
        },
        {
          name: 'production',
          cluster: 'production',
          namespace: 'orders-api',
          ...database,
        },
      ],
    });
  });

  it('changes nothing when run again with the same input', async () => {
    const input = {
      cluster: 'staging',
      createNamespace: true,
      backup: { destinationPath: 's3://acme-pg-backups' },
    };
    await run(input);
    const kinds = [
      clusterRef('orders-api-db', 'orders-api'),
      {
        ...clusterRef('orders-api-db-backup', 'orders-api'),
        kind: 'ScheduledBackup',
      },
      {
        ...clusterRef('orders-api-db-backup', 'orders-api'),
        apiVersion: 'barmancloud.cnpg.io/v1',
        kind: 'ObjectStore',
      },
      { apiVersion: 'v1', kind: 'Namespace', name: 'orders-api' },
    ];
    const before = kinds.map(ref => staging.get(ref));
    expect(before.every(Boolean)).toBe(true);
    staging.takeRequests();

    const { outputs, logs } = await run(input);
    expect(kinds.map(ref => staging.get(ref))).toEqual(before);
    // The namespace exists now: read, not applied again.
    expect(
      staging
        .takeRequests()
        .filter(r => r.method === 'PATCH')
        .map(r => r.path),
    ).toEqual([
      '/apis/barmancloud.cnpg.io/v1/namespaces/orders-api/objectstores/orders-api-db-backup',
      `${CLUSTERS('orders-api')}/orders-api-db`,
      '/apis/postgresql.cnpg.io/v1/namespaces/orders-api/scheduledbackups/orders-api-db-backup',
    ]);
    expect(logs).toContain(
      'cluster staging: Cluster orders-api/orders-api-db unchanged',
    );
    expect(outputs.secretName).toBe('orders-api-db-app');
  });

  it('refuses to touch an existing Cluster Runway does not manage, in any environment', async () => {
    staging.apply(namespace('orders-api'));
    production.apply(namespace('orders-api'), foreignCluster());
    const before = production.get(stagingCluster);

    const error = await failure({ environments });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      "Kubernetes cluster 'production': Cluster orders-api/orders-api-db already exists and Runway does not manage it (field managers: kubectl-client-side-apply; Runway's is 'runway-cnpg'). Nothing was changed: choose another name, or delete or adopt the object first.",
    );
    // Nothing applied anywhere: every environment is read before any change.
    for (const api of [staging, production]) {
      expect(api.requests.filter(r => r.method !== 'GET')).toEqual([]);
    }
    expect(production.get(stagingCluster)).toEqual(before);
    expect(staging.get(stagingCluster)).toBeUndefined();
  });

  it("turns the API server's field conflict into a ConflictError naming the fields", async () => {
    staging.apply(namespace('orders-api'));
    await run({ cluster: 'staging' });
    // Someone edits the instances by hand: their manager now owns the field.
    const current = staging.get(stagingCluster)!;
    staging.apply({
      ...current,
      metadata: {
        ...current.metadata,
        managedFields: [
          ...current.metadata.managedFields!,
          {
            manager: 'kubectl-edit',
            operation: 'Update',
            apiVersion: 'postgresql.cnpg.io/v1',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:spec': { 'f:instances': {} } },
          },
        ],
      },
      spec: { ...(current.spec as object), instances: 2 },
    });

    const error = await failure({ cluster: 'staging', instances: 1 });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      'applying Cluster orders-api/orders-api-db conflicts with another field manager on .spec.instances (conflict with "kubectl-edit" using postgresql.cnpg.io/v1)',
    );
    expect(staging.get(stagingCluster)?.spec).toMatchObject({ instances: 2 });
  });

  it('fails on a missing namespace unless createNamespace is set, before any change', async () => {
    const error = await failure({ cluster: 'staging' });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      "Kubernetes cluster 'staging': namespace 'orders-api' does not exist; create it first or set createNamespace: true",
    );
    expect(staging.requests.map(r => r.method)).toEqual(['GET']);
  });

  it('leaves an existing namespace as it is', async () => {
    staging.apply({
      ...namespace('orders-api'),
      metadata: { name: 'orders-api', labels: { team: 'checkout' } },
    });
    await run({ cluster: 'staging', createNamespace: true });
    expect(
      staging.requests
        .filter(r => r.path.startsWith('/api/v1'))
        .map(r => r.method),
    ).toEqual(['GET']);
    expect(
      staging.get({ apiVersion: 'v1', kind: 'Namespace', name: 'orders-api' })
        ?.metadata.labels,
    ).toEqual({ team: 'checkout' });
  });

  it('applies the ObjectStore, the Cluster with the Barman Cloud plugin and the ScheduledBackup', async () => {
    staging.apply(namespace('orders-api'));
    await run({
      cluster: 'staging',
      backup: {
        destinationPath: 's3://acme-pg-backups/orders-api',
        roleArn: 'arn:aws:iam::123456789012:role/orders-api-pg-backup',
      },
    });
    const patches = staging.requests.filter(r => r.method === 'PATCH');
    expect(patches.map(p => (p.body as FakeObject).kind)).toEqual([
      'ObjectStore',
      'Cluster',
      'ScheduledBackup',
    ]);
    const cluster = staging.get(stagingCluster)!;
    expect((cluster.spec as any).plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: { barmanObjectName: 'orders-api-db-backup' },
      },
    ]);
    expect(
      (
        staging.get({
          apiVersion: 'barmancloud.cnpg.io/v1',
          kind: 'ObjectStore',
          name: 'orders-api-db-backup',
          namespace: 'orders-api',
        })?.spec as any
      ).configuration.destinationPath,
    ).toBe('s3://acme-pg-backups/orders-api/staging');
  });

  it('says when the Barman Cloud plugin is not installed', async () => {
    await staging.stop();
    staging = await startFakeCluster({ without: ['objectstores'] });
    staging.apply(namespace('orders-api'));
    const error = await failure({
      cluster: 'staging',
      backup: { destinationPath: 's3://acme-pg-backups' },
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      `Kubernetes cluster 'staging' at ${staging.url} does not serve objectstores.barmancloud.cnpg.io/v1 (reading ObjectStore orders-api/orders-api-db-backup): is the Barman Cloud plugin of CloudNativePG installed?`,
    );
  });

  it('creates a Database on the shared cluster', async () => {
    staging.apply(namespace('databases'), {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'shared-pg', namespace: 'databases' },
      spec: { instances: 3 },
    });
    const { outputs } = await run({
      cluster: 'staging',
      mode: 'shared',
      sharedCluster: 'shared-pg',
      sharedClusterNamespace: 'databases',
    });
    expect(staging.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET ${CLUSTERS('databases')}/shared-pg`,
      'GET /apis/postgresql.cnpg.io/v1/namespaces/databases/databases/orders-api-db',
      'PATCH /apis/postgresql.cnpg.io/v1/namespaces/databases/databases/orders-api-db',
    ]);
    expect(
      staging.get({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Database',
        name: 'orders-api-db',
        namespace: 'databases',
      })?.spec,
    ).toEqual({
      name: 'orders_api',
      owner: 'orders_api',
      cluster: { name: 'shared-pg' },
      ensure: 'present',
      databaseReclaimPolicy: 'retain',
    });
    expect(outputs).toEqual({
      clusterName: 'shared-pg',
      secretName: 'orders-api-db-app',
      host: 'shared-pg-rw.databases.svc',
      port: 5432,
      database: 'orders_api',
    });
  });

  it('fails clearly when the shared cluster does not exist', async () => {
    staging.apply(namespace('orders-api'));
    const error = await failure({
      cluster: 'staging',
      mode: 'shared',
      sharedCluster: 'shared-pg',
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain(
      "the shared CloudNativePG Cluster 'shared-pg' does not exist in namespace 'orders-api'",
    );
    expect(staging.requests.filter(r => r.method !== 'GET')).toEqual([]);
  });

  describe('waitForReady', () => {
    it('watches the Cluster until every instance is ready, logging progress', async () => {
      staging.apply(namespace('orders-api'));
      const result = run({
        cluster: 'staging',
        instances: 3,
        waitForReady: true,
        waitTimeoutSeconds: 10,
      });
      await waitFor(() => staging.openWatches === 1);
      staging.setStatus(stagingCluster, {
        instances: 3,
        readyInstances: 1,
        phase: 'Creating a new replica',
        phaseReason: 'Creating replica orders-api-db-2',
      });
      staging.setStatus(stagingCluster, {
        instances: 3,
        readyInstances: 3,
        phase: HEALTHY_PHASE,
      });
      const { logs, outputs } = await result;
      const progress = logs.filter(l => l.includes('instance'));
      expect(progress).toEqual([
        'cluster staging: waiting up to 10 s for Cluster orders-api/orders-api-db to have 3 ready instance(s)',
        'cluster staging: Cluster orders-api/orders-api-db: 0/3 instances ready; the operator has reported no status yet (is the CloudNativePG operator running?)',
        'cluster staging: Cluster orders-api/orders-api-db: 1/3 instances ready; operator: "Creating a new replica" (Creating replica orders-api-db-2)',
        `cluster staging: Cluster orders-api/orders-api-db: 3/3 instances ready; operator: "${HEALTHY_PHASE}"`,
      ]);
      const watch = staging.requests.find(r => r.query.includes('watch=true'))!;
      expect(watch.path).toBe(CLUSTERS('orders-api'));
      expect(new URLSearchParams(watch.query).get('fieldSelector')).toBe(
        'metadata.name=orders-api-db',
      );
      expect(outputs.host).toBe('orders-api-db-rw.orders-api.svc');
      await waitFor(() => staging.openWatches === 0);
    });

    it("fails with the operator's last status when the timeout passes", async () => {
      staging.apply(namespace('orders-api'));
      const result = failure({
        cluster: 'staging',
        waitForReady: true,
        waitTimeoutSeconds: 1,
      });
      await waitFor(() => staging.openWatches === 1);
      staging.setStatus(stagingCluster, {
        instances: 1,
        readyInstances: 0,
        phase: 'Setting up primary',
        phaseReason: 'Creating primary instance orders-api-db-1',
      });
      const error = await result;
      expect(error).toBeInstanceOf(ClusterNotReadyError);
      expect(error.message).toBe(
        'Kubernetes cluster \'staging\': Cluster orders-api/orders-api-db was not ready after 1 s: 0/1 instance ready; operator: "Setting up primary" (Creating primary instance orders-api-db-1)',
      );
      await waitFor(() => staging.openWatches === 0);
    });

    it('returns at once when the Cluster is already ready', async () => {
      staging.apply(namespace('orders-api'));
      const stop = fakeOperator(staging);
      await run({ cluster: 'staging', waitForReady: true });
      staging.takeRequests();
      await run({ cluster: 'staging', waitForReady: true });
      stop();
      expect(staging.takeRequests().some(r => r.query.includes('watch'))).toBe(
        false,
      );
    });
  });

  it('names the cluster and its URL when it is unreachable, never the credentials', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const error = await failure({ cluster: 'staging' }, () =>
      createCnpgDatabaseAction({
        clusterAccess: clusterAccessFor({ staging: url }),
      }),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `Kubernetes cluster 'staging' at ${url} is unreachable while reading Namespace orders-api: connection refused (ECONNREFUSED)`,
    );
    expect(error.message).not.toContain(TOKEN);
  });

  it('says which permission is missing when RBAC forbids a call', async () => {
    await staging.stop();
    staging = await startFakeCluster({
      rules: rbacRules().map(rule => ({
        ...rule,
        verbs: rule.resources.includes('clusters')
          ? rule.verbs.filter(v => v !== 'create')
          : rule.verbs,
      })),
    });
    staging.apply(namespace('orders-api'));
    const error = await failure({ cluster: 'staging' });
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain(
      'forbids applying Cluster orders-api/orders-api-db: clusters "orders-api-db" is forbidden: User "backstage" cannot create resource "clusters" in API group "postgresql.cnpg.io" in the namespace "orders-api". Bind the backend\'s identity to the ClusterRole in plugins/scaffolder-backend-module-cnpg/deploy/rbac.yaml',
    );
  });

  it.each<[string, Partial<CreateDatabaseInput>, string]>([
    [
      'a bad name',
      { name: 'Orders_API', cluster: 'staging' },
      'name: "Orders_API" is not a DNS-1035 label',
    ],
    [
      'a bad quantity',
      { cluster: 'staging', storageSize: '10GB' },
      'storageSize: "10GB" is not a Kubernetes quantity',
    ],
    [
      '0 instances',
      { cluster: 'staging', instances: 0 },
      'instances: 0 is not an integer from 1 to 9',
    ],
    [
      '10 instances',
      { cluster: 'staging', instances: 10 },
      'instances: 10 is not an integer from 1 to 9',
    ],
    [
      'an unknown cluster',
      { cluster: 'mars' },
      "cluster: no Kubernetes cluster named 'mars' is configured",
    ],
  ])('rejects %s before any call', async (_, input, message) => {
    const error = await failure(input);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(message);
    expect(staging.requests).toEqual([]);
    expect(production.requests).toEqual([]);
  });

  it('dry run: outputs the manifests and calls nothing', async () => {
    const input = {
      environments,
      createNamespace: true,
      backup: { destinationPath: 's3://acme-pg-backups' },
    };
    const { outputs, logs } = await run(input, { isDryRun: true });
    expect(staging.requests).toEqual([]);
    expect(production.requests).toEqual([]);
    const targets = planDatabase(
      { name: 'orders-api', ...input },
      { knownClusters: ['staging', 'production'] },
    ).targets;
    expect(outputs.manifests).toEqual(
      targets.map(t => ({
        environment: t.environment,
        cluster: t.kubernetesCluster,
        namespace: 'orders-api',
        objects: buildManifests(t),
      })),
    );
    expect(outputs.manifests[1].objects.map((o: FakeObject) => o.kind)).toEqual(
      ['Namespace', 'ObjectStore', 'Cluster', 'ScheduledBackup'],
    );
    expect(outputs.clusterName).toBe('orders-api-db');
    expect(logs[0]).toMatch(
      /^Dry run: would apply to staging \(cluster staging\):\napiVersion: v1\nkind: Namespace\n/,
    );
  });

  it('dry run: an unknown cluster is a warning, not an error', async () => {
    const { outputs, logger } = await run(
      { cluster: 'mars' },
      { isDryRun: true },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      "cluster: no Kubernetes cluster named 'mars' is configured (kubernetes.clusterLocatorMethods); known: staging, production; a real run fails",
    );
    expect(
      outputs.manifests.map((m: { cluster: string }) => m.cluster),
    ).toEqual(['mars']);
  });

  it('uses exactly the verbs deploy/rbac.yaml grants', async () => {
    // Every path of the action: namespace creation, backups, readiness, a re-run, shared mode.
    const stop = fakeOperator(staging);
    await run({
      cluster: 'staging',
      createNamespace: true,
      waitForReady: true,
      backup: { destinationPath: 's3://acme-pg-backups' },
    });
    await run({
      cluster: 'staging',
      backup: { destinationPath: 's3://acme-pg-backups' },
    });
    await run({
      name: 'inventory',
      cluster: 'staging',
      mode: 'shared',
      sharedCluster: 'orders-api-db',
      sharedClusterNamespace: 'orders-api',
    });
    stop();
    const used = sortGrants(
      staging.authorizationChecks.map(({ apiGroup, resource, verb }) => ({
        apiGroup,
        resource,
        verb,
      })),
    ).map(grantKey);
    expect(used).toEqual(requiredGrants().map(grantKey));
  });
});
