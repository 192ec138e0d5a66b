import { InputError } from '@backstage/errors';

/**
 * Validation and defaults of cnpg:database:create's input: pure functions, run before any
 * call to a cluster. Every error is an InputError naming the field and the rule.
 */

/** One environment of the `environments` input. */
export type EnvironmentInput = {
  name: string;
  cluster: string;
  namespace?: string;
  instances?: number;
};

/** The `backup` input: WAL archiving and base backups to S3 through the Barman Cloud plugin. */
export type BackupInput = {
  enabled?: boolean;
  destinationPath: string;
  roleArn?: string;
  retentionPolicy?: string;
  schedule?: string;
};

export type DatabaseMode = 'dedicated' | 'shared';

/** The action's input, as a template passes it. */
export type CreateDatabaseInput = {
  name: string;
  namespace?: string;
  cluster?: string;
  environments?: EnvironmentInput[];
  mode?: DatabaseMode;
  sharedCluster?: string;
  sharedClusterNamespace?: string;
  instances?: number;
  storageSize?: string;
  storageClass?: string;
  postgresVersion?: string;
  database?: string;
  owner?: string;
  backup?: BackupInput;
  createNamespace?: boolean;
  waitForReady?: boolean;
  waitTimeoutSeconds?: number;
};

export const DEFAULTS = {
  mode: 'dedicated' as DatabaseMode,
  storageSize: '1Gi',
  database: 'app',
  owner: 'app',
  createNamespace: false,
  waitForReady: false,
  waitTimeoutSeconds: 600,
  retentionPolicy: '30d',
  /** Every day at 03:00 (the Barman Cloud plugin's cron has a seconds field first). */
  backupSchedule: '0 0 3 * * *',
  /** Instances when neither the environment nor the input says. */
  instances: 1,
};

/** Instances by environment name, when neither the environment nor `instances` says. */
export const DEFAULT_INSTANCES_BY_ENVIRONMENT: Readonly<
  Record<string, number>
> = { staging: 1, production: 3 };

export const POSTGRES_PORT = 5432;
export const MAX_INSTANCES = 9;
export const MAX_WAIT_TIMEOUT_SECONDS = 3600;
/**
 * `<name>` leaves room for every name CloudNativePG derives from the cluster `<name>-db`
 * within the 63 characters of a DNS label: pods and PVCs `<name>-db-<serial>`, services
 * `<name>-db-rw`, jobs `<name>-db-<serial>-initdb` and their pods' random suffix.
 */
export const MAX_NAME_LENGTH = 40;
/** The smallest storage size accepted: anything less is almost certainly a missing unit. */
export const MIN_STORAGE_BYTES = 1024 * 1024;
export const POSTGRES_IMAGE_REPOSITORY = 'ghcr.io/cloudnative-pg/postgresql';
export const MIN_POSTGRES_MAJOR = 13;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes resource.Quantity, as its CRD schemas spell it. */
const QUANTITY =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const PG_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const PG_MAX_IDENTIFIER_LENGTH = 63;
const POSTGRES_VERSION = /^(\d+)(\.\d+)?$/;
/** `[registry[:port]/]repository[:tag][@sha256:digest]`, lower case, with a tag or a digest. */
const IMAGE_REFERENCE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const S3_DESTINATION = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;
const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const RETENTION_POLICY = /^[1-9][0-9]*[dwm]$/;
const CRON_DESCRIPTOR =
  /^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every \S+)$/;
const CRON_FIELD = /^[0-9A-Za-z*/,?-]+$/;

const RESERVED_DATABASES = ['postgres', 'template0', 'template1'];
const RESERVED_ROLES = [
  'postgres',
  'streaming_replica',
  'cnpg_pooler_pgbouncer',
];

const fail = (field: string, rule: string): never => {
  throw new InputError(`${field}: ${rule}`);
};

