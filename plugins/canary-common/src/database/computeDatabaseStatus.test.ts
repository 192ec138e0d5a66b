import {
  computePostgresCluster,
  formatDuration,
  parseTimestamp,
  PostgresClusterObjects,
} from './computeDatabaseStatus';
import type { CnpgBackup, CnpgCluster } from './objects';

const NOW = new Date('2026-11-28T12:00:00Z');
const hoursAgo = (h: number) =>
  new Date(NOW.getTime() - h * 3600_000).toISOString();
const inDays = (d: number) =>
  new Date(NOW.getTime() + d * 86400_000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' +0000 UTC');

const cluster = (overrides: {
  spec?: CnpgCluster['spec'];
  status?: Partial<NonNullable<CnpgCluster['status']>>;
  created?: string;
}): CnpgCluster => ({
  metadata: {
    name: 'orders-api-db',
    namespace: 'orders-api',
    creationTimestamp: overrides.created ?? hoursAgo(24 * 30),
  },
  spec: {
    instances: 3,
    imageName: 'ghcr.io/cloudnative-pg/postgresql:17.2',
    storage: { size: '20Gi' },
    plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true }],
    ...overrides.spec,
  },
  status: {
    phase: 'Cluster in healthy state',
    instances: 3,
    readyInstances: 3,
    currentPrimary: 'orders-api-db-1',
    image: 'ghcr.io/cloudnative-pg/postgresql:17.2',
    certificates: {
      expirations: {
        'orders-api-db-ca': inDays(80),
        'orders-api-db-server': inDays(60),
      },
    },
    conditions: [
      {
        type: 'ContinuousArchiving',
        status: 'True',
        reason: 'ContinuousArchivingSuccess',
      },
    ],
    ...overrides.status,
  },
});
const backup = (
  name: string,
  phase: string,
  stoppedHoursAgo: number,
  error?: string,
): CnpgBackup => ({
  metadata: { name, namespace: 'orders-api' },
  spec: { cluster: { name: 'orders-api-db' } },
  status: {
    phase,
    startedAt: hoursAgo(stoppedHoursAgo + 0.1),
    stoppedAt: hoursAgo(stoppedHoursAgo),
    ...(error && { error }),
  },
});
const schedule = {
  metadata: { name: 'orders-api-db-backup', namespace: 'orders-api' },
  spec: { schedule: '0 0 2 * * *', cluster: { name: 'orders-api-db' } },
  status: { nextScheduleTime: '2026-11-29T02:00:00Z' },
};
const objects = (
  overrides: Partial<PostgresClusterObjects> = {},
): PostgresClusterObjects => ({
  cluster: cluster({}),
  backups: [backup('orders-api-db-backup-1', 'completed', 10)],
  scheduledBackups: [schedule],
  databases: [],
  ...overrides,
});
const codes = (o: PostgresClusterObjects) =>
  computePostgresCluster(o, NOW).problems.map(p => [p.code, p.severity]);

