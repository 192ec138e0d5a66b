import { validateCrd } from '@runway/testing';
import { CreateDatabaseInput, DatabaseTarget, planDatabase } from './inputs';
import {
  buildCluster,
  buildManifests,
  buildNamespace,
  buildObjectStore,
  Manifest,
} from './manifests';

const targetOf = (input: Partial<CreateDatabaseInput>): DatabaseTarget =>
  planDatabase(
    { name: 'orders-api', cluster: 'staging', ...input },
    { knownClusters: ['staging', 'production'] },
  ).targets[0];

const backup = {
  destinationPath: 's3://acme-pg-backups/orders-api',
  roleArn: 'arn:aws:iam::123456789012:role/orders-api-pg-backup',
  retentionPolicy: '14d',
};

const labels = {
  'app.kubernetes.io/name': 'postgresql',
  'app.kubernetes.io/instance': 'orders-api-db',
  'app.kubernetes.io/component': 'database',
  'app.kubernetes.io/part-of': 'orders-api',
  'app.kubernetes.io/managed-by': 'runway',
  'backstage.io/kubernetes-id': 'orders-api',
};

/** The Barman Cloud plugin's ObjectStore has no schema in ../shared/crd-schemas: its shape by hand. */
function checkObjectStore(o: Manifest) {
  expect(Object.keys(o).sort()).toEqual([
    'apiVersion',
    'kind',
    'metadata',
    'spec',
  ]);
  expect(Object.keys(o.spec!).sort()).toEqual([
    'configuration',
    'retentionPolicy',
  ]);
  const configuration = o.spec!.configuration as Record<string, any>;
  expect(Object.keys(configuration).sort()).toEqual([
    'data',
    'destinationPath',
    's3Credentials',
    'wal',
  ]);
  expect(configuration.destinationPath).toMatch(/^s3:\/\/.+/);
  expect(configuration.s3Credentials).toEqual({ inheritFromIAMRole: true });
  // The CRD's enums and the retention pattern ^[1-9][0-9]*[dwm]$.
  expect(['bzip2', 'gzip', 'lz4', 'snappy', 'xz', 'zstd']).toContain(
    configuration.wal.compression,
  );
  expect(['bzip2', 'gzip', 'snappy']).toContain(configuration.data.compression);
  expect(o.spec!.retentionPolicy).toMatch(/^[1-9][0-9]*[dwm]$/);
  // serverName is forbidden in the ObjectStore (the plugin parameter sets it).
  expect(configuration).not.toHaveProperty('serverName');
}