const show = (value: unknown) => JSON.stringify(value);

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    return fail(field, `must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

/** A DNS-1123 label: a namespace, an environment name. */
export function validateDns1123Label(value: unknown, field: string): string {
  const s = requireString(value, field);
  if (s.length > 63 || !DNS1123_LABEL.test(s)) {
    fail(
      field,
      `${show(
        s,
      )} is not a DNS-1123 label (at most 63 characters: lower-case letters, digits and '-', starting and ending with a letter or digit)`,
    );
  }
  return s;
}

/** A DNS-1123 subdomain: a StorageClass name. */
export function validateDns1123Subdomain(value: unknown, field: string) {
  const s = requireString(value, field);
  if (s.length > 253 || !DNS1123_SUBDOMAIN.test(s)) {
    fail(
      field,
      `${show(
        s,
      )} is not a DNS-1123 subdomain (at most 253 characters: lower-case letters, digits, '-' and '.')`,
    );
  }
  return s;
}

/**
 * The service name: a DNS-1035 label (services `<name>-db-rw` must start with a letter)
 * short enough for every name CloudNativePG derives from `<name>-db`.
 */
export function validateName(value: unknown, field = 'name'): string {
  const s = requireString(value, field);
  if (!DNS1035_LABEL.test(s)) {
    fail(
      field,
      `${show(
        s,
      )} is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit)`,
    );
  }
  if (s.length > MAX_NAME_LENGTH) {
    fail(
      field,
      `${show(s)} has ${
        s.length
      } characters; at most ${MAX_NAME_LENGTH}, so that the names CloudNativePG derives from '${s}-db' (pods, services, jobs) stay within 63`,
    );
  }
  return s;
}

const QUANTITY_SUFFIXES: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity's value (`1Gi` → 1073741824), or undefined when it is not a quantity. */
export function quantityValue(quantity: string): number | undefined {
  if (!QUANTITY.test(quantity)) return undefined;
  const m = quantity.match(/^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/)!;
  const [, number, suffix] = m;
  if (/^[eE]/.test(suffix)) return Number(`${number}${suffix}`);
  return Number(number) * QUANTITY_SUFFIXES[suffix];
}

/** A storage size: a Kubernetes quantity of at least 1Mi. */
export function validateStorageSize(value: unknown, field = 'storageSize') {
  const s = requireString(value, field);
  const bytes = quantityValue(s);
  if (bytes === undefined) {
    fail(
      field,
      `${show(
        s,
      )} is not a Kubernetes quantity (a number with an optional suffix such as Mi, Gi, Ti, M, G: e.g. '10Gi')`,
    );
  }
  if (bytes! < MIN_STORAGE_BYTES) {
    fail(
      field,
      `${show(s)} is less than 1Mi; give a unit, e.g. '${s.replace(
        /^[+]/,
        '',
      )}Gi'`,
    );
  }
  return s;
}

/** Instances of a dedicated cluster: an integer from 1 to 9. */
export function validateInstances(value: unknown, field = 'instances'): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_INSTANCES
  ) {
    return fail(
      field,
      `must be an integer from 1 to ${MAX_INSTANCES}, got ${show(value)}`,
    );
  }
  return value;
}

/**
 * `postgresVersion` → the Cluster's imageName: a major (`17`) or major.minor (`17.5`)
 * version of CloudNativePG's PostgreSQL image, or a full image reference with a tag or
 * digest (`registry.example.com/postgresql:17.5-standard-bookworm`).
 */
export function postgresImage(value: unknown, field = 'postgresVersion') {
  const s = requireString(value, field);
  const version = s.match(POSTGRES_VERSION);
  if (version) {
    const major = Number(version[1]);
    if (major < MIN_POSTGRES_MAJOR) {
      fail(
        field,
        `PostgreSQL ${major} is not supported by CloudNativePG; use ${MIN_POSTGRES_MAJOR} or later`,
      );
    }
    return `${POSTGRES_IMAGE_REPOSITORY}:${s}`;
  }
  if (!IMAGE_REFERENCE.test(s) || !/[:@]/.test(s.split('/').pop()!)) {
    fail(
      field,
      `${show(
        s,
      )} is neither a PostgreSQL version (e.g. '17' or '17.5') nor an image reference with a tag or digest (e.g. '${POSTGRES_IMAGE_REPOSITORY}:17.5')`,
    );
  }
  return s;
}

/** A PostgreSQL database or role name Runway accepts: a lower-case unquoted identifier. */
export function validatePgIdentifier(
  value: unknown,
  field: 'database' | 'owner',
): string {
  const s = requireString(value, field);
  if (s.length > PG_MAX_IDENTIFIER_LENGTH || !PG_IDENTIFIER.test(s)) {
    fail(
      field,
      `${show(
        s,
      )} is not a PostgreSQL identifier Runway accepts (at most 63 characters: lower-case letters, digits and '_', not starting with a digit)`,
    );
  }
  if (field === 'database' && RESERVED_DATABASES.includes(s)) {
    fail(field, `${show(s)} is reserved by PostgreSQL`);
  }
  if (
    field === 'owner' &&
    (RESERVED_ROLES.includes(s) || s.startsWith('pg_'))
  ) {
    fail(field, `${show(s)} is reserved by PostgreSQL or CloudNativePG`);
  }
  return s;
}

