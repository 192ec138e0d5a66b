import { InputError } from '@backstage/errors';
import {
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  emptyAsAbsent,
  parseInput,
  quantity,
  quantityValue,
} from '@runway/plugin-runway-common';
import { z } from 'zod/v3';

/**
 * cnpg:database:create's input: one zod schema with the real rules (the action publishes
 * it, `planDatabase` enforces it), and the plan it resolves to, one target per environment.
 * Pure, run before any call to a cluster; every error is an InputError naming the field and
 * the rule.
 */

export type DatabaseMode = 'dedicated' | 'shared';

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

const PG_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
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

const show = (value: unknown) => JSON.stringify(value);

/**
 * `postgresVersion` → the Cluster's imageName: a major (`17`) or major.minor (`17.5`)
 * version of CloudNativePG's PostgreSQL image, or a full image reference with a tag or
 * digest (`registry.example.com/postgresql:17.5-standard-bookworm`), as it is. Expects a
 * value `postgresVersionProblem` accepts.
 */
export function postgresImage(version: string): string {
  return POSTGRES_VERSION.test(version)
    ? `${POSTGRES_IMAGE_REPOSITORY}:${version}`
    : version;
}

/** Why a `postgresVersion` is neither a supported version nor an image reference, or undefined. */
export function postgresVersionProblem(value: string): string | undefined {
  const version = value.match(POSTGRES_VERSION);
  if (version) {
    const major = Number(version[1]);
    return major < MIN_POSTGRES_MAJOR
      ? `PostgreSQL ${major} is not supported by CloudNativePG; use ${MIN_POSTGRES_MAJOR} or later`
      : undefined;
  }
  if (!IMAGE_REFERENCE.test(value) || !/[:@]/.test(value.split('/').pop()!)) {
    return `${show(
      value,
    )} is neither a PostgreSQL version (e.g. '17' or '17.5') nor an image reference with a tag or digest (e.g. '${POSTGRES_IMAGE_REPOSITORY}:17.5')`;
  }
  return undefined;
}

/** Why a backup schedule is not one CloudNativePG accepts, or undefined. */
export function scheduleProblem(value: string): string | undefined {
  const s = value.trim();
  if (CRON_DESCRIPTOR.test(s)) return undefined;
  const fields = s.split(/\s+/);
  if (fields.length === 6 && fields.every(f => CRON_FIELD.test(f))) {
    return undefined;
  }
  return `${show(
    s,
  )} is not a schedule CloudNativePG accepts: six cron fields, seconds first (e.g. '0 0 3 * * *' for 03:00 every day), or a descriptor such as '@daily'`;
}

