import { InputError } from '@backstage/errors';
import {
  CreateDatabaseInput,
  DedicatedTarget,
  planDatabase,
  postgresImage,
  quantityValue,
  SharedTarget,
  validateBackup,
  validateDns1123Label,
  validateInstances,
  validateName,
  validatePgIdentifier,
  validateSchedule,
  validateStorageSize,
  validateWaitTimeout,
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

describe('validateName', () => {
  it.each(['orders-api', 'a', 'a1', 'a'.repeat(40)])('accepts %s', name => {
    expect(validateName(name)).toBe(name);
  });

  it.each([
    ['', 'name: must be a non-empty string'],
    [undefined, 'name: must be a non-empty string'],
    [42, 'name: must be a non-empty string, got 42'],
    ['Orders', 'name: "Orders" is not a DNS-1035 label'],
    ['1orders', 'name: "1orders" is not a DNS-1035 label'],
    ['orders-', 'name: "orders-" is not a DNS-1035 label'],
    ['orders_api', 'name: "orders_api" is not a DNS-1035 label'],
    ['orders.api', 'name: "orders.api" is not a DNS-1035 label'],
    ['a'.repeat(41), 'has 41 characters; at most 40'],
  ])('rejects %j', (name, message) => {
    expect(inputError(() => validateName(name))).toContain(message);
  });
});

describe('validateDns1123Label', () => {
  it.each(['orders', '1-orders', 'a'.repeat(63)])('accepts %s', value => {
    expect(validateDns1123Label(value, 'namespace')).toBe(value);
  });
  it.each(['Orders', '-orders', 'a'.repeat(64), 'a.b'])('rejects %s', value => {
    expect(inputError(() => validateDns1123Label(value, 'namespace'))).toMatch(
      /^namespace: ".*" is not a DNS-1123 label/,
    );
  });
});

describe('storage size', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['500Mi', 500 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['10G', 1e10],
    ['1e9', 1e9],
    ['100m', 0.1],
    ['ten', undefined],
    ['1GB', undefined],
    ['Gi', undefined],
  ])('quantityValue(%s) = %s', (quantity, value) => {
    expect(quantityValue(quantity)).toBe(value);
  });

  it.each(['1Gi', '1Mi', '20Gi', '1Ti', '1.5Gi', '5e9'])('accepts %s', size => {
    expect(validateStorageSize(size)).toBe(size);
  });

  it.each([
    ['1GB', 'storageSize: "1GB" is not a Kubernetes quantity'],
    ['ten', 'storageSize: "ten" is not a Kubernetes quantity'],
    ['', 'storageSize: must be a non-empty string'],
    ['10', 'storageSize: "10" is less than 1Mi'],
    ['100Ki', 'storageSize: "100Ki" is less than 1Mi'],
    ['-1Gi', 'storageSize: "-1Gi" is less than 1Mi'],
    ['0', 'storageSize: "0" is less than 1Mi'],
  ])('rejects %j', (size, message) => {
    expect(inputError(() => validateStorageSize(size))).toContain(message);
  });
});

describe('validateInstances', () => {
  it.each([1, 3, 9])('accepts %s', n => {
    expect(validateInstances(n)).toBe(n);
  });
  it.each([0, 10, -1, 1.5, '3', null])('rejects %j', n => {
    expect(inputError(() => validateInstances(n))).toContain(
      `instances: must be an integer from 1 to 9, got ${JSON.stringify(n)}`,
    );
  });
});

describe('postgresImage', () => {
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
    expect(postgresImage(version)).toBe(image);
  });

  it.each([
    ['12', 'postgresVersion: PostgreSQL 12 is not supported'],
    ['postgres', 'is neither a PostgreSQL version'],
    ['ghcr.io/cloudnative-pg/postgresql', 'is neither a PostgreSQL version'],
    ['latest', 'is neither a PostgreSQL version'],
    ['17 ', 'is neither a PostgreSQL version'],
  ])('rejects %j', (version, message) => {
    expect(inputError(() => postgresImage(version))).toContain(message);
  });
});

describe('validatePgIdentifier', () => {
  it.each([
    ['database', 'app'],
    ['database', 'orders_api'],
    ['owner', '_svc'],
  ] as const)('%s accepts %s', (field, value) => {
    expect(validatePgIdentifier(value, field)).toBe(value);
  });

  it.each([
    ['database', 'orders-api', 'is not a PostgreSQL identifier'],
    ['database', 'Orders', 'is not a PostgreSQL identifier'],
    ['database', '1db', 'is not a PostgreSQL identifier'],
    ['database', 'a'.repeat(64), 'is not a PostgreSQL identifier'],
    ['database', 'postgres', 'is reserved by PostgreSQL'],
    ['database', 'template1', 'is reserved by PostgreSQL'],
    ['owner', 'postgres', 'is reserved'],
    ['owner', 'streaming_replica', 'is reserved'],
    ['owner', 'pg_monitor', 'is reserved'],
  ] as const)('%s rejects %s', (field, value, message) => {
    const error = inputError(() => validatePgIdentifier(value, field));
    expect(error).toMatch(new RegExp(`^${field}: `));
    expect(error).toContain(message);
  });
});