function validateBoolean(value: unknown, field: string, fallback: boolean) {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    return fail(field, `must be true or false, got ${show(value)}`);
  }
  return value;
}

export function validateWaitTimeout(
  value: unknown,
  field = 'waitTimeoutSeconds',
) {
  if (value === undefined) return DEFAULTS.waitTimeoutSeconds;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_WAIT_TIMEOUT_SECONDS
  ) {
    return fail(
      field,
      `must be an integer from 1 to ${MAX_WAIT_TIMEOUT_SECONDS} (seconds), got ${show(
        value,
      )}`,
    );
  }
  return value;
}

/** A backup schedule: six cron fields (seconds first) or a descriptor such as `@daily`. */
export function validateSchedule(value: unknown, field = 'backup.schedule') {
  const s = requireString(value, field).trim();
  if (CRON_DESCRIPTOR.test(s)) return s;
  const fields = s.split(/\s+/);
  if (fields.length !== 6 || !fields.every(f => CRON_FIELD.test(f))) {
    fail(
      field,
      `${show(
        s,
      )} is not a schedule CloudNativePG accepts: six cron fields, seconds first (e.g. '0 0 3 * * *' for 03:00 every day), or a descriptor such as '@daily'`,
    );
  }
  return s;
}

/** The resolved `backup` input. */
export type BackupPlan = {
  /** The S3 prefix given; each target archives under `<destinationPath>/<environment or cluster>`. */
  destinationPath: string;
  roleArn?: string;
  retentionPolicy: string;
  schedule: string;
};

export function validateBackup(value: unknown): BackupPlan | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    return fail('backup', `must be an object, got ${show(value)}`);
  }
  const backup = value as Record<string, unknown>;
  if (!validateBoolean(backup.enabled, 'backup.enabled', true)) {
    return undefined;
  }
  const destinationPath = requireString(
    backup.destinationPath,
    'backup.destinationPath',
  ).replace(/\/+$/, '');
  if (!S3_DESTINATION.test(destinationPath)) {
    fail(
      'backup.destinationPath',
      `${show(
        backup.destinationPath,
      )} is not an S3 location (s3://<bucket>[/<prefix>], e.g. 's3://acme-pg-backups/orders')`,
    );
  }
  let roleArn: string | undefined;
  if (backup.roleArn !== undefined && backup.roleArn !== '') {
    roleArn = requireString(backup.roleArn, 'backup.roleArn');
    if (!IAM_ROLE_ARN.test(roleArn)) {
      fail(
        'backup.roleArn',
        `${show(
          roleArn,
        )} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`,
      );
    }
  }
  const retentionPolicy =
    backup.retentionPolicy === undefined
      ? DEFAULTS.retentionPolicy
      : requireString(backup.retentionPolicy, 'backup.retentionPolicy');
  if (!RETENTION_POLICY.test(retentionPolicy)) {
    fail(
      'backup.retentionPolicy',
      `${show(
        retentionPolicy,
      )} is not a retention policy (a positive number of days, weeks or months: '30d', '4w', '6m')`,
    );
  }
  const schedule =
    backup.schedule === undefined
      ? DEFAULTS.backupSchedule
      : validateSchedule(backup.schedule);
  return { destinationPath, roleArn, retentionPolicy, schedule };
}

/** What the action hands back for one target. */
export type DatabaseOutputs = {
  clusterName: string;
  secretName: string;
  host: string;
  port: number;
  database: string;
};

type TargetBase = {
  /** The environment's name; undefined for the single `cluster` form. */
  environment?: string;
  /** The configured Kubernetes cluster (`kubernetes` config) to apply to. */
  kubernetesCluster: string;
  /** The namespace the objects go to. */
  namespace: string;
  /** The service name. */
  name: string;
  database: string;
  owner: string;
  outputs: DatabaseOutputs;
};

/** A dedicated CloudNativePG Cluster `<name>-db` in one Kubernetes cluster. */
export type DedicatedTarget = TargetBase & {
  mode: 'dedicated';
  createNamespace: boolean;
  instances: number;
  storageSize: string;
  storageClass?: string;
  imageName?: string;
  backup?: BackupPlan & {
    /** `<destinationPath>/<environment or cluster>`. */
    objectStorePath: string;
  };
};

