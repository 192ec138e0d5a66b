/*
 * cnpg:database:create against two real Kubernetes API servers (staging, production) with the
 * CloudNativePG CRDs, as the ServiceAccount deploy/rbac.yaml binds: server-side apply, field
 * ownership and conflicts, CRD validation and defaulting, status subresource and RBAC are the
 * API server's own. What the action asked for is read from the servers' audit logs. Each test
 * works in a namespace of its own.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ControlPlane, PolicyRule } from '@runway/control-plane';
import { freePort } from '@runway/testing';
import {
  backendCalls,
  BACKEND_USER,
  clusterAccessFor,
  describeCall,
  fakeOperator,
  rbacRules,
  setClusterStatus,
  startCnpgCluster,
  waitFor,
} from '../__testUtils__/fixtures';
import { ClusterNotReadyError } from '../lib/clusterErrors';
import { CreateDatabaseInput, planDatabase } from '../lib/inputs';
import { buildManifests } from '../lib/manifests';
import { FIELD_MANAGER } from '../lib/objects';
import { grantKey, sortGrants } from '@runway/plugin-cluster-access-node';
import { requiredGrants } from '../lib/permissions';
import { HEALTHY_PHASE } from '../lib/readiness';
import { createCnpgDatabaseAction } from './createDatabase';

type Cluster = { plane: ControlPlane; token: string };

const CLUSTERS = (ns: string) =>
  `/apis/postgresql.cnpg.io/v1/namespaces/${ns}/clusters`;

describe('cnpg:database:create', () => {
  let staging: Cluster;
  // Without the Barman Cloud plugin's CRD: backups there must say what is missing.
  let production: Cluster;
  let ns: string;
  let marks: { staging: number; production: number };
  let tests = 0;

  beforeAll(async () => {
    [staging, production] = await Promise.all([
      startCnpgCluster(),
      startCnpgCluster({ barman: false }),
    ]);
  }, 180_000);

  afterAll(async () => {
    await staging?.plane.stop();
    await production?.plane.stop();
  });

  beforeEach(async () => {
    tests += 1;
    ns = `orders-${tests}`;
    marks = {
      staging: await staging.plane.auditMark(),
      production: await production.plane.auditMark(),
    };
  });

  const access = (token?: { staging?: string; production?: string }) =>
    clusterAccessFor({
      staging: { ...staging.plane, token: token?.staging ?? staging.token },
      production: {
        ...production.plane,
        token: token?.production ?? production.token,
      },
    });

  const action = (token?: { staging?: string }) =>
    createCnpgDatabaseAction({ clusterAccess: access(token) });

  const context = (
    input: Partial<CreateDatabaseInput>,
    options: { isDryRun?: boolean } = {},
  ) => {
    const logger = mockServices.logger.mock();
    const ctx = {
      ...createMockActionContext({
        input: { name: 'orders-api', namespace: ns, ...input } as any,
        logger,
      }),
      // createMockActionContext drops isDryRun
      isDryRun: options.isDryRun,
    };
    return { ctx, logger };
  };

  const run = async (
    input: Partial<CreateDatabaseInput>,
    options: { isDryRun?: boolean; token?: { staging?: string } } = {},
  ) => {
    const { ctx, logger } = context(input, options);
    await action(options.token).handler(ctx);
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    const logs = logger.info.mock.calls.map(([message]) => String(message));
    return { outputs, logs, logger };
  };

  /** Runs the action expecting it to fail; returns the error. */
  const failure = async (
    input: Partial<CreateDatabaseInput>,
    createAction = () => action(),
  ): Promise<Error> => {
    const { ctx } = context(input);
    let error: Error | undefined;
    try {
      await createAction().handler(ctx);
    } catch (e) {
      error = e as Error;
    }
    if (!error) throw new Error('expected the action to fail');
    return error;
  };

  /** The calls the backend's identity made in this test. */
  const calls = (cluster: 'staging' | 'production') =>
    backendCalls(
      cluster === 'staging' ? staging.plane : production.plane,
      marks[cluster],
    );

  const writes = async (cluster: 'staging' | 'production') =>
    (await calls(cluster)).filter(c => !/^(get|list|watch) /.test(c));

  const read = (cluster: Cluster, path: string) =>
    cluster.plane.getObject(path);
  const clusterObject = (cluster: Cluster) =>
    read(cluster, `${CLUSTERS(ns)}/orders-api-db`);

  const environments = () => [
    { name: 'staging', cluster: 'staging', namespace: ns },
    { name: 'production', cluster: 'production', namespace: ns },
  ];

  /** A Cluster someone else made with kubectl: Runway's field manager does not manage it. */
  const createForeignCluster = async (cluster: Cluster) => {
    await cluster.plane.createNamespace(ns);
    const { status } = await cluster.plane.request(
      'POST',
      `${CLUSTERS(ns)}?fieldManager=kubectl-client-side-apply`,
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'orders-api-db', namespace: ns },
        spec: { instances: 2, storage: { size: '50Gi' } },
      },
    );
    expect(status).toBe(201);
  };

  it('server-side applies a dedicated Cluster per environment and outputs where its secret is', async () => {
    const { outputs, logs } = await run({
      environments: environments(),
      createNamespace: true,
    });

    const expected = planDatabase(
      {
        name: 'orders-api',
        environments: environments(),
        createNamespace: true,
      },
      { knownClusters: ['staging', 'production'] },
    ).targets.map(buildManifests);
    for (const [i, cluster] of [staging, production].entries()) {
      // The namespace was missing, so the Cluster could not exist: no read of it.
      expect(await calls(i === 0 ? 'staging' : 'production')).toEqual([
        `get namespaces ${ns}`,
        `patch namespaces ${ns}`,
        `patch clusters ${ns}/orders-api-db`,
      ]);
      const stored = await clusterObject(cluster);
      const applied = expected[i].find(o => o.kind === 'Cluster')!;
      // What Runway applied is there, beside the defaults the CRD's schema adds.
      expect(stored.spec).toMatchObject(applied.spec as object);
      expect(Object.keys(stored.spec).length).toBeGreaterThan(
        Object.keys(applied.spec as object).length,
      );
      expect(stored.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: FIELD_MANAGER, operation: 'Apply' }),
      ]);
    }
    expect((await clusterObject(staging)).spec.instances).toBe(1);
    expect((await clusterObject(production)).spec.instances).toBe(3);
    expect(logs).toContain(
      `staging (cluster staging): Cluster ${ns}/orders-api-db created`,
    );

    const database = {
      clusterName: 'orders-api-db',
      secretName: 'orders-api-db-app',
      host: `orders-api-db-rw.${ns}.svc`,
      port: 5432,
      database: 'app',
    };
    expect(outputs).toEqual({
      ...database,
      environments: [
        { name: 'staging', cluster: 'staging', namespace: ns, ...database },
        {
          name: 'production',
          cluster: 'production',
          namespace: ns,
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
    const paths = [
      `/api/v1/namespaces/${ns}`,
      `/apis/barmancloud.cnpg.io/v1/namespaces/${ns}/objectstores/orders-api-db-backup`,
      `${CLUSTERS(ns)}/orders-api-db`,
      `/apis/postgresql.cnpg.io/v1/namespaces/${ns}/scheduledbackups/orders-api-db-backup`,
    ];
    const versions = async () =>
      Promise.all(
        paths.map(
          async p => (await read(staging, p))?.metadata.resourceVersion,
        ),
      );
    const before = await versions();
    expect(before.every(Boolean)).toBe(true);
    const mark = await staging.plane.auditMark();

    const { outputs, logs } = await run(input);
    // An apply that changes nothing stores nothing: the same resourceVersions.
    expect(await versions()).toEqual(before);
    // The namespace exists now: read, not applied again.
    expect(
      (await backendCalls(staging.plane, mark)).filter(c =>
        c.startsWith('patch'),
      ),
    ).toEqual([
      `patch objectstores ${ns}/orders-api-db-backup`,
      `patch clusters ${ns}/orders-api-db`,
      `patch scheduledbackups ${ns}/orders-api-db-backup`,
    ]);
    expect(logs).toContain(
      `cluster staging: Cluster ${ns}/orders-api-db unchanged`,
    );
    expect(outputs.secretName).toBe('orders-api-db-app');
  });

  it('refuses to touch an existing Cluster Runway does not manage, in any environment', async () => {
    await staging.plane.createNamespace(ns);
    await createForeignCluster(production);
    const before = await clusterObject(production);

    const error = await failure({ environments: environments() });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      `Kubernetes cluster 'production': Cluster ${ns}/orders-api-db already exists and Runway does not manage it (field managers: kubectl-client-side-apply; Runway's is 'runway-cnpg'). Nothing was changed: choose another name, or delete or adopt the object first.`,
    );
    // Nothing applied anywhere: every environment is read before any change.
    expect(await writes('staging')).toEqual([]);
    expect(await writes('production')).toEqual([]);
    expect(await clusterObject(production)).toEqual(before);
    expect(await clusterObject(staging)).toBeUndefined();
  });

  it("turns the API server's field conflict into a ConflictError naming the fields", async () => {
    await staging.plane.createNamespace(ns);
    await run({ cluster: 'staging' });
    // Someone edits the instances by hand: their manager now owns the field.
    const edited = await staging.plane.request(
      'PATCH',
      `${CLUSTERS(ns)}/orders-api-db?fieldManager=kubectl-edit`,
      { spec: { instances: 2 } },
      { contentType: 'application/merge-patch+json' },
    );
    expect(edited.status).toBe(200);

    const error = await failure({ cluster: 'staging', instances: 1 });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      `applying Cluster ${ns}/orders-api-db conflicts with another field manager on .spec.instances (conflict with "kubectl-edit" using postgresql.cnpg.io/v1)`,
    );
    expect((await clusterObject(staging)).spec.instances).toBe(2);
  });

  it('fails on a missing namespace unless createNamespace is set, before any change', async () => {
    const error = await failure({ cluster: 'staging' });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      `Kubernetes cluster 'staging': namespace '${ns}' does not exist; create it first or set createNamespace: true`,
    );
    expect(await calls('staging')).toEqual([`get namespaces ${ns}`]);
  });

  it('leaves an existing namespace as it is', async () => {
    await staging.plane.createNamespace(ns, { team: 'checkout' });
    await run({ cluster: 'staging', createNamespace: true });
    expect(
      (await calls('staging')).filter(c => c.includes(' namespaces ')),
    ).toEqual([`get namespaces ${ns}`]);
    expect(
      (await read(staging, `/api/v1/namespaces/${ns}`)).metadata.labels,
    ).toMatchObject({ team: 'checkout' });
  });

  it('applies the ObjectStore, the Cluster with the Barman Cloud plugin and the ScheduledBackup', async () => {
    await staging.plane.createNamespace(ns);
    await run({
      cluster: 'staging',
      backup: {
        destinationPath: 's3://acme-pg-backups/orders-api',
        roleArn: 'arn:aws:iam::123456789012:role/orders-api-pg-backup',
      },
    });
    expect(await writes('staging')).toEqual([
      `patch objectstores ${ns}/orders-api-db-backup`,
      `patch clusters ${ns}/orders-api-db`,
      `patch scheduledbackups ${ns}/orders-api-db-backup`,
    ]);
    const cluster = await clusterObject(staging);
    expect(cluster.spec.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        enabled: true,
        isWALArchiver: true,
        parameters: { barmanObjectName: 'orders-api-db-backup' },
      },
    ]);
    expect(cluster.spec.serviceAccountTemplate.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn':
        'arn:aws:iam::123456789012:role/orders-api-pg-backup',
    });
    const store = await read(
      staging,
      `/apis/barmancloud.cnpg.io/v1/namespaces/${ns}/objectstores/orders-api-db-backup`,
    );
    expect(store.spec.configuration.destinationPath).toBe(
      's3://acme-pg-backups/orders-api/staging',
    );
  });

  it('says when the Barman Cloud plugin is not installed', async () => {
    await production.plane.createNamespace(ns);
    const error = await failure({
      cluster: 'production',
      backup: { destinationPath: 's3://acme-pg-backups' },
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      `Kubernetes cluster 'production' at ${production.plane.url} does not serve objectstores.barmancloud.cnpg.io/v1 (reading ObjectStore ${ns}/orders-api-db-backup): is the Barman Cloud plugin of CloudNativePG installed?`,
    );
    expect(await writes('production')).toEqual([]);
  });

  it('creates a Database on the shared cluster', async () => {
    const shared = `${ns}-databases`;
    await staging.plane.createNamespace(shared);
    await staging.plane.apply([
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'shared-pg', namespace: shared },
        spec: { instances: 3, storage: { size: '10Gi' } },
      },
    ]);
    const { outputs } = await run({
      cluster: 'staging',
      mode: 'shared',
      sharedCluster: 'shared-pg',
      sharedClusterNamespace: shared,
    });
    expect(await calls('staging')).toEqual([
      `get clusters ${shared}/shared-pg`,
      `get databases ${shared}/orders-api-db`,
      `patch databases ${shared}/orders-api-db`,
    ]);
    const database = await read(
      staging,
      `/apis/postgresql.cnpg.io/v1/namespaces/${shared}/databases/orders-api-db`,
    );
    expect(database.spec).toMatchObject({
      name: 'orders_api',
      owner: 'orders_api',
      cluster: { name: 'shared-pg' },
      ensure: 'present',
      databaseReclaimPolicy: 'retain',
    });
    expect(outputs).toEqual({
      clusterName: 'shared-pg',
      secretName: 'orders-api-db-app',
      host: `shared-pg-rw.${shared}.svc`,
      port: 5432,
      database: 'orders_api',
    });
  });

  it('fails clearly when the shared cluster does not exist', async () => {
    await staging.plane.createNamespace(ns);
    const error = await failure({
      cluster: 'staging',
      mode: 'shared',
      sharedCluster: 'shared-pg',
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain(
      `the shared CloudNativePG Cluster 'shared-pg' does not exist in namespace '${ns}'`,
    );
    expect(await writes('staging')).toEqual([]);
  });

  describe('waitForReady', () => {
    const watching = () =>
      waitFor(async () =>
        (await calls('staging')).includes(`watch clusters ${ns}/orders-api-db`),
      );

    it('watches the Cluster until every instance is ready, logging progress', async () => {
      await staging.plane.createNamespace(ns);
      const result = run({
        cluster: 'staging',
        instances: 3,
        waitForReady: true,
        waitTimeoutSeconds: 20,
      });
      await watching();
      await setClusterStatus(staging.plane, ns, 'orders-api-db', {
        instances: 3,
        readyInstances: 1,
        phase: 'Creating a new replica',
        phaseReason: 'Creating replica orders-api-db-2',
      });
      await setClusterStatus(staging.plane, ns, 'orders-api-db', {
        instances: 3,
        readyInstances: 3,
        phase: HEALTHY_PHASE,
      });
      const { logs, outputs } = await result;
      expect(logs.filter(l => l.includes('instance'))).toEqual([
        `cluster staging: waiting up to 20 s for Cluster ${ns}/orders-api-db to have 3 ready instance(s)`,
        `cluster staging: Cluster ${ns}/orders-api-db: 0/3 instances ready; the operator has reported no status yet (is the CloudNativePG operator running?)`,
        `cluster staging: Cluster ${ns}/orders-api-db: 1/3 instances ready; operator: "Creating a new replica" (Creating replica orders-api-db-2)`,
        `cluster staging: Cluster ${ns}/orders-api-db: 3/3 instances ready; operator: "${HEALTHY_PHASE}"`,
      ]);
      // One watch of that Cluster only, by name.
      const watches = (
        await staging.plane.auditEvents({
          since: marks.staging,
          user: BACKEND_USER,
        })
      ).filter(e => e.verb === 'watch');
      expect(watches.map(describeCall)).toEqual([
        `watch clusters ${ns}/orders-api-db`,
      ]);
      expect(
        new URL(watches[0].requestURI, 'https://x').searchParams.get(
          'fieldSelector',
        ),
      ).toBe('metadata.name=orders-api-db');
      expect(outputs.host).toBe(`orders-api-db-rw.${ns}.svc`);
    });

    it("fails with the operator's last status when the timeout passes", async () => {
      await staging.plane.createNamespace(ns);
      const result = failure({
        cluster: 'staging',
        waitForReady: true,
        waitTimeoutSeconds: 2,
      });
      await watching();
      await setClusterStatus(staging.plane, ns, 'orders-api-db', {
        instances: 1,
        readyInstances: 0,
        phase: 'Setting up primary',
        phaseReason: 'Creating primary instance orders-api-db-1',
      });
      const error = await result;
      expect(error).toBeInstanceOf(ClusterNotReadyError);
      expect(error.message).toBe(
        `Kubernetes cluster 'staging': Cluster ${ns}/orders-api-db was not ready after 2 s: 0/1 instance ready; operator: "Setting up primary" (Creating primary instance orders-api-db-1)`,
      );
    });

    it('returns at once when the Cluster is already ready', async () => {
      await staging.plane.createNamespace(ns);
      const stop = fakeOperator(staging.plane);
      try {
        await run({ cluster: 'staging', waitForReady: true });
        const mark = await staging.plane.auditMark();
        await run({ cluster: 'staging', waitForReady: true });
        expect(
          (await backendCalls(staging.plane, mark)).filter(c =>
            c.startsWith('watch'),
          ),
        ).toEqual([]);
      } finally {
        await stop();
      }
    });
  });

  it('names the cluster and its URL when it is unreachable, never the credentials', async () => {
    const url = `https://127.0.0.1:${await freePort()}`;
    const error = await failure({ cluster: 'staging' }, () =>
      createCnpgDatabaseAction({
        clusterAccess: clusterAccessFor({
          staging: { url, token: staging.token },
        }),
      }),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `Kubernetes cluster 'staging' at ${url} is unreachable while reading Namespace ${ns}: connection refused (ECONNREFUSED)`,
    );
    expect(error.message).not.toContain(staging.token);
  });

  it('says which permission is missing when RBAC forbids a call', async () => {
    await staging.plane.createNamespace(ns);
    const token = await staging.plane.serviceAccountToken(
      'backstage',
      'no-cluster-create',
      {
        rules: rbacRules().map(rule => ({
          ...rule,
          verbs: rule.resources?.includes('clusters')
            ? rule.verbs.filter(v => v !== 'create')
            : rule.verbs,
        })),
      },
    );
    const error = await failure({ cluster: 'staging' }, () =>
      action({ staging: token }),
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain(
      `forbids applying Cluster ${ns}/orders-api-db: clusters.postgresql.cnpg.io "orders-api-db" is forbidden: User "system:serviceaccount:backstage:no-cluster-create" cannot create resource "clusters" in API group "postgresql.cnpg.io" in the namespace "${ns}". Bind the backend's identity to the ClusterRole in plugins/scaffolder-backend-module-cnpg/deploy/rbac.yaml`,
    );
    expect(await clusterObject(staging)).toBeUndefined();
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
    expect(await calls('staging')).toEqual([]);
    expect(await calls('production')).toEqual([]);
  });

  it('dry run: outputs the manifests and calls nothing', async () => {
    const input = {
      environments: environments(),
      createNamespace: true,
      backup: { destinationPath: 's3://acme-pg-backups' },
    };
    const { outputs, logs } = await run(input, { isDryRun: true });
    expect(await calls('staging')).toEqual([]);
    expect(await calls('production')).toEqual([]);
    const targets = planDatabase(
      { name: 'orders-api', ...input },
      { knownClusters: ['staging', 'production'] },
    ).targets;
    expect(outputs.manifests).toEqual(
      targets.map(t => ({
        environment: t.environment,
        cluster: t.kubernetesCluster,
        namespace: ns,
        objects: buildManifests(t),
      })),
    );
    expect(
      outputs.manifests[1].objects.map((o: { kind: string }) => o.kind),
    ).toEqual(['Namespace', 'ObjectStore', 'Cluster', 'ScheduledBackup']);
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

  describe('deploy/rbac.yaml', () => {
    /** Every path of the action: namespace creation, backups, readiness, a re-run, shared mode. */
    const everyPath = async (token: string, namespace: string) => {
      const tokens = { staging: token };
      const stop = fakeOperator(staging.plane);
      try {
        const input = {
          namespace,
          cluster: 'staging',
          backup: { destinationPath: 's3://acme-pg-backups' },
        };
        await run(
          { ...input, createNamespace: true, waitForReady: true },
          { token: tokens },
        );
        await run(input, { token: tokens });
        await run(
          {
            name: 'inventory',
            namespace,
            cluster: 'staging',
            mode: 'shared',
            sharedCluster: 'orders-api-db',
            sharedClusterNamespace: namespace,
          },
          { token: tokens },
        );
      } finally {
        await stop();
      }
    };

    it('grants every verb the action uses, on exactly the resources it touches', async () => {
      await everyPath(staging.token, ns);
      const events = await staging.plane.auditEvents({
        since: marks.staging,
        user: BACKEND_USER,
      });
      // Reads of objects that do not exist yet answer 404; RBAC refused nothing.
      expect(events.filter(e => e.code === 401 || e.code === 403)).toEqual([]);
      // A server-side apply is a patch, authorized as a create too when the object is new.
      const used = sortGrants(
        events.flatMap(e => {
          const grant = {
            apiGroup: e.objectRef?.apiGroup ?? '',
            resource: e.objectRef!.resource!,
          };
          return e.verb === 'patch'
            ? [
                { ...grant, verb: 'patch' },
                { ...grant, verb: 'create' },
              ]
            : [{ ...grant, verb: e.verb }];
        }),
      ).map(grantKey);
      expect(used).toEqual(requiredGrants().map(grantKey));
    }, 60_000);

    it('grants nothing more: without any one of its verbs, some path is refused', async () => {
      const refused: string[] = [];
      for (const grant of requiredGrants()) {
        const rules: PolicyRule[] = rbacRules().map(rule => ({
          ...rule,
          verbs:
            rule.resources?.includes(grant.resource) &&
            (rule.apiGroups ?? []).includes(grant.apiGroup)
              ? rule.verbs.filter(v => v !== grant.verb)
              : rule.verbs,
        }));
        const name = `without-${grant.resource}-${grant.verb}`;
        const token = await staging.plane.serviceAccountToken(
          'backstage',
          name,
          { rules },
        );
        const error = await everyPath(token, `${ns}-${name}`).then(
          () => undefined,
          e => e as Error,
        );
        if (
          error instanceof NotAllowedError ||
          (error && error.message.includes(`cannot ${grant.verb}`))
        ) {
          refused.push(grantKey(grant));
        }
      }
      expect(refused).toEqual(requiredGrants().map(grantKey));
    }, 180_000);
  });
});