describe('computePostgresCluster', () => {
  it('reports a healthy cluster with everything the card shows and no problem', () => {
    expect(computePostgresCluster(objects(), NOW)).toEqual({
      namespace: 'orders-api',
      name: 'orders-api-db',
      shared: false,
      phase: 'Cluster in healthy state',
      health: 'healthy',
      instances: { ready: 3, desired: 3 },
      primary: 'orders-api-db-1',
      image: 'ghcr.io/cloudnative-pg/postgresql:17.2',
      postgresVersion: '17.2',
      storageSize: '20Gi',
      archiving: { state: 'ok' },
      lastSuccessfulBackup: {
        name: 'orders-api-db-backup-1',
        completedAt: '2026-11-28T02:00:00.000Z',
        ageSeconds: 36000,
      },
      nextScheduledBackup: '2026-11-29T02:00:00.000Z',
      certificateExpiry: {
        name: 'orders-api-db-server',
        expiresAt: '2027-01-27T12:00:00.000Z',
        daysLeft: 60,
      },
      databases: [],
      problems: [],
    });
  });

  it.each<[string, PostgresClusterObjects, string[][], string]>([
    [
      'a failed phase',
      objects({
        cluster: cluster({
          status: {
            phase: 'Cluster is unrecoverable and needs manual intervention',
            phaseReason: 'PVC missing',
            readyInstances: 0,
          },
        }),
      }),
      [['CLUSTER_FAILED', 'error']],
      'failed',
    ],
    [
      'two of three instances ready',
      objects({ cluster: cluster({ status: { readyInstances: 2 } }) }),
      [['INSTANCES_NOT_READY', 'warning']],
      'degraded',
    ],
    [
      'no instance ready while failing over',
      objects({
        cluster: cluster({
          status: { phase: 'Failing over', readyInstances: 0 },
        }),
      }),
      [['INSTANCES_NOT_READY', 'error']],
      'progressing',
    ],
    [
      'instances still being created',
      objects({
        cluster: cluster({
          status: { phase: 'Creating a new replica', readyInstances: 1 },
        }),
      }),
      [],
      'progressing',
    ],
    [
      'WAL archiving failing',
      objects({
        cluster: cluster({
          status: {
            conditions: [
              {
                type: 'ContinuousArchiving',
                status: 'False',
                reason: 'ContinuousArchivingFailing',
                message: 'AccessDenied on s3://backups',
              },
            ],
          },
        }),
      }),
      [['ARCHIVING_FAILING', 'error']],
      'healthy',
    ],
    [
      'no backup configured at all',
      objects({
        cluster: cluster({ spec: { plugins: [] }, status: { conditions: [] } }),
        backups: [],
        scheduledBackups: [],
      }),
      [['NO_BACKUP_CONFIGURED', 'warning']],
      'healthy',
    ],
    [
      'the last successful backup 30 h ago',
      objects({ backups: [backup('b1', 'completed', 30)] }),
      [['NO_RECENT_BACKUP', 'error']],
      'healthy',
    ],
    [
      'no successful backup two days after creation, the latest failed',
      objects({
        cluster: cluster({ created: hoursAgo(48) }),
        backups: [backup('b1', 'failed', 1, 'can not access the bucket')],
      }),
      [
        ['NO_RECENT_BACKUP', 'error'],
        ['LAST_BACKUP_FAILED', 'warning'],
      ],
      'healthy',
    ],
    [
      'no backup yet on a cluster created an hour ago',
      objects({ cluster: cluster({ created: hoursAgo(1) }), backups: [] }),
      [],
      'healthy',
    ],
    [
      'a suspended schedule',
      objects({
        scheduledBackups: [
          { ...schedule, spec: { ...schedule.spec, suspend: true } },
        ],
      }),
      [['SCHEDULED_BACKUP_SUSPENDED', 'warning']],
      'healthy',
    ],
    [
      'a certificate expiring in 3 days',
      objects({
        cluster: cluster({
          status: {
            certificates: {
              expirations: { 'orders-api-db-server': inDays(3) },
            },
          },
        }),
      }),
      [['CERTIFICATE_EXPIRING', 'warning']],
      'healthy',
    ],
    [
      'an expired certificate',
      objects({
        cluster: cluster({
          status: {
            certificates: { expirations: { 'orders-api-db-ca': inDays(-1) } },
          },
        }),
      }),
      [['CERTIFICATE_EXPIRING', 'error']],
      'healthy',
    ],
    [
      'a database whose owner role is missing',
      objects({
        databases: [
          {
            spec: { name: 'orders', owner: 'orders' },
            status: { applied: false, message: 'role "orders" does not exist' },
          },
        ],
      }),
      [['DATABASE_NOT_APPLIED', 'warning']],
      'healthy',
    ],
  ])('%s', (_, input, expected, health) => {
    expect(codes(input)).toEqual(expected);
    expect(computePostgresCluster(input, NOW).health).toBe(health);
  });

  it('says what to do in each problem, naming what it found', () => {
    const messages = (o: PostgresClusterObjects) =>
      computePostgresCluster(o, NOW).problems.map(p => p.message);
    expect(
      messages(objects({ backups: [backup('b1', 'completed', 30)] })),
    ).toEqual([
      "No successful backup in 26 h (the last one finished 30 h ago): check the latest Backup's error with `kubectl describe backup -n orders-api` and that its ScheduledBackup is not suspended.",
    ]);
    expect(
      messages(
        objects({ cluster: cluster({ status: { readyInstances: 2 } }) }),
      ),
    ).toEqual([
      '2 of 3 instances are ready: `kubectl cnpg status orders-api-db -n orders-api` shows which instance is not and why (storage, scheduling, replication).',
    ]);
    expect(
      messages(
        objects({
          cluster: cluster({
            status: {
              certificates: {
                expirations: { 'orders-api-db-server': inDays(3) },
              },
            },
          }),
        }),
      ),
    ).toEqual([
      'The certificate orders-api-db-server expires in 3 d: CloudNativePG renews the certificates it issued itself, so check the operator is running; a certificate you provide must be renewed by whoever issues it (e.g. cert-manager).',
    ]);
  });

  it('takes the last backup time from the Cluster when no Backup object is left, and the major version when the image has no version tag', () => {
    const result = computePostgresCluster(
      objects({
        cluster: cluster({
          spec: { imageName: 'registry.example.com/pg@sha256:abc' },
          status: {
            image: 'registry.example.com/pg@sha256:abc',
            pgDataImageInfo: { majorVersion: 16 },
            lastSuccessfulBackup: hoursAgo(2),
          },
        }),
        backups: [],
      }),
      NOW,
    );
    expect(result.postgresVersion).toBe('16');
    expect(result.lastSuccessfulBackup).toEqual({
      completedAt: hoursAgo(2),
      ageSeconds: 7200,
    });
    expect(result.problems).toEqual([]);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2027-02-18 10:00:00 +0000 UTC', Date.parse('2027-02-18T10:00:00Z')],
    ['2027-02-18 12:00:00 +0200 CEST', Date.parse('2027-02-18T10:00:00Z')],
    ['2026-11-28T12:00:00Z', Date.parse('2026-11-28T12:00:00Z')],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [30, '30 s'],
    [600, '10 min'],
    [30 * 3600, '30 h'],
    [3 * 86400, '3 d'],
  ])('%s s is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