/** A Database on an existing shared CloudNativePG Cluster. */
export type SharedTarget = TargetBase & {
  mode: 'shared';
  /** The shared Cluster's name (in `namespace`). */
  sharedCluster: string;
};

export type DatabaseTarget = DedicatedTarget | SharedTarget;

/** The whole validated request: one target per environment (or one for `cluster`). */
export type DatabasePlan = {
  targets: DatabaseTarget[];
  waitForReady: boolean;
  waitTimeoutSeconds: number;
  /** Inputs given that the mode ignores, to log. */
  warnings: string[];
};

export const clusterNameOf = (name: string) => `${name}-db`;
export const appSecretNameOf = (name: string) => `${clusterNameOf(name)}-app`;
export const serviceHost = (clusterName: string, namespace: string) =>
  `${clusterName}-rw.${namespace}.svc`;

function validateEnvironments(value: unknown): EnvironmentInput[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    return fail(
      'environments',
      `must be a non-empty list of { name, cluster, namespace?, instances? }, got ${show(
        value,
      )}`,
    );
  }
  const seen = new Set<string>();
  return value.map((env: unknown, i) => {
    const field = `environments[${i}]`;
    if (typeof env !== 'object' || env === null || Array.isArray(env)) {
      return fail(
        field,
        `must be an object { name, cluster, namespace?, instances? }`,
      );
    }
    const e = env as Record<string, unknown>;
    const name = validateDns1123Label(e.name, `${field}.name`);
    if (seen.has(name)) {
      fail(`${field}.name`, `environment '${name}' is listed twice`);
    }
    seen.add(name);
    return {
      name,
      cluster: requireString(e.cluster, `${field}.cluster`),
      namespace:
        e.namespace === undefined
          ? undefined
          : validateDns1123Label(e.namespace, `${field}.namespace`),
      instances:
        e.instances === undefined
          ? undefined
          : validateInstances(e.instances, `${field}.instances`),
    };
  });
}

function unknownCluster(cluster: string, known: string[]): string | undefined {
  if (known.includes(cluster)) return undefined;
  return `no Kubernetes cluster named '${cluster}' is configured (kubernetes.clusterLocatorMethods); known: ${
    known.join(', ') || 'none'
  }`;
}

/**
 * Validates the input and resolves its defaults into one target per environment. Needs
 * only the names of the configured clusters: no call to any cluster.
 */
