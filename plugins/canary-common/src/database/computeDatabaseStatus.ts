import type {
  CnpgBackup,
  CnpgCluster,
  CnpgDatabase,
  CnpgScheduledBackup,
} from './objects';
import type {
  ArchivingState,
  DatabaseHealth,
  DatabaseProblem,
  PostgresCluster,
} from './types';

/** The objects of one CloudNativePG Cluster: it, and what refers to it by `spec.cluster.name`. */
export type PostgresClusterObjects = {
  cluster: CnpgCluster;
  backups: CnpgBackup[];
  scheduledBackups: CnpgScheduledBackup[];
  databases: CnpgDatabase[];
  /** Another entity's Cluster hosting this entity's databases. */
  shared?: boolean;
};

/** How old the last successful backup may be before it is a problem. */
export const BACKUP_MAX_AGE_HOURS = 26;
/** How soon a certificate's expiry is a problem. */
export const CERTIFICATE_WARNING_DAYS = 7;

const HEALTHY_PHASE = 'Cluster in healthy state';

/** Phases CloudNativePG does not leave on its own (api/v1 cluster_types.go). */
const FAILED_PHASES = new Set([
  'Cluster is unrecoverable and needs manual intervention',
  'Cluster is in an unrecoverable state, needs manual intervention',
  'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
  'Cluster cannot proceed to reconciliation due to an error while interacting with plugins',
  'Cluster has incomplete or invalid image catalog',
  'Cluster cannot execute instance online upgrade due to missing architecture binary',
  'Unable to create required cluster objects',
]);

/** Phases of a Cluster being created, when instances are expected not to be ready yet. */
const CREATING_PHASES = new Set([
  'Setting up primary',
  'Creating a new replica',
]);

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * A Go `time.Time` string as CloudNativePG writes certificate expirations
 * ("2027-02-18 10:00:00 +0000 UTC"), or RFC 3339, as milliseconds; undefined when unreadable.
 */
export function parseTimestamp(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const go = text.match(
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ([+-]\d{2})(\d{2})\b/,
  );
  const ms = Date.parse(go ? `${go[1]}T${go[2]}${go[3]}:${go[4]}` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** "3 h", "2 d", "45 min": an age or a delay in words. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 2 * DAY) return `${Math.floor(s / DAY)} d`;
  if (s >= HOUR) return `${Math.floor(s / HOUR)} h`;
  if (s >= 60) return `${Math.floor(s / 60)} min`;
  return `${s} s`;
}

function healthOf(
  phase: string,
  ready: number,
  desired: number,
): DatabaseHealth {
  if (FAILED_PHASES.has(phase)) return 'failed';
  if (phase === HEALTHY_PHASE) return ready >= desired ? 'healthy' : 'degraded';
  return 'progressing';
}

function versionOf(cluster: CnpgCluster): string | undefined {
  const image = cluster.status?.image ?? cluster.spec?.imageName;
  const tag = image?.match(/:(\d+(?:\.\d+)*)(?:[-@].*)?$/)?.[1];
  if (tag) return tag;
  const major = cluster.status?.pgDataImageInfo?.majorVersion;
  return major === undefined ? undefined : String(major);
}

function archivingOf(cluster: CnpgCluster): {
  state: ArchivingState;
  message?: string;
} {
  const condition = cluster.status?.conditions?.find(
    c => c.type === 'ContinuousArchiving',
  );
  const configured =
    !!cluster.spec?.backup?.barmanObjectStore ||
    (cluster.spec?.plugins ?? []).some(
      p => p.isWALArchiver && p.enabled !== false,
    );
  if (condition?.status === 'True') return { state: 'ok' };
  if (condition?.status === 'False') {
    return {
      state: 'failing',
      ...(condition.message && { message: condition.message }),
    };
  }
  return { state: configured ? 'unknown' : 'not-configured' };
}

const backupTime = (b: CnpgBackup) =>
  parseTimestamp(b.status?.stoppedAt) ??
  parseTimestamp(b.status?.startedAt) ??
  parseTimestamp(b.metadata?.creationTimestamp) ??
  0;