const check =
  (problemOf: (value: string) => string | undefined) =>
  (value: string, ctx: z.RefinementCtx) => {
    const message = problemOf(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  };

const instances = () =>
  z
    .number()
    .int(`is not an integer from 1 to ${MAX_INSTANCES}`)
    .min(1, `is not an integer from 1 to ${MAX_INSTANCES}`)
    .max(MAX_INSTANCES, `is not an integer from 1 to ${MAX_INSTANCES}`);

/** A PostgreSQL database or role name Runway accepts: a lower-case unquoted identifier. */
const pgIdentifier = () =>
  z
    .string()
    .max(63, 'is longer than 63 characters')
    .regex(
      PG_IDENTIFIER,
      "is not a PostgreSQL identifier Runway accepts (lower-case letters, digits and '_', not starting with a digit)",
    );

/** The service name: a DNS-1035 label (services `<name>-db-rw` must start with a letter). */
const serviceName = () =>
  dns1035Label({
    maxLength: MAX_NAME_LENGTH,
    maxLengthReason:
      "(the names CloudNativePG derives from '<name>-db': pods, services, jobs, must stay within 63)",
  });

const environmentSchema = z
  .object({
    name: dns1123Label().describe(
      'Environment name (DNS-1123 label), e.g. `staging` or `production`; sets the default instances and the backup folder.',
    ),
    cluster: z
      .string()
      .min(1, 'must not be empty')
      .describe(
        'The Kubernetes cluster of the `kubernetes` config for this environment.',
      ),
    namespace: emptyAsAbsent(dns1123Label()).describe(
      "This environment's namespace (DNS-1123 label). Default: the `namespace` input.",
    ),
    instances: instances()
      .optional()
      .describe(
        `This environment's instances (1–${MAX_INSTANCES}). Default: \`instances\`, else 3 for \`production\`, 1 otherwise.`,
      ),
  })
  .describe('One environment: where its database goes.');

const backupSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Whether to back up. Default: true when `backup` is given.'),
    destinationPath: z
      .string()
      .regex(
        S3_DESTINATION,
        "is not an S3 location (s3://<bucket>[/<prefix>], e.g. 's3://acme-pg-backups/orders')",
      )
      .transform(path => path.replace(/\/+$/, ''))
      .optional()
      .describe(
        'S3 location (`s3://<bucket>[/<prefix>]`); each environment archives under `<destinationPath>/<environment or cluster>/<name>-db`. Required when enabled.',
      ),
    roleArn: emptyAsAbsent(
      z
        .string()
        .regex(
          IAM_ROLE_ARN,
          'is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
        ),
    ).describe(
      "IAM role the cluster's service account assumes (IRSA annotation). Omit with EKS Pod Identity.",
    ),
    retentionPolicy: z
      .string()
      .regex(
        RETENTION_POLICY,
        "is not a retention policy (a positive number of days, weeks or months: '30d', '4w', '6m')",
      )
      .default(DEFAULTS.retentionPolicy)
      .describe(
        `How long backups are kept: \`<n>d\`, \`<n>w\` or \`<n>m\`. Default: \`${DEFAULTS.retentionPolicy}\`.`,
      ),
    schedule: z
      .string()
      .superRefine(check(scheduleProblem))
      .transform(schedule => schedule.trim())
      .default(DEFAULTS.backupSchedule)
      .describe(
        `Base backup schedule: six cron fields, seconds first, or a descriptor such as \`@daily\`. Default: \`${DEFAULTS.backupSchedule}\` (03:00 daily).`,
      ),
  })
  .superRefine((backup, ctx) => {
    if (backup.enabled && backup.destinationPath === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['destinationPath'],
        message: 'is required when backup is enabled',
      });
    }
  });

