import type { ProblemSeverity } from '../types';

/*
 * The database card's response contract:
 * GET /api/canary/entities/:namespace/:kind/:name/databases. Field names are an interface;
 * change them only together with every consumer.
 */

/** The CloudNativePG databases of one entity across every configured cluster. */
export type DatabaseStatusResponse = {
  /** The entity, as a full ref: `component:default/orders-api`. */
  entityRef: string;
  clusters: ClusterDatabases[];
};

/** What one Kubernetes cluster says. */
export type ClusterDatabases = {
  cluster: string;
  /** Set when the cluster could not be read. */
  error?: { message: string; statusCode?: number };
  /** Set while the cluster's first list is still running: its databases are not known yet. */
  syncing?: boolean;
  databases: PostgresCluster[];
};

/**
 * `healthy`: in CloudNativePG's healthy phase with every instance ready; `progressing`:
 * being created, upgraded or switched over; `degraded`: serving with instances missing;
 * `failed`: in a phase CloudNativePG does not leave on its own.
 */
export type DatabaseHealth = 'healthy' | 'progressing' | 'degraded' | 'failed';

/** `ok` and `failing` from the Cluster's ContinuousArchiving condition. */
export type ArchivingState = 'ok' | 'failing' | 'not-configured' | 'unknown';

export type DatabaseProblemCode =
  | 'CLUSTER_FAILED'
  | 'INSTANCES_NOT_READY'
  | 'ARCHIVING_FAILING'
  | 'NO_BACKUP_CONFIGURED'
  | 'NO_RECENT_BACKUP'
  | 'LAST_BACKUP_FAILED'
  | 'SCHEDULED_BACKUP_SUSPENDED'
  | 'CERTIFICATE_EXPIRING'
  | 'DATABASE_NOT_APPLIED';

export type DatabaseProblem = {
  code: DatabaseProblemCode | string;
  severity: ProblemSeverity;
  /** What is wrong and how to fix it, in one sentence. */
  message: string;
};

/** One CloudNativePG `Cluster` (a PostgreSQL primary and its replicas). */
export type PostgresCluster = {
  namespace: string;
  name: string;
  /** True when it is another entity's Cluster hosting one of this entity's databases. */
  shared: boolean;
  /** CloudNativePG's phase, as it words it ("Cluster in healthy state"); '' before the first status. */
  phase: string;
  phaseReason?: string;
  health: DatabaseHealth;
  instances: { ready: number; desired: number };
  /** The primary instance's pod. */
  primary?: string;
  image?: string;
  /** The PostgreSQL version: the image tag when it is one ("17.2"), else the major version. */
  postgresVersion?: string;
  storageSize?: string;
  archiving: { state: ArchivingState; message?: string };
  lastSuccessfulBackup?: {
    /** The Backup object, when the time comes from one. */
    name?: string;
    completedAt: string;
    ageSeconds: number;
  };
  /** When the next scheduled backup starts (the earliest of its ScheduledBackups). */
  nextScheduledBackup?: string;
  /** The certificate that expires first. */
  certificateExpiry?: { name: string; expiresAt: string; daysLeft: number };
  /** The CloudNativePG `Database` objects on it (for a shared Cluster, this entity's only). */
  databases: Array<{
    name: string;
    owner?: string;
    applied?: boolean;
    message?: string;
  }>;
  problems: DatabaseProblem[];
};