/**
 * The database card's view of one CloudNativePG Cluster: phase, instances, primary,
 * version, storage, archiving, backups, certificates, and the problems with a one-sentence
 * fix. Pure: the same objects and `now` always give the same answer.
 */
export function computePostgresCluster(
  objects: PostgresClusterObjects,
  now: Date,
): PostgresCluster {
  const { cluster } = objects;
  const namespace = cluster.metadata?.namespace ?? '';
  const name = cluster.metadata?.name ?? '';
  const nowMs = now.getTime();
  const phase = cluster.status?.phase ?? '';
  const desired = cluster.spec?.instances ?? cluster.status?.instances ?? 0;
  const ready = cluster.status?.readyInstances ?? 0;
  const health = healthOf(phase, ready, desired);
  const archiving = archivingOf(cluster);
  const status = `kubectl cnpg status ${name} -n ${namespace}`;
  const problems: DatabaseProblem[] = [];

  if (health === 'failed') {
    problems.push({
      code: 'CLUSTER_FAILED',
      severity: 'error',
      message: `The cluster is in the failed phase "${phase}"${
        cluster.status?.phaseReason ? ` (${cluster.status.phaseReason})` : ''
      }: CloudNativePG will not recover it on its own, so read \`${status}\` and the operator's log and fix the cause it names.`,
    });
  } else if (ready < desired && !CREATING_PHASES.has(phase)) {
    problems.push({
      code: 'INSTANCES_NOT_READY',
      severity: ready === 0 ? 'error' : 'warning',
      message: `${ready} of ${desired} instances are ready: \`${status}\` shows which instance is not and why (storage, scheduling, replication).`,
    });
  }
  if (archiving.state === 'failing') {
    problems.push({
      code: 'ARCHIVING_FAILING',
      severity: 'error',
      message: `WAL archiving is failing${
        archiving.message ? ` (${archiving.message})` : ''
      }, so point-in-time recovery is not possible: check the object store's credentials (the IAM role of the cluster's service account) and bucket.`,
    });
  }

  // Backups: the newest completed Backup, else the time the Cluster reports.
  const backups = [...objects.backups].sort(
    (a, b) => backupTime(b) - backupTime(a),
  );
  const completed = backups.find(b => b.status?.phase === 'completed');
  const completedAtMs = completed
    ? backupTime(completed)
    : parseTimestamp(cluster.status?.lastSuccessfulBackup);
  const lastSuccessfulBackup =
    completedAtMs === undefined
      ? undefined
      : {
          ...(completed?.metadata?.name && { name: completed.metadata.name }),
          completedAt: new Date(completedAtMs).toISOString(),
          ageSeconds: Math.max(0, Math.round((nowMs - completedAtMs) / 1000)),
        };
  const schedules = objects.scheduledBackups;
  const backupConfigured =
    schedules.length > 0 || archiving.state !== 'not-configured';
  const createdMs = parseTimestamp(cluster.metadata?.creationTimestamp);
  const maxAge = BACKUP_MAX_AGE_HOURS * HOUR;
  if (!backupConfigured) {
    problems.push({
      code: 'NO_BACKUP_CONFIGURED',
      severity: 'warning',
      message:
        'No backup is configured, so this data cannot be restored: add a ScheduledBackup and WAL archiving (cnpg:database:create with its backup input does both).',
    });
  } else if (lastSuccessfulBackup && lastSuccessfulBackup.ageSeconds > maxAge) {
    problems.push({
      code: 'NO_RECENT_BACKUP',
      severity: 'error',
      message: `No successful backup in ${BACKUP_MAX_AGE_HOURS} h (the last one finished ${formatDuration(
        lastSuccessfulBackup.ageSeconds,
      )} ago): check the latest Backup's error with \`kubectl describe backup -n ${namespace}\` and that its ScheduledBackup is not suspended.`,
    });
  } else if (
    !lastSuccessfulBackup &&
    createdMs !== undefined &&
    (nowMs - createdMs) / 1000 > maxAge
  ) {
    problems.push({
      code: 'NO_RECENT_BACKUP',
      severity: 'error',
      message: `No successful backup since the cluster was created ${formatDuration(
        (nowMs - createdMs) / 1000,
      )} ago: check the Backups' errors with \`kubectl describe backup -n ${namespace}\` and the object store's credentials.`,
    });
  }
  const latest = backups[0];
  if (latest?.status?.phase === 'failed') {
    problems.push({
      code: 'LAST_BACKUP_FAILED',
      severity: 'warning',
      message: `The latest backup ${latest.metadata?.name ?? ''} failed${
        latest.status.error ? ` (${latest.status.error})` : ''
      }: fix the cause; the next scheduled backup retries.`,
    });
  }
  for (const s of schedules) {
    if (s.spec?.suspend) {
      problems.push({
        code: 'SCHEDULED_BACKUP_SUSPENDED',
        severity: 'warning',
        message: `The scheduled backup ${
          s.metadata?.name ?? ''
        } is suspended: set spec.suspend to false to resume backups.`,
      });
    }
  }
  const next = schedules
    .filter(s => !s.spec?.suspend)
    .map(s => parseTimestamp(s.status?.nextScheduleTime))
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b)[0];

  // Certificates: the one that expires first.
  const expirations = Object.entries(
    cluster.status?.certificates?.expirations ?? {},
  )
    .map(([certificate, text]) => ({ certificate, at: parseTimestamp(text) }))
    .filter((e): e is { certificate: string; at: number } => e.at !== undefined)
    .sort((a, b) => a.at - b.at);
  const first = expirations[0];
  const certificateExpiry = first && {
    name: first.certificate,
    expiresAt: new Date(first.at).toISOString(),
    daysLeft: Math.floor((first.at - nowMs) / 1000 / DAY),
  };
  if (
    certificateExpiry &&
    first.at - nowMs < CERTIFICATE_WARNING_DAYS * DAY * 1000
  ) {
    const expired = first.at <= nowMs;
    problems.push({
      code: 'CERTIFICATE_EXPIRING',
      severity: expired ? 'error' : 'warning',
      message: `The certificate ${first.certificate} ${
        expired
          ? 'has expired'
          : `expires in ${formatDuration((first.at - nowMs) / 1000)}`
      }: CloudNativePG renews the certificates it issued itself, so check the operator is running; a certificate you provide must be renewed by whoever issues it (e.g. cert-manager).`,
    });
  }

  const databases = objects.databases.map(d => ({
    name: d.spec?.name ?? d.metadata?.name ?? '',
    ...(d.spec?.owner && { owner: d.spec.owner }),
    ...(d.status?.applied !== undefined && { applied: d.status.applied }),
    ...(d.status?.message && { message: d.status.message }),
  }));
  for (const d of databases) {
    if (d.applied === false) {
      problems.push({
        code: 'DATABASE_NOT_APPLIED',
        severity: 'warning',
        message: `The database ${d.name} is not created yet${
          d.message ? ` (${d.message})` : ''
        }: its owner role must exist in the cluster (spec.managed.roles).`,
      });
    }
  }

  const image = cluster.status?.image ?? cluster.spec?.imageName;
  const postgresVersion = versionOf(cluster);
  return {
    namespace,
    name,
    shared: objects.shared ?? false,
    phase,
    ...(cluster.status?.phaseReason && {
      phaseReason: cluster.status.phaseReason,
    }),
    health,
    instances: { ready, desired },
    ...(cluster.status?.currentPrimary && {
      primary: cluster.status.currentPrimary,
    }),
    ...(image && { image }),
    ...(postgresVersion && { postgresVersion }),
    ...(cluster.spec?.storage?.size && {
      storageSize: cluster.spec.storage.size,
    }),
    archiving,
    ...(lastSuccessfulBackup && { lastSuccessfulBackup }),
    ...(next !== undefined && {
      nextScheduledBackup: new Date(next).toISOString(),
    }),
    ...(certificateExpiry && { certificateExpiry }),
    databases,
    problems,
  };
}