/** The fields of the input, in the order the action documents them. */
const inputShape = {
  name: serviceName().describe(
    `Service name; the CloudNativePG cluster is \`<name>-db\` and its credentials secret \`<name>-db-app\`. DNS-1035 label of at most ${MAX_NAME_LENGTH} characters.`,
  ),
  namespace: emptyAsAbsent(dns1123Label()).describe(
    'Namespace of the database objects (DNS-1123 label). Default: `name`. An environment may override it.',
  ),
  cluster: emptyAsAbsent(z.string()).describe(
    'One Kubernetes cluster of the `kubernetes` config to create the database in. Give either `cluster` or `environments`.',
  ),
  environments: z
    .array(environmentSchema)
    .min(1, 'must list at least one environment')
    .optional()
    .describe(
      'Environments to create the database in, one per Kubernetes cluster and namespace. Give either `cluster` or `environments`.',
    ),
  mode: z
    .enum(['dedicated', 'shared'])
    .default(DEFAULTS.mode)
    .describe(
      '`dedicated` (default): a `postgresql.cnpg.io/v1` Cluster of its own; `shared`: a `Database` on the existing cluster `sharedCluster`.',
    ),
  sharedCluster: emptyAsAbsent(dns1123Label()).describe(
    'Mode `shared`: name of the existing CloudNativePG Cluster to create the database on.',
  ),
  sharedClusterNamespace: emptyAsAbsent(dns1123Label()).describe(
    "Mode `shared`: the shared Cluster's namespace, where the Database object goes. Default: the target namespace.",
  ),
  instances: instances()
    .optional()
    .describe(
      `PostgreSQL instances, 1–${MAX_INSTANCES} (primary plus replicas). Default: 3 for the environment \`production\`, otherwise 1.`,
    ),
  storageSize: quantity()
    .superRefine((size, ctx) => {
      const bytes = quantityValue(size);
      if (bytes !== undefined && bytes < MIN_STORAGE_BYTES) {
        ctx.addIssue({
          code: 'custom',
          message: `${show(
            size,
          )} is less than 1Mi; give a unit, e.g. '${size.replace(
            /^[+]/,
            '',
          )}Gi'`,
        });
      }
    })
    .or(z.literal(''))
    .default(DEFAULTS.storageSize)
    .transform(size => size || DEFAULTS.storageSize)
    .describe(
      `Volume size of each instance, a Kubernetes quantity of at least 1Mi. Default: \`${DEFAULTS.storageSize}\`.`,
    ),
  storageClass: emptyAsAbsent(dns1123Subdomain()).describe(
    "StorageClass of the volumes (DNS-1123 subdomain). Default: the cluster's default StorageClass.",
  ),
  postgresVersion: emptyAsAbsent(
    z.string().superRefine(check(postgresVersionProblem)),
  ).describe(
    "PostgreSQL version (`17`, `17.5`: CloudNativePG's image `ghcr.io/cloudnative-pg/postgresql`) or a full image reference with a tag or digest. Default: the operator's default image.",
  ),
  database: emptyAsAbsent(pgIdentifier()).describe(
    'Database name. Default: `app` (dedicated), the service name with `_` for `-` (shared).',
  ),
  owner: emptyAsAbsent(pgIdentifier()).describe(
    'Owner role of the database. Default: `app` (dedicated), the service name with `_` for `-` (shared; the role must exist on the shared cluster).',
  ),
  backup: backupSchema
    .nullable()
    .optional()
    .describe(
      "Backups with CloudNativePG's Barman Cloud plugin (an ObjectStore, WAL archiving and a ScheduledBackup) to S3. Off by default; dedicated mode only.",
    ),
  createNamespace: z
    .boolean()
    .default(DEFAULTS.createNamespace)
    .describe(
      'Create the namespace when it does not exist. Default: false (a missing namespace is an error).',
    ),
  waitForReady: z
    .boolean()
    .default(DEFAULTS.waitForReady)
    .describe(
      'Wait until every instance of each dedicated cluster is ready. Default: false.',
    ),
  waitTimeoutSeconds: z
    .number()
    .int(`is not an integer from 1 to ${MAX_WAIT_TIMEOUT_SECONDS} (seconds)`)
    .min(1, `is not an integer from 1 to ${MAX_WAIT_TIMEOUT_SECONDS} (seconds)`)
    .max(
      MAX_WAIT_TIMEOUT_SECONDS,
      `is not an integer from 1 to ${MAX_WAIT_TIMEOUT_SECONDS} (seconds)`,
    )
    .default(DEFAULTS.waitTimeoutSeconds)
    .describe(
      `How long to wait for readiness, 1–${MAX_WAIT_TIMEOUT_SECONDS} seconds. Default: ${DEFAULTS.waitTimeoutSeconds}.`,
    ),
};

type ParsedInput = z.output<z.ZodObject<typeof inputShape>>;

/** Where each target goes: `<cluster>/<namespace>`, named after its environment or cluster. */
function placesOf(input: ParsedInput) {
  const namespace = input.namespace ?? input.name;
  const places = input.environments
    ? input.environments.map(env => ({
        label: env.name,
        cluster: env.cluster,
        namespace: env.namespace ?? namespace,
      }))
    : [
        {
          label: input.cluster ?? '',
          cluster: input.cluster ?? '',
          namespace,
        },
      ];
  return input.mode === 'shared' && input.sharedClusterNamespace
    ? places.map(p => ({ ...p, namespace: input.sharedClusterNamespace! }))
    : places;
}