describe('buildManifests', () => {
  it.each<[string, Partial<CreateDatabaseInput>, string[]]>([
    ['dedicated, defaults', {}, ['Cluster']],
    [
      'dedicated, creating the namespace',
      { createNamespace: true },
      ['Namespace', 'Cluster'],
    ],
    [
      'dedicated, 3 instances, every option',
      {
        instances: 3,
        storageSize: '20Gi',
        storageClass: 'gp3',
        postgresVersion: '17.5',
        database: 'orders',
        owner: 'orders',
      },
      ['Cluster'],
    ],
    [
      'dedicated with backups',
      { backup },
      ['ObjectStore', 'Cluster', 'ScheduledBackup'],
    ],
    [
      'dedicated with backups, no role, a schedule',
      { backup: { destinationPath: 's3://b-1', schedule: '@daily' } },
      ['ObjectStore', 'Cluster', 'ScheduledBackup'],
    ],
    [
      'dedicated, backup disabled',
      { backup: { enabled: false } as never },
      ['Cluster'],
    ],
    ['shared', { mode: 'shared', sharedCluster: 'shared-pg' }, ['Database']],
    [
      'shared in another namespace',
      {
        mode: 'shared',
        sharedCluster: 'shared-pg',
        sharedClusterNamespace: 'databases',
      },
      ['Database'],
    ],
  ])('%s: valid objects in apply order', (_, input, kinds) => {
    const manifests = buildManifests(targetOf(input));
    expect(manifests.map(m => m.kind)).toEqual(kinds);
    const ofKind = (...k: string[]) =>
      manifests.filter(m => k.includes(m.kind));
    const others = manifests.filter(m => m.kind !== 'Namespace');

    // Cluster, Database, ScheduledBackup against their CRD schemas; the ObjectStore by hand.
    const crds = ofKind('Cluster', 'Database', 'ScheduledBackup');
    expect(crds.map(m => [m.kind, validateCrd(m)])).toEqual(
      crds.map(m => [m.kind, []]),
    );
    ofKind('ObjectStore').forEach(checkObjectStore);
    expect(ofKind('Namespace')).toEqual(
      input.createNamespace ? [buildNamespace('orders-api')] : [],
    );
    expect(others.map(m => m.metadata.labels)).toEqual(
      others.map(() => labels),
    );
    expect(others.map(m => m.metadata.namespace)).toEqual(
      others.map(() => input.sharedClusterNamespace ?? 'orders-api'),
    );
  });

  it('builds a dedicated single-instance Cluster without PodDisruptionBudget or spread', () => {
    expect(buildCluster(targetOf({}) as never)).toEqual({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'orders-api-db', namespace: 'orders-api', labels },
      spec: {
        description: 'PostgreSQL of orders-api, provisioned by Runway',
        instances: 1,
        inheritedMetadata: {
          labels: {
            'backstage.io/kubernetes-id': 'orders-api',
            'app.kubernetes.io/part-of': 'orders-api',
          },
        },
        bootstrap: { initdb: { database: 'app', owner: 'app' } },
        storage: { size: '1Gi' },
        enablePDB: false,
      },
    });
  });

  it('spreads 3 instances over nodes and zones, with the image, storage class and backups', () => {
    const cluster = buildCluster(
      targetOf({
        environments: [{ name: 'production', cluster: 'production' }],
        cluster: undefined,
        storageClass: 'gp3',
        postgresVersion: '17',
        backup,
      }) as never,
    );
    expect(cluster.spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17',
      storage: { size: '1Gi', storageClass: 'gp3' },
      enablePDB: true,
      affinity: {
        enablePodAntiAffinity: true,
        podAntiAffinityType: 'required',
        topologyKey: 'kubernetes.io/hostname',
      },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: {
            matchLabels: { 'cnpg.io/cluster': 'orders-api-db' },
          },
        },
      ],
      plugins: [
        {
          name: 'barman-cloud.cloudnative-pg.io',
          isWALArchiver: true,
          parameters: { barmanObjectName: 'orders-api-db-backup' },
        },
      ],
      serviceAccountTemplate: {
        metadata: {
          annotations: {
            'eks.amazonaws.com/role-arn':
              'arn:aws:iam::123456789012:role/orders-api-pg-backup',
          },
        },
      },
    });
    // The deprecated in-tree backup is never used.
    expect(cluster.spec).not.toHaveProperty('backup');
  });

  it('builds the ObjectStore under the environment folder with IRSA credentials', () => {
    const objectStore = buildObjectStore(
      targetOf({
        environments: [{ name: 'production', cluster: 'production' }],
        cluster: undefined,
        backup,
      }) as never,
    );
    expect(objectStore).toEqual({
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: {
        name: 'orders-api-db-backup',
        namespace: 'orders-api',
        labels,
      },
      spec: {
        configuration: {
          destinationPath: 's3://acme-pg-backups/orders-api/production',
          s3Credentials: { inheritFromIAMRole: true },
          wal: { compression: 'gzip' },
          data: { compression: 'gzip' },
        },
        retentionPolicy: '14d',
      },
    });
  });

  it('has no service account annotation without a role (EKS Pod Identity)', () => {
    const cluster = buildCluster(
      targetOf({ backup: { destinationPath: 's3://b-1' } }) as never,
    );
    expect(cluster.spec).not.toHaveProperty('serviceAccountTemplate');
    expect(cluster.spec!.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: { barmanObjectName: 'orders-api-db-backup' },
      },
    ]);
  });

  it('schedules base backups through the plugin, the first at once', () => {
    const [, , scheduled] = buildManifests(targetOf({ backup }));
    expect(scheduled).toEqual({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: {
        name: 'orders-api-db-backup',
        namespace: 'orders-api',
        labels,
      },
      spec: {
        schedule: '0 0 3 * * *',
        cluster: { name: 'orders-api-db' },
        method: 'plugin',
        pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
        backupOwnerReference: 'self',
        immediate: true,
      },
    });
  });

  it('builds the Database on the shared cluster, kept when the object is deleted', () => {
    const [database] = buildManifests(
      targetOf({
        mode: 'shared',
        sharedCluster: 'shared-pg',
        sharedClusterNamespace: 'databases',
      }),
    );
    expect(database).toEqual({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Database',
      metadata: { name: 'orders-api-db', namespace: 'databases', labels },
      spec: {
        name: 'orders_api',
        owner: 'orders_api',
        cluster: { name: 'shared-pg' },
        ensure: 'present',
        databaseReclaimPolicy: 'retain',
      },
    });
  });
});
