/*
 * Minimal structural types of the CloudNativePG objects the database status is computed
 * from (postgresql.cnpg.io/v1). Every field is optional where the API makes it optional.
 */

type Meta = {
  name?: string;
  namespace?: string;
  creationTimestamp?: string;
  labels?: { [name: string]: string };
};

type Condition = {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};

/** postgresql.cnpg.io/v1 Cluster. */
export type CnpgCluster = {
  metadata?: Meta;
  spec?: {
    instances?: number;
    imageName?: string;
    storage?: { size?: string };
    backup?: { barmanObjectStore?: object };
    plugins?: Array<{
      name?: string;
      enabled?: boolean;
      isWALArchiver?: boolean;
    }>;
  };
  status?: {
    phase?: string;
    phaseReason?: string;
    instances?: number;
    readyInstances?: number;
    currentPrimary?: string;
    image?: string;
    pgDataImageInfo?: { image?: string; majorVersion?: number };
    certificates?: { expirations?: { [name: string]: string } };
    conditions?: Condition[];
    lastSuccessfulBackup?: string;
  };
};

/** postgresql.cnpg.io/v1 Backup. */
export type CnpgBackup = {
  metadata?: Meta;
  spec?: { cluster?: { name?: string }; method?: string };
  status?: {
    phase?: string;
    startedAt?: string;
    stoppedAt?: string;
    error?: string;
  };
};

/** postgresql.cnpg.io/v1 ScheduledBackup. */
export type CnpgScheduledBackup = {
  metadata?: Meta;
  spec?: {
    schedule?: string;
    cluster?: { name?: string };
    suspend?: boolean;
  };
  status?: { lastScheduleTime?: string; nextScheduleTime?: string };
};

/** postgresql.cnpg.io/v1 Database. */
export type CnpgDatabase = {
  metadata?: Meta;
  spec?: { name?: string; owner?: string; cluster?: { name?: string } };
  status?: { applied?: boolean; message?: string };
};