describe('validateWaitTimeout', () => {
  it.each([
    [undefined, 600],
    [1, 1],
    [3600, 3600],
  ])('%j → %j', (value, expected) => {
    expect(validateWaitTimeout(value)).toBe(expected);
  });
  it.each([0, 3601, 1.5, '60'])('rejects %j', value => {
    expect(inputError(() => validateWaitTimeout(value))).toContain(
      'waitTimeoutSeconds: must be an integer from 1 to 3600',
    );
  });
});

describe('validateSchedule', () => {
  it.each(['0 0 3 * * *', '0 */30 * * * *', '@daily', '@every 6h'])(
    'accepts %s',
    schedule => {
      expect(validateSchedule(schedule)).toBe(schedule);
    },
  );
  it.each(['0 3 * * *', 'daily', '0 0 3 * * * *'])('rejects %s', schedule => {
    expect(inputError(() => validateSchedule(schedule))).toContain(
      'backup.schedule: ',
    );
  });
});

describe('validateBackup', () => {
  it.each([
    [undefined, undefined],
    [null, undefined],
    [{ enabled: false }, undefined],
    [
      { destinationPath: 's3://acme-pg-backups/orders/' },
      {
        destinationPath: 's3://acme-pg-backups/orders',
        roleArn: undefined,
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
        destinationPath: 's3://acme-pg-backups',
        roleArn: 'arn:aws:iam::123456789012:role/team/orders-backup',
        retentionPolicy: '4w',
        schedule: '@daily',
      },
    ],
  ])('%j → %j', (input, expected) => {
    expect(validateBackup(input)).toEqual(expected);
  });

  it.each([
    ['a string', 'backup: must be an object'],
    [{}, 'backup.destinationPath: must be a non-empty string'],
    [
      { destinationPath: 'https://bucket.s3.amazonaws.com/x' },
      'backup.destinationPath: "https://bucket.s3.amazonaws.com/x" is not an S3 location',
    ],
    [
      { destinationPath: 's3://Bucket' },
      'backup.destinationPath: "s3://Bucket" is not an S3 location',
    ],
    [
      { destinationPath: 's3://b-1', roleArn: 'orders-backup' },
      'backup.roleArn: "orders-backup" is not an IAM role ARN',
    ],
    [
      { destinationPath: 's3://b-1', retentionPolicy: '30 days' },
      'backup.retentionPolicy: "30 days" is not a retention policy',
    ],
    [
      { destinationPath: 's3://b-1', enabled: 'yes' },
      'backup.enabled: must be true or false',
    ],
  ])('rejects %j', (input, message) => {
    expect(inputError(() => validateBackup(input))).toContain(message);
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
      'environments: must be a non-empty list',
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
      'environments[0].instances: must be an integer from 1 to 9, got 0',
    ],
    [
      'instances 10',
      { cluster: 'eu', instances: 10 },
      'instances: must be an integer from 1 to 9, got 10',
    ],
    [
      'a bad namespace',
      { cluster: 'eu', namespace: 'Shop' },
      'namespace: "Shop" is not a DNS-1123 label',
    ],
    [
      'a bad mode',
      { cluster: 'eu', mode: 'solo' as never },
      "mode: must be 'dedicated' or 'shared'",
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
      'createNamespace: must be true or false',
    ],
    [
      'a shared cluster in dedicated mode',
      { cluster: 'eu', sharedCluster: 'pg' },
      "sharedCluster: applies to mode 'shared' only",
    ],
    [
      'shared mode without a shared cluster',
      { cluster: 'eu', mode: 'shared' },
      'sharedCluster: must be a non-empty string',
    ],
    [
      'shared mode with backups',
      {
        cluster: 'eu',
        mode: 'shared',
        sharedCluster: 'pg',
        backup: { destinationPath: 's3://b-1' },
      },
      "backup: applies to mode 'dedicated' only",
    ],
  ])('rejects %s', (_, input, message) => {
    expect(inputError(() => plan(input))).toContain(message);
  });

  it('rejects a bad name before anything else', () => {
    expect(
      inputError(() =>
        planDatabase({ name: 'Orders' } as CreateDatabaseInput, {
          knownClusters,
        }),
      ),
    ).toContain('name: "Orders" is not a DNS-1035 label');
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