/** The rules across fields: where the database goes, and what each mode takes. */
function checkInput(input: ParsedInput, ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (input.cluster !== undefined && input.environments) {
    issue(['cluster'], 'give either cluster or environments, not both');
  }
  if (input.cluster === undefined && !input.environments) {
    issue(
      ['cluster'],
      'required unless environments is given: the Kubernetes cluster to create the database in',
    );
  }
  const seen = new Set<string>();
  input.environments?.forEach((env, i) => {
    if (seen.has(env.name)) {
      issue(
        ['environments', i, 'name'],
        `environment '${env.name}' is listed twice`,
      );
    }
    seen.add(env.name);
  });
  if (input.mode === 'shared') {
    if (input.sharedCluster === undefined) {
      issue(
        ['sharedCluster'],
        "is required in mode 'shared': the existing CloudNativePG Cluster to create the database on",
      );
    }
    if (input.backup?.enabled) {
      issue(
        ['backup'],
        "applies to mode 'dedicated' only: a shared cluster's backups are configured on the shared cluster",
      );
    }
  } else {
    for (const field of ['sharedCluster', 'sharedClusterNamespace'] as const) {
      if (input[field] !== undefined) {
        issue(
          [field],
          "applies to mode 'shared' only; set mode: shared to use an existing cluster",
        );
      }
    }
  }
  if (input.database && RESERVED_DATABASES.includes(input.database)) {
    issue(['database'], `${show(input.database)} is reserved by PostgreSQL`);
  }
  if (
    input.owner &&
    (RESERVED_ROLES.includes(input.owner) || input.owner.startsWith('pg_'))
  ) {
    issue(
      ['owner'],
      `${show(input.owner)} is reserved by PostgreSQL or CloudNativePG`,
    );
  }
  const targeted = new Map<string, string>();
  for (const place of placesOf(input)) {
    const where = `${place.cluster}/${place.namespace}`;
    const other = targeted.get(where);
    if (other !== undefined) {
      issue(
        ['environments'],
        `environments '${other}' and '${place.label}' both target namespace '${place.namespace}' of cluster '${place.cluster}'`,
      );
    }
    targeted.set(where, place.label);
  }
}

/**
 * The input of cnpg:database:create with its rules: the action publishes it as its JSON
 * schema, and `planDatabase` parses with it.
 */
export const createDatabaseInputSchema = z
  .object(inputShape)
  .superRefine(checkInput);

/** The action's input, as a template passes it. */
export type CreateDatabaseInput = z.input<typeof createDatabaseInputSchema>;

/** One environment of the `environments` input. */
export type EnvironmentInput = z.input<typeof environmentSchema>;

/** The `backup` input: WAL archiving and base backups to S3 through the Barman Cloud plugin. */
export type BackupInput = z.input<typeof backupSchema>;

/** The resolved `backup` input. */
export type BackupPlan = {
  /** The S3 prefix given; each target archives under `<destinationPath>/<environment or cluster>`. */
  destinationPath: string;
  roleArn?: string;
  retentionPolicy: string;
  schedule: string;
};

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

function unknownCluster(cluster: string, known: string[]): string | undefined {
  if (known.includes(cluster)) return undefined;
  return `no Kubernetes cluster named '${cluster}' is configured (kubernetes.clusterLocatorMethods); known: ${
    known.join(', ') || 'none'
  }`;
}

/**
 * Checks the input (createDatabaseInputSchema) and resolves its defaults into one target
 * per environment. Needs only the names of the configured clusters: no call to any cluster.
 */
