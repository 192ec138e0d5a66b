import { InputError } from '@backstage/errors';
import { parseInput } from '@runway/plugin-runway-common';
import {
  CreateDatabaseInput,
  createDatabaseInputSchema,
  DedicatedTarget,
  planDatabase,
  postgresImage,
  SharedTarget,
} from './inputs';

/** Runs fn; returns the InputError's message (fails the test when it does not throw one). */
function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

/** The input parsed with one field (or more) set on a valid dedicated input. */
const parse = (fields: Record<string, unknown>) =>
  parseInput(createDatabaseInputSchema, {
    name: 'orders-api',
    cluster: 'staging',
    ...fields,
  });
/** The message of parsing an input with these fields. */
const rejection = (fields: Record<string, unknown>) =>
  inputError(() => parse(fields));

describe('name', () => {
  it.each(['orders-api', 'a', 'a1', 'a'.repeat(40)])('accepts %s', name => {
    expect(parse({ name }).name).toBe(name);
  });

  it.each([
    ['', 'name: must not be empty'],
    [undefined, 'name: is required'],
    [42, 'name: must be a string, got 42'],
    [
      'Orders',
      `name: "Orders" is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit)`,
    ],
    ['1orders', 'name: "1orders" is not a DNS-1035 label'],
    ['orders-', 'name: "orders-" is not a DNS-1035 label'],
    ['orders_api', 'name: "orders_api" is not a DNS-1035 label'],
    ['orders.api', 'name: "orders.api" is not a DNS-1035 label'],
    [
      'a'.repeat(41),
      `name: "${'a'.repeat(
        41,
      )}" is longer than 40 characters (the names CloudNativePG derives from '<name>-db': pods, services, jobs, must stay within 63)`,
    ],
  ])('rejects %j', (name, message) => {
    expect(rejection({ name })).toContain(message);
  });
});

describe('namespace', () => {
  it.each(['orders', '1-orders', 'a'.repeat(63)])('accepts %s', namespace => {
    expect(parse({ namespace }).namespace).toBe(namespace);
  });
  it('takes an empty namespace as none', () => {
    expect(parse({ namespace: '' }).namespace).toBeUndefined();
  });
  it.each(['Orders', '-orders', 'a'.repeat(64), 'a.b'])('rejects %s', value => {
    expect(rejection({ namespace: value })).toMatch(
      /^namespace: ".*" (is not a DNS-1123 label|is longer than 63 characters)/,
    );
  });
});

describe('storageSize', () => {
  it.each(['1Gi', '1Mi', '20Gi', '1Ti', '1.5Gi', '5e9'])('accepts %s', size => {
    expect(parse({ storageSize: size }).storageSize).toBe(size);
  });

  it.each([undefined, ''])('defaults %j to 1Gi', size => {
    expect(parse({ storageSize: size }).storageSize).toBe('1Gi');
  });

  it.each([
    [
      '1GB',
      `storageSize: "1GB" is not a Kubernetes quantity (a number with an optional suffix such as Mi, Gi, Ti, M, G: e.g. '10Gi')`,
    ],
    ['ten', 'storageSize: "ten" is not a Kubernetes quantity'],
    ['10', `storageSize: "10" is less than 1Mi; give a unit, e.g. '10Gi'`],
    ['100Ki', 'storageSize: "100Ki" is less than 1Mi'],
    ['-1Gi', 'storageSize: "-1Gi" is less than 1Mi'],
    ['0', 'storageSize: "0" is less than 1Mi'],
    [10, 'storageSize: must be a string, got 10'],
  ])('rejects %j', (size, message) => {
    expect(rejection({ storageSize: size })).toContain(message);
  });
});

describe('instances', () => {
  it.each([1, 3, 9])('accepts %s', n => {
    expect(parse({ instances: n }).instances).toBe(n);
  });
  it.each([
    [0, 'instances: 0 is not an integer from 1 to 9'],
    [10, 'instances: 10 is not an integer from 1 to 9'],
    [-1, 'instances: -1 is not an integer from 1 to 9'],
    [1.5, 'instances: 1.5 is not an integer from 1 to 9'],
    ['3', 'instances: must be a number, got "3"'],
    [null, 'instances: must be a number, got null'],
  ])('rejects %j', (n, message) => {
    expect(rejection({ instances: n })).toBe(message);
  });
});