export function planDatabase(
  input: CreateDatabaseInput,
  options: {
    knownClusters: string[];
    /**
     * What an unknown cluster is: an error (default), or a warning (a dry run, which
     * calls no cluster: e.g. the template editor of a portal with no cluster configured).
     */
    unknownClusters?: 'error' | 'warn';
  },
): DatabasePlan {
  if (typeof input !== 'object' || input === null) {
    return fail('input', 'must be an object');
  }
  const warnings: string[] = [];
  const checkCluster = (cluster: string, field: string) => {
    const problem = unknownCluster(cluster, options.knownClusters);
    if (problem && options.unknownClusters === 'warn') {
      warnings.push(`${field}: ${problem}; a real run fails`);
    } else if (problem) {
      fail(field, problem);
    }
  };
  const name = validateName(input.name);
  const mode = input.mode ?? DEFAULTS.mode;
  if (mode !== 'dedicated' && mode !== 'shared') {
    fail('mode', `must be 'dedicated' or 'shared', got ${show(mode)}`);
  }
  const namespace =
    input.namespace === undefined || input.namespace === ''
      ? name
      : validateDns1123Label(input.namespace, 'namespace');

  const environments = validateEnvironments(input.environments);
  const hasCluster = input.cluster !== undefined && input.cluster !== '';
  if (hasCluster && environments) {
    fail('cluster', 'give either cluster or environments, not both');
  }
  if (!hasCluster && !environments) {
    fail(
      'cluster',
      'required unless environments is given: the Kubernetes cluster to create the database in',
    );
  }
  const places = environments
    ? environments.map((env, i) => {
        checkCluster(env.cluster, `environments[${i}].cluster`);
        return { ...env, namespace: env.namespace ?? namespace };
      })
    : [
        {
          name: undefined,
          cluster: requireString(input.cluster, 'cluster'),
          namespace,
          instances: undefined,
        },
      ];
  if (!environments) {
    checkCluster(places[0].cluster, 'cluster');
  }

  const createNamespace = validateBoolean(
    input.createNamespace,
    'createNamespace',
    DEFAULTS.createNamespace,
  );
  const waitForReady = validateBoolean(
    input.waitForReady,
    'waitForReady',
    DEFAULTS.waitForReady,
  );
  const waitTimeoutSeconds = validateWaitTimeout(input.waitTimeoutSeconds);
  const identifierDefault =
    mode === 'shared' ? name.replace(/-/g, '_') : DEFAULTS.database;
  const database = validatePgIdentifier(
    input.database || identifierDefault,
    'database',
  );
  const owner = validatePgIdentifier(
    input.owner || (mode === 'shared' ? identifierDefault : DEFAULTS.owner),
    'owner',
  );

  let targets: DatabaseTarget[];
  if (mode === 'shared') {
    const sharedCluster = validateDns1123Label(
      input.sharedCluster,
      'sharedCluster',
    );
    const sharedNamespace =
      input.sharedClusterNamespace === undefined ||
      input.sharedClusterNamespace === ''
        ? undefined
        : validateDns1123Label(
            input.sharedClusterNamespace,
            'sharedClusterNamespace',
          );
    if (validateBackup(input.backup)) {
      fail(
        'backup',
        "applies to mode 'dedicated' only: a shared cluster's backups are configured on the shared cluster",
      );
    }
    const ignored: string[] = (
      ['instances', 'storageSize', 'storageClass', 'postgresVersion'] as const
    ).filter(k => input[k] !== undefined && input[k] !== '');
    if (environments?.some(e => e.instances !== undefined)) {
      ignored.push('environments[].instances');
    }
    if (createNamespace) ignored.push('createNamespace');
    if (waitForReady) ignored.push('waitForReady');
    if (ignored.length) {
      warnings.push(
        `mode 'shared' ignores ${ignored.join(
          ', ',
        )}: they configure a dedicated cluster, and the shared cluster '${sharedCluster}' already runs`,
      );
    }
    targets = places.map(place => {
      const targetNamespace = sharedNamespace ?? place.namespace;
      return {
        mode: 'shared',
        environment: place.name,
        kubernetesCluster: place.cluster,
        namespace: targetNamespace,
        name,
        database,
        owner,
        sharedCluster,
        outputs: {
          clusterName: sharedCluster,
          secretName: appSecretNameOf(name),
          host: serviceHost(sharedCluster, targetNamespace),
          port: POSTGRES_PORT,
          database,
        },
      };
    });
  } else {
    if (input.sharedCluster || input.sharedClusterNamespace) {
      fail(
        input.sharedCluster ? 'sharedCluster' : 'sharedClusterNamespace',
        "applies to mode 'shared' only; set mode: shared to use an existing cluster",
      );
    }
    const instances =
      input.instances === undefined
        ? undefined
        : validateInstances(input.instances);
    const storageSize = validateStorageSize(
      input.storageSize || DEFAULTS.storageSize,
    );
    const storageClass = input.storageClass
      ? validateDns1123Subdomain(input.storageClass, 'storageClass')
      : undefined;
    const imageName = input.postgresVersion
      ? postgresImage(input.postgresVersion)
      : undefined;
    const backup = validateBackup(input.backup);
    targets = places.map(place => {
      const clusterName = clusterNameOf(name);
      return {
        mode: 'dedicated',
        environment: place.name,
        kubernetesCluster: place.cluster,
        namespace: place.namespace,
        name,
        database,
        owner,
        createNamespace,
        instances:
          place.instances ??
          instances ??
          (place.name !== undefined
            ? DEFAULT_INSTANCES_BY_ENVIRONMENT[place.name]
            : undefined) ??
          DEFAULTS.instances,
        storageSize,
        storageClass,
        imageName,
        backup: backup && {
          ...backup,
          objectStorePath: `${backup.destinationPath}/${
            place.name ?? place.cluster
          }`,
        },
        outputs: {
          clusterName,
          secretName: appSecretNameOf(name),
          host: serviceHost(clusterName, place.namespace),
          port: POSTGRES_PORT,
          database,
        },
      };
    });
  }

  const seen = new Map<string, string>();
  for (const t of targets) {
    const where = `${t.kubernetesCluster}/${t.namespace}`;
    const label = t.environment ?? t.kubernetesCluster;
    if (seen.has(where)) {
      fail(
        'environments',
        `environments '${seen.get(
          where,
        )}' and '${label}' both target namespace '${t.namespace}' of cluster '${
          t.kubernetesCluster
        }'`,
      );
    }
    seen.set(where, label);
  }
  return {
    targets,
    waitForReady: waitForReady && mode === 'dedicated',
    waitTimeoutSeconds,
    warnings,
  };
}