export function planDatabase(
  rawInput: CreateDatabaseInput,
  options: {
    knownClusters: string[];
    /**
     * What an unknown cluster is: an error (default), or a warning (a dry run, which
     * calls no cluster: e.g. the template editor of a portal with no cluster configured).
     */
    unknownClusters?: 'error' | 'warn';
  },
): DatabasePlan {
  const input = parseInput(createDatabaseInputSchema, rawInput);
  const { name, mode } = input;
  const warnings: string[] = [];
  const problems: string[] = [];
  const places = input.environments
    ? input.environments.map((env, i) => ({
        field: `environments[${i}].cluster`,
        environment: env.name as string | undefined,
        cluster: env.cluster,
        namespace: env.namespace ?? input.namespace ?? name,
        instances: env.instances,
      }))
    : [
        {
          field: 'cluster',
          environment: undefined,
          cluster: input.cluster!,
          namespace: input.namespace ?? name,
          instances: undefined,
        },
      ];
  for (const place of places) {
    const unknown = unknownCluster(place.cluster, options.knownClusters);
    if (unknown && options.unknownClusters === 'warn') {
      warnings.push(`${place.field}: ${unknown}; a real run fails`);
    } else if (unknown) {
      problems.push(`${place.field}: ${unknown}`);
    }
  }
  if (problems.length) throw new InputError(problems.join('; '));

  const identifierDefault =
    mode === 'shared' ? name.replace(/-/g, '_') : DEFAULTS.database;
  const database = input.database ?? identifierDefault;
  const owner =
    input.owner ?? (mode === 'shared' ? identifierDefault : DEFAULTS.owner);

  let targets: DatabaseTarget[];
  if (mode === 'shared') {
    const sharedCluster = input.sharedCluster!;
    const r = rawInput as Record<string, unknown>;
    const ignored: string[] = (
      ['instances', 'storageSize', 'storageClass', 'postgresVersion'] as const
    ).filter(k => r[k] !== undefined && r[k] !== '');
    if (input.environments?.some(e => e.instances !== undefined)) {
      ignored.push('environments[].instances');
    }
    if (input.createNamespace) ignored.push('createNamespace');
    if (input.waitForReady) ignored.push('waitForReady');
    if (ignored.length) {
      warnings.push(
        `mode 'shared' ignores ${ignored.join(
          ', ',
        )}: they configure a dedicated cluster, and the shared cluster '${sharedCluster}' already runs`,
      );
    }
    targets = places.map(place => {
      const namespace = input.sharedClusterNamespace ?? place.namespace;
      return {
        mode: 'shared',
        environment: place.environment,
        kubernetesCluster: place.cluster,
        namespace,
        name,
        database,
        owner,
        sharedCluster,
        outputs: {
          clusterName: sharedCluster,
          secretName: appSecretNameOf(name),
          host: serviceHost(sharedCluster, namespace),
          port: POSTGRES_PORT,
          database,
        },
      };
    });
  } else {
    const backup = input.backup?.enabled
      ? {
          destinationPath: input.backup.destinationPath!,
          roleArn: input.backup.roleArn,
          retentionPolicy: input.backup.retentionPolicy,
          schedule: input.backup.schedule,
        }
      : undefined;
    const clusterName = clusterNameOf(name);
    targets = places.map(place => ({
      mode: 'dedicated',
      environment: place.environment,
      kubernetesCluster: place.cluster,
      namespace: place.namespace,
      name,
      database,
      owner,
      createNamespace: input.createNamespace,
      instances:
        place.instances ??
        input.instances ??
        (place.environment !== undefined
          ? DEFAULT_INSTANCES_BY_ENVIRONMENT[place.environment]
          : undefined) ??
        DEFAULTS.instances,
      storageSize: input.storageSize,
      storageClass: input.storageClass,
      imageName: input.postgresVersion
        ? postgresImage(input.postgresVersion)
        : undefined,
      backup: backup && {
        ...backup,
        objectStorePath: `${backup.destinationPath}/${
          place.environment ?? place.cluster
        }`,
      },
      outputs: {
        clusterName,
        secretName: appSecretNameOf(name),
        host: serviceHost(clusterName, place.namespace),
        port: POSTGRES_PORT,
        database,
      },
    }));
  }

  return {
    targets,
    waitForReady: input.waitForReady && mode === 'dedicated',
    waitTimeoutSeconds: input.waitTimeoutSeconds,
    warnings,
  };
}