describe('postgresVersion', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    ['17', 'ghcr.io/cloudnative-pg/postgresql:17'],
    ['16.4', 'ghcr.io/cloudnative-pg/postgresql:16.4'],
    [
      'ghcr.io/cloudnative-pg/postgresql:17.5-standard-bookworm',
      'ghcr.io/cloudnative-pg/postgresql:17.5-standard-bookworm',
    ],
    [
      `registry.example.com:5000/db/postgresql@${digest}`,
      `registry.example.com:5000/db/postgresql@${digest}`,
    ],
  ])('%s → %s', (version, image) => {
    expect(
      postgresImage(parse({ postgresVersion: version }).postgresVersion!),
    ).toBe(image);
  });

  it.each([
    [
      '12',
      'postgresVersion: PostgreSQL 12 is not supported by CloudNativePG; use 13 or later',
    ],
    [
      'postgres',
      `postgresVersion: "postgres" is neither a PostgreSQL version (e.g. '17' or '17.5') nor an image reference with a tag or digest`,
    ],
    [
      'ghcr.io/cloudnative-pg/postgresql',
      'postgresVersion: "ghcr.io/cloudnative-pg/postgresql" is neither a PostgreSQL version',
    ],
    ['latest', 'postgresVersion: "latest" is neither a PostgreSQL version'],
    ['17 ', 'postgresVersion: "17 " is neither a PostgreSQL version'],
  ])('rejects %j', (version, message) => {
    expect(rejection({ postgresVersion: version })).toContain(message);
  });
});

describe('database and owner', () => {
  it.each([
    ['database', 'app'],
    ['database', 'orders_api'],
    ['owner', '_svc'],
  ] as const)('%s accepts %s', (field, value) => {
    expect(parse({ [field]: value })[field]).toBe(value);
  });

  it.each([
    [
      'database',
      'orders-api',
      `database: "orders-api" is not a PostgreSQL identifier Runway accepts (lower-case letters, digits and '_', not starting with a digit)`,
    ],
    ['database', 'Orders', 'database: "Orders" is not a PostgreSQL identifier'],
    ['database', '1db', 'database: "1db" is not a PostgreSQL identifier'],
    [
      'database',
      'a'.repeat(64),
      `database: "${'a'.repeat(64)}" is longer than 63 characters`,
    ],
    ['database', 'postgres', 'database: "postgres" is reserved by PostgreSQL'],
    [
      'database',
      'template1',
      'database: "template1" is reserved by PostgreSQL',
    ],
    [
      'owner',
      'postgres',
      'owner: "postgres" is reserved by PostgreSQL or CloudNativePG',
    ],
    [
      'owner',
      'streaming_replica',
      'owner: "streaming_replica" is reserved by PostgreSQL or CloudNativePG',
    ],
    [
      'owner',
      'pg_monitor',
      'owner: "pg_monitor" is reserved by PostgreSQL or CloudNativePG',
    ],
  ] as const)('%s rejects %s', (field, value, message) => {
    expect(rejection({ [field]: value })).toContain(message);
  });
});

describe('waitTimeoutSeconds', () => {
  it.each([
    [undefined, 600],
    [1, 1],
    [3600, 3600],
  ])('%j → %j', (value, expected) => {
    expect(parse({ waitTimeoutSeconds: value }).waitTimeoutSeconds).toBe(
      expected,
    );
  });
  it.each([
    [0, 'waitTimeoutSeconds: 0 is not an integer from 1 to 3600 (seconds)'],
    [
      3601,
      'waitTimeoutSeconds: 3601 is not an integer from 1 to 3600 (seconds)',
    ],
    [1.5, 'waitTimeoutSeconds: 1.5 is not an integer from 1 to 3600 (seconds)'],
    ['60', 'waitTimeoutSeconds: must be a number, got "60"'],
  ])('rejects %j', (value, message) => {
    expect(rejection({ waitTimeoutSeconds: value })).toBe(message);
  });
});

describe('backup', () => {
  it.each([
    [undefined, undefined],
    [null, null],
    [
      { enabled: false },
      { enabled: false, retentionPolicy: '30d', schedule: '0 0 3 * * *' },
    ],
    [
      { destinationPath: 's3://acme-pg-backups/orders/' },
      {
        enabled: true,
        destinationPath: 's3://acme-pg-backups/orders',
        retentionPolicy: '30d',
        schedule: '0 0 3 * * *',
      },
    ],
    [
      {
        enabled: true,
        destinationPath: 's3://acme-pg-backups',
        roleArn: 'arn:aws:iam::123456789012:role/team/orders-backup',
        retentionPolicy: '4w',
        schedule: '@daily',
      },
      {
        enabled: true,
        destinationPath: 's3://acme-pg-backups',
        roleArn: 'arn:aws:iam::123456789012:role/team/orders-backup',
        retentionPolicy: '4w',
        schedule: '@daily',
      },
    ],
    [
      { destinationPath: 's3://b-1', schedule: ' 0 */30 * * * * ' },
      {
        enabled: true,
        destinationPath: 's3://b-1',
        retentionPolicy: '30d',
        schedule: '0 */30 * * * *',
      },
    ],
  ])('%j → %j', (backup, expected) => {
    expect(parse({ backup }).backup).toEqual(expected);
  });

  it.each([
    ['a string', 'backup: must be an object, got "a string"'],
    [{}, 'backup.destinationPath: is required when backup is enabled'],
    [
      { destinationPath: 'https://bucket.s3.amazonaws.com/x' },
      `backup.destinationPath: "https://bucket.s3.amazonaws.com/x" is not an S3 location (s3://<bucket>[/<prefix>], e.g. 's3://acme-pg-backups/orders')`,
    ],
    [
      { destinationPath: 's3://Bucket' },
      'backup.destinationPath: "s3://Bucket" is not an S3 location',
    ],
    [
      { destinationPath: 's3://b-1', roleArn: 'orders-backup' },
      'backup.roleArn: "orders-backup" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
    ],
    [
      { destinationPath: 's3://b-1', retentionPolicy: '30 days' },
      `backup.retentionPolicy: "30 days" is not a retention policy (a positive number of days, weeks or months: '30d', '4w', '6m')`,
    ],
    [
      { destinationPath: 's3://b-1', enabled: 'yes' },
      'backup.enabled: must be true or false, got "yes"',
    ],
    [
      { destinationPath: 's3://b-1', schedule: '0 3 * * *' },
      `backup.schedule: "0 3 * * *" is not a schedule CloudNativePG accepts: six cron fields, seconds first (e.g. '0 0 3 * * *' for 03:00 every day), or a descriptor such as '@daily'`,
    ],
    [
      { destinationPath: 's3://b-1', schedule: 'daily' },
      'backup.schedule: "daily" is not a schedule CloudNativePG accepts',
    ],
    [
      { destinationPath: 's3://b-1', schedule: '0 0 3 * * * *' },
      'backup.schedule: "0 0 3 * * * *" is not a schedule CloudNativePG accepts',
    ],
  ])('rejects %j', (backup, message) => {
    expect(rejection({ backup })).toContain(message);
  });
});

describe('planDatabase', () => {
  const knownClusters = ['staging', 'production', 'eu'];
  const plan = (input: Partial<CreateDatabaseInput>) =>
    planDatabase({ name: 'orders-api', ...input }, { knownClusters });

  it('defaults per environment: 1 instance in staging, 3 in production, namespace = name', () => {
    const result = plan({
      environments: [
        { name: 'staging', cluster: 'staging' },
        { name: 'production', cluster: 'production' },
      ],
    });
    expect(result.waitForReady).toBe(false);
    expect(result.waitTimeoutSeconds).toBe(600);
    expect(result.warnings).toEqual([]);
    expect(result.targets).toEqual([
      {
        mode: 'dedicated',
        environment: 'staging',
        kubernetesCluster: 'staging',
        namespace: 'orders-api',
        name: 'orders-api',
        database: 'app',
        owner: 'app',
        createNamespace: false,
        instances: 1,
        storageSize: '1Gi',
        storageClass: undefined,
        imageName: undefined,
        backup: undefined,
        outputs: {
          clusterName: 'orders-api-db',
          secretName: 'orders-api-db-app',
          host: 'orders-api-db-rw.orders-api.svc',
          port: 5432,
          database: 'app',
        },
      },
      expect.objectContaining({
        environment: 'production',
        kubernetesCluster: 'production',
        instances: 3,
      }),
    ]);
  });

  it.each([
    // [environment instances, top-level instances, environment name, expected]
    [undefined, undefined, 'production', 3],
    [undefined, undefined, 'staging', 1],
    [undefined, undefined, 'qa', 1],
    [undefined, 2, 'production', 2],
    [5, 2, 'production', 5],
  ])(
    'instances: environment %j, input %j, environment %s → %d',
    (envInstances, instances, name, expected) => {
      const [target] = plan({
        instances,
        environments: [{ name, cluster: 'eu', instances: envInstances }],
      }).targets as DedicatedTarget[];
      expect(target.instances).toBe(expected);
    },
  );

  it('a single cluster has 1 instance by default; the backup folder is the cluster name', () => {
    const [target] = plan({
      cluster: 'eu',
      namespace: 'shop',
      storageSize: '20Gi',
      storageClass: 'gp3',
      postgresVersion: '17',
      database: 'orders',
      owner: 'orders',
      createNamespace: true,
      backup: { destinationPath: 's3://acme-pg-backups/orders' },
    }).targets as DedicatedTarget[];
    expect(target).toMatchObject({
      environment: undefined,
      kubernetesCluster: 'eu',
      namespace: 'shop',
      instances: 1,
      storageSize: '20Gi',
      storageClass: 'gp3',
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17',
      database: 'orders',
      owner: 'orders',
      createNamespace: true,
      backup: {
        destinationPath: 's3://acme-pg-backups/orders',
        objectStorePath: 's3://acme-pg-backups/orders/eu',
        retentionPolicy: '30d',
        schedule: '0 0 3 * * *',
      },
      outputs: {
        host: 'orders-api-db-rw.shop.svc',
        database: 'orders',
      },
    });
  });

  it('backs each environment up to its own folder, in its own namespace if given', () => {
    const targets = plan({
      environments: [
        { name: 'staging', cluster: 'staging', namespace: 'orders-staging' },
        { name: 'production', cluster: 'production' },
      ],
      backup: { destinationPath: 's3://acme-pg-backups' },
    }).targets as DedicatedTarget[];
    expect(
      targets.map(t => [
        t.namespace,
        t.backup?.objectStorePath,
        t.outputs.host,
      ]),
    ).toEqual([
      [
        'orders-staging',
        's3://acme-pg-backups/staging',
        'orders-api-db-rw.orders-staging.svc',
      ],
      [
        'orders-api',
        's3://acme-pg-backups/production',
        'orders-api-db-rw.orders-api.svc',
      ],
    ]);
  });

  it('shared mode: a Database in the shared cluster namespace, named after the service', () => {
    const result = plan({
      cluster: 'staging',
      mode: 'shared',
      sharedCluster: 'shared-pg',
      sharedClusterNamespace: 'databases',
      instances: 3,
      storageSize: '5Gi',
      waitForReady: true,
      createNamespace: true,
    });
    const [target] = result.targets as SharedTarget[];
    expect(target).toEqual({
      mode: 'shared',
      environment: undefined,
      kubernetesCluster: 'staging',
      namespace: 'databases',
      name: 'orders-api',
      database: 'orders_api',
      owner: 'orders_api',
      sharedCluster: 'shared-pg',
      outputs: {
        clusterName: 'shared-pg',
        secretName: 'orders-api-db-app',
        host: 'shared-pg-rw.databases.svc',
        port: 5432,
        database: 'orders_api',
      },
    });
    expect(result.waitForReady).toBe(false);
    expect(result.warnings).toEqual([
      "mode 'shared' ignores instances, storageSize, createNamespace, waitForReady: they configure a dedicated cluster, and the shared cluster 'shared-pg' already runs",
    ]);
  });

  it('shared mode defaults the shared cluster namespace to the target namespace', () => {
    const [target] = plan({
      environments: [{ name: 'staging', cluster: 'staging', namespace: 'db' }],
      mode: 'shared',
      sharedCluster: 'shared-pg',
      database: 'orders',
      owner: 'orders_owner',
    }).targets as SharedTarget[];
    expect(target).toMatchObject({
      namespace: 'db',
      database: 'orders',
      owner: 'orders_owner',
      outputs: { host: 'shared-pg-rw.db.svc' },
    });
  });

  it.each<[string, Partial<CreateDatabaseInput>, string]>([
    ['no place', {}, 'cluster: required unless environments is given'],
    [
      'both places',
      { cluster: 'eu', environments: [{ name: 'eu', cluster: 'eu' }] },
      'cluster: give either cluster or environments, not both',
    ],
    [
      'an unknown cluster',
      { cluster: 'mars' },
      "cluster: no Kubernetes cluster named 'mars' is configured (kubernetes.clusterLocatorMethods); known: staging, production, eu",
    ],
    [
      'an unknown environment cluster',
      { environments: [{ name: 'qa', cluster: 'qa' }] },
      "environments[0].cluster: no Kubernetes cluster named 'qa' is configured",
    ],
    [
      'an empty environment list',
      { environments: [] },
      'environments: must list at least one environment',
    ],
    [
      'a bad environment name',
      { environments: [{ name: 'Prod', cluster: 'eu' }] },
      'environments[0].name: "Prod" is not a DNS-1123 label',
    ],
    [
      'a repeated environment',
      {
        environments: [
          { name: 'eu', cluster: 'eu' },
          { name: 'eu', cluster: 'staging' },
        ],
      },
      "environments[1].name: environment 'eu' is listed twice",
    ],
    [
      'two environments on one namespace',
      {
        environments: [
          { name: 'a', cluster: 'eu' },
          { name: 'b', cluster: 'eu' },
        ],
      },
      "environments: environments 'a' and 'b' both target namespace 'orders-api' of cluster 'eu'",
    ],
    [
      'environment instances 0',
      { environments: [{ name: 'a', cluster: 'eu', instances: 0 }] },
      'environments[0].instances: 0 is not an integer from 1 to 9',
    ],
    [
      'instances 10',
      { cluster: 'eu', instances: 10 },
      'instances: 10 is not an integer from 1 to 9',
    ],
    [
      'a bad namespace',
      { cluster: 'eu', namespace: 'Shop' },
      'namespace: "Shop" is not a DNS-1123 label',
    ],
    [
      'a bad mode',
      { cluster: 'eu', mode: 'solo' as never },
      `mode: must be 'dedicated' or 'shared', got "solo"`,
    ],
    [
      'a bad storage size',
      { cluster: 'eu', storageSize: '1GB' },
      'storageSize: "1GB" is not a Kubernetes quantity',
    ],
    [
      'a bad storage class',
      { cluster: 'eu', storageClass: 'GP3' },
      'storageClass: "GP3" is not a DNS-1123 subdomain',
    ],
    [
      'a bad createNamespace',
      { cluster: 'eu', createNamespace: 'yes' as never },
      'createNamespace: must be true or false, got "yes"',
    ],
    [
      'a shared cluster in dedicated mode',
      { cluster: 'eu', sharedCluster: 'pg' },
      "sharedCluster: applies to mode 'shared' only; set mode: shared to use an existing cluster",
    ],
    [
      'shared mode without a shared cluster',
      { cluster: 'eu', mode: 'shared' },
      "sharedCluster: is required in mode 'shared': the existing CloudNativePG Cluster to create the database on",
    ],
    [
      'shared mode with backups',
      {
        cluster: 'eu',
        mode: 'shared',
        sharedCluster: 'pg',
        backup: { destinationPath: 's3://b-1' },
      },
      "backup: applies to mode 'dedicated' only: a shared cluster's backups are configured on the shared cluster",
    ],
  ])('rejects %s', (_, input, message) => {
    expect(inputError(() => plan(input))).toContain(message);
  });

  it('names every field that breaks a rule, before checking clusters', () => {
    expect(
      inputError(() =>
        planDatabase(
          { name: 'Orders', cluster: 'mars', instances: 0 },
          { knownClusters },
        ),
      ),
    ).toBe(
      `name: "Orders" is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit); instances: 0 is not an integer from 1 to 9`,
    );
  });

  it('names every unknown cluster', () => {
    expect(
      inputError(() =>
        plan({
          environments: [
            { name: 'qa', cluster: 'qa' },
            { name: 'dr', cluster: 'dr' },
          ],
        }),
      ),
    ).toBe(
      "environments[0].cluster: no Kubernetes cluster named 'qa' is configured (kubernetes.clusterLocatorMethods); known: staging, production, eu; environments[1].cluster: no Kubernetes cluster named 'dr' is configured (kubernetes.clusterLocatorMethods); known: staging, production, eu",
    );
  });

  it('takes empty strings of optional fields as absent', () => {
    const [target] = plan({
      cluster: 'eu',
      namespace: '',
      storageSize: '',
      storageClass: '',
      postgresVersion: '',
      database: '',
      owner: '',
      sharedCluster: '',
      sharedClusterNamespace: '',
    }).targets as DedicatedTarget[];
    expect(target).toMatchObject({
      namespace: 'orders-api',
      storageSize: '1Gi',
      storageClass: undefined,
      imageName: undefined,
      database: 'app',
      owner: 'app',
    });
  });

  it('only warns of an unknown cluster when asked to (dry run)', () => {
    const result = planDatabase(
      {
        name: 'orders',
        environments: [{ name: 'staging', cluster: 'staging' }],
      },
      { knownClusters: [], unknownClusters: 'warn' },
    );
    expect(result.warnings).toEqual([
      "environments[0].cluster: no Kubernetes cluster named 'staging' is configured (kubernetes.clusterLocatorMethods); known: none; a real run fails",
    ]);
    expect(result.targets.map(t => t.kubernetesCluster)).toEqual(['staging']);
  });

  it('says when no cluster is configured at all', () => {
    expect(
      inputError(() =>
        planDatabase(
          { name: 'orders', cluster: 'staging' },
          { knownClusters: [] },
        ),
      ),
    ).toContain(
      "no Kubernetes cluster named 'staging' is configured (kubernetes.clusterLocatorMethods); known: none",
    );
  });
});
