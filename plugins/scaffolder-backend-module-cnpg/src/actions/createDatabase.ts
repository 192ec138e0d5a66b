import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ClusterAccess, displayUrl } from '@runway/plugin-cluster-access-node';
import { stringify } from 'yaml';
import {
  clusterNameOf,
  CreateDatabaseInput,
  DatabaseOutputs,
  DatabaseTarget,
  DEFAULTS,
  MAX_INSTANCES,
  MAX_NAME_LENGTH,
  MAX_WAIT_TIMEOUT_SECONDS,
  planDatabase,
} from '../lib/inputs';
import { describeCnpgError } from '../lib/clusterErrors';
import { CnpgClusterClient } from '../lib/CnpgClusterClient';
import { describeObject, KubeObject } from '../lib/objects';
import { buildManifests, Manifest } from '../lib/manifests';
import { describeReadiness } from '../lib/readiness';
import { examples } from './createDatabase.examples';

export const ACTION_ID = 'cnpg:database:create';

type Prepared = {
  target: DatabaseTarget;
  client: CnpgClusterClient;
  /** What to apply, in order (the namespace only when it is missing). */
  manifests: Manifest[];
  existing: Map<string, KubeObject | undefined>;
};

const objectKey = (m: Manifest) =>
  `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;

const placeOf = (t: DatabaseTarget) =>
  t.environment
    ? `${t.environment} (cluster ${t.kubernetesCluster})`
    : `cluster ${t.kubernetesCluster}`;

/** The objects of every target as one YAML stream per target, for the dry-run log. */
const toYaml = (objects: Manifest[]) =>
  objects.map(o => stringify(o)).join('---\n');

/**
 * `cnpg:database:create`: provisions the service's PostgreSQL with CloudNativePG in each
 * environment's cluster (a dedicated Cluster, or a Database on a shared one) by
 * server-side apply, optionally waits until it is ready, and hands back where its
 * credentials are.
 */
export function createDatabaseAction(options: {
  clusterAccess: ClusterAccess;
}) {
  const { clusterAccess } = options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      "Provisions the service's PostgreSQL with CloudNativePG in each environment's Kubernetes cluster (a dedicated Cluster `<name>-db`, or a Database on a shared cluster) by server-side apply, and outputs the secret the operator fills with its credentials.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              `Service name; the CloudNativePG cluster is \`<name>-db\` and its credentials secret \`<name>-db-app\`. DNS-1035 label of at most ${MAX_NAME_LENGTH} characters.`,
            ),
        namespace: z =>
          z
            .string()
            .optional()
            .describe(
              'Namespace of the database objects (DNS-1123 label). Default: `name`. An environment may override it.',
            ),
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              'One Kubernetes cluster of the `kubernetes` config to create the database in. Give either `cluster` or `environments`.',
            ),
        environments: z =>
          z
            .array(
              z
                .object({
                  name: z
                    .string()
                    .describe(
                      'Environment name (DNS-1123 label), e.g. `staging` or `production`; sets the default instances and the backup folder.',
                    ),
                  cluster: z
                    .string()
                    .describe(
                      'The Kubernetes cluster of the `kubernetes` config for this environment.',
                    ),
                  namespace: z
                    .string()
                    .optional()
                    .describe(
                      "This environment's namespace. Default: the `namespace` input.",
                    ),
                  instances: z
                    .number()
                    .int()
                    .optional()
                    .describe(
                      "This environment's instances (1–9). Default: `instances`, else 3 for `production`, 1 otherwise.",
                    ),
                })
                .describe('One environment: where its database goes.'),
            )
            .optional()
            .describe(
              'Environments to create the database in, one per Kubernetes cluster and namespace. Give either `cluster` or `environments`.',
            ),
        mode: z =>
          z
            .enum(['dedicated', 'shared'])
            .optional()
            .describe(
              '`dedicated` (default): a `postgresql.cnpg.io/v1` Cluster of its own; `shared`: a `Database` on the existing cluster `sharedCluster`.',
            ),
        sharedCluster: z =>
          z
            .string()
            .optional()
            .describe(
              'Mode `shared`: name of the existing CloudNativePG Cluster to create the database on.',
            ),
        sharedClusterNamespace: z =>
          z
            .string()
            .optional()
            .describe(
              "Mode `shared`: the shared Cluster's namespace, where the Database object goes. Default: the target namespace.",
            ),
        instances: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `PostgreSQL instances, 1–${MAX_INSTANCES} (primary plus replicas). Default: 3 for the environment \`production\`, otherwise 1.`,
            ),
        storageSize: z =>
          z
            .string()
            .optional()
            .describe(
              `Volume size of each instance, a Kubernetes quantity of at least 1Mi. Default: \`${DEFAULTS.storageSize}\`.`,
            ),
        storageClass: z =>
          z
            .string()
            .optional()
            .describe(
              "StorageClass of the volumes. Default: the cluster's default StorageClass.",
            ),
        postgresVersion: z =>
          z
            .string()
            .optional()
            .describe(
              "PostgreSQL version (`17`, `17.5`: CloudNativePG's image `ghcr.io/cloudnative-pg/postgresql`) or a full image reference with a tag or digest. Default: the operator's default image.",
            ),
        database: z =>
          z
            .string()
            .optional()
            .describe(
              'Database name. Default: `app` (dedicated), the service name with `_` for `-` (shared).',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              'Owner role of the database. Default: `app` (dedicated), the service name with `_` for `-` (shared; the role must exist on the shared cluster).',
            ),
        backup: z =>
          z
            .object({
              enabled: z
                .boolean()
                .optional()
                .describe(
                  'Whether to back up. Default: true when `backup` is given.',
                ),
              destinationPath: z
                .string()
                .optional()
                .describe(
                  'S3 location (`s3://<bucket>[/<prefix>]`); each environment archives under `<destinationPath>/<environment or cluster>/<name>-db`. Required when enabled.',
                ),
              roleArn: z
                .string()
                .optional()
                .describe(
                  "IAM role the cluster's service account assumes (IRSA annotation). Omit with EKS Pod Identity.",
                ),
              retentionPolicy: z
                .string()
                .optional()
                .describe(
                  `How long backups are kept: \`<n>d\`, \`<n>w\` or \`<n>m\`. Default: \`${DEFAULTS.retentionPolicy}\`.`,
                ),
              schedule: z
                .string()
                .optional()
                .describe(
                  `Base backup schedule: six cron fields, seconds first. Default: \`${DEFAULTS.backupSchedule}\` (03:00 daily).`,
                ),
            })
            .optional()
            .describe(
              "Backups with CloudNativePG's Barman Cloud plugin (an ObjectStore, WAL archiving and a ScheduledBackup) to S3. Off by default; dedicated mode only.",
            ),
        createNamespace: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Create the namespace when it does not exist. Default: false (a missing namespace is an error).',
            ),
        waitForReady: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait until every instance of each dedicated cluster is ready. Default: false.',
            ),
        waitTimeoutSeconds: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              `How long to wait for readiness, 1–${MAX_WAIT_TIMEOUT_SECONDS} seconds. Default: ${DEFAULTS.waitTimeoutSeconds}.`,
            ),
      },
      output: {
        clusterName: z =>
          z
            .string()
            .describe(
              'The CloudNativePG Cluster serving the database (of the first environment).',
            ),
        secretName: z =>
          z
            .string()
            .describe(
              'The secret with the credentials, `<name>-db-app` (keys host, port, dbname, username, password, uri).',
            ),
        host: z =>
          z
            .string()
            .describe(
              'The read-write service, `<cluster>-rw.<namespace>.svc` (of the first environment).',
            ),
        port: z => z.number().describe('The PostgreSQL port, 5432.'),
        database: z => z.string().describe('The database name.'),
        environments: z =>
          z
            .array(
              z
                .object({
                  name: z.string().describe('The environment.'),
                  cluster: z.string().describe('Its Kubernetes cluster.'),
                  namespace: z
                    .string()
                    .describe('The namespace of its database objects.'),
                  clusterName: z
                    .string()
                    .describe('Its CloudNativePG Cluster.'),
                  secretName: z.string().describe('Its credentials secret.'),
                  host: z.string().describe('Its read-write service host.'),
                  port: z.number().describe('Its PostgreSQL port.'),
                  database: z.string().describe('Its database name.'),
                })
                .describe('The database of one environment.'),
            )
            .optional()
            .describe(
              'With the `environments` input: the same fields for every environment, in input order.',
            ),
        manifests: z =>
          z
            .array(
              z
                .object({
                  environment: z
                    .string()
                    .optional()
                    .describe('The environment, if any.'),
                  cluster: z.string().describe('The Kubernetes cluster.'),
                  namespace: z.string().describe('The namespace.'),
                  objects: z
                    .array(z.record(z.any()).describe('A Kubernetes object.'))
                    .describe('The objects, in apply order.'),
                })
                .describe('What would be applied to one cluster.'),
            )
            .optional()
            .describe('Dry run only: the objects that would be applied.'),
      },
    },
    async handler(ctx) {
      const plan = planDatabase(ctx.input as CreateDatabaseInput, {
        knownClusters: clusterAccess.listClusters().map(c => c.name),
        unknownClusters: ctx.isDryRun ? 'warn' : 'error',
      });
      for (const warning of plan.warnings) ctx.logger.warn(warning);

      const outputs = plan.targets.map(t => t.outputs);
      const writeOutputs = () => {
        const first: DatabaseOutputs = outputs[0];
        ctx.output('clusterName', first.clusterName);
        ctx.output('secretName', first.secretName);
        ctx.output('host', first.host);
        ctx.output('port', first.port);
        ctx.output('database', first.database);
        if (ctx.input.environments) {
          ctx.output(
            'environments',
            plan.targets.map(t => ({
              name: t.environment!,
              cluster: t.kubernetesCluster,
              namespace: t.namespace,
              ...t.outputs,
            })),
          );
        }
      };

      if (ctx.isDryRun) {
        const manifests = plan.targets.map(t => ({
          ...(t.environment && { environment: t.environment }),
          cluster: t.kubernetesCluster,
          namespace: t.namespace,
          objects: buildManifests(t),
        }));
        for (const [i, m] of manifests.entries()) {
          ctx.logger.info(
            `Dry run: would apply to ${placeOf(plan.targets[i])}:\n${toYaml(
              m.objects,
            )}`,
          );
        }
        writeOutputs();
        ctx.output('manifests', manifests);
        return;
      }

      // Read everything first: a conflict anywhere stops the action before any change.
      const prepared: Prepared[] = [];
      for (const target of plan.targets) {
        prepared.push(await prepare(target));
      }

      for (const p of prepared) {
        const { target, client } = p;
        await ctx.checkpoint({
          key: `cnpg.apply.${target.name}.${target.kubernetesCluster}.${target.namespace}`,
          fn: async () => {
            const applied: { object: string; result: string }[] = [];
            for (const manifest of p.manifests) {
              const { result } = await client.apply(
                manifest,
                p.existing.get(objectKey(manifest)),
              );
              const object = describeObject(
                manifest.kind,
                manifest.metadata.name,
                manifest.metadata.namespace,
              );
              ctx.logger.info(`${placeOf(target)}: ${object} ${result}`);
              applied.push({ object, result });
            }
            return applied;
          },
        });
      }

      if (plan.waitForReady) {
        for (const { target, client } of prepared) {
          if (target.mode !== 'dedicated') continue;
          const name = clusterNameOf(target.name);
          ctx.logger.info(
            `${placeOf(target)}: waiting up to ${
              plan.waitTimeoutSeconds
            } s for ${describeObject(
              'Cluster',
              name,
              target.namespace,
            )} to have ${target.instances} ready instance(s)`,
          );
          await client.waitForCluster({
            name,
            namespace: target.namespace,
            instances: target.instances,
            timeoutMs: plan.waitTimeoutSeconds * 1000,
            signal: ctx.signal,
            onProgress: readiness =>
              ctx.logger.info(
                `${placeOf(target)}: ${describeObject(
                  'Cluster',
                  name,
                  target.namespace,
                )}: ${describeReadiness(readiness)}`,
              ),
          });
        }
      }
      writeOutputs();
    },
  });

  async function prepare(target: DatabaseTarget): Promise<Prepared> {
    let client: CnpgClusterClient;
    try {
      client = await CnpgClusterClient.connect(
        clusterAccess,
        target.kubernetesCluster,
      );
    } catch (error) {
      const info = clusterAccess
        .listClusters()
        .find(c => c.name === target.kubernetesCluster);
      throw describeCnpgError(error, {
        cluster: target.kubernetesCluster,
        server: displayUrl(info?.url),
        doing: 'getting credentials',
      });
    }
    const where = `Kubernetes cluster '${target.kubernetesCluster}'`;
    let manifests = buildManifests(target);
    if (target.mode === 'dedicated') {
      const namespace = await client.read('namespaces', target.namespace);
      if (!namespace && !target.createNamespace) {
        throw new NotFoundError(
          `${where}: namespace '${target.namespace}' does not exist; create it first or set createNamespace: true`,
        );
      }
      // An existing namespace is left as it is, whoever manages it.
      if (namespace) manifests = manifests.filter(m => m.kind !== 'Namespace');
      if (!namespace) {
        return { target, client, manifests, existing: new Map() };
      }
    } else {
      const shared = await client.read(
        'clusters',
        target.sharedCluster,
        target.namespace,
      );
      if (!shared) {
        throw new NotFoundError(
          `${where}: the shared CloudNativePG Cluster '${target.sharedCluster}' does not exist in namespace '${target.namespace}'; mode 'shared' needs an existing cluster (or use mode 'dedicated')`,
        );
      }
    }
    const existing = new Map<string, KubeObject | undefined>();
    for (const manifest of manifests) {
      existing.set(objectKey(manifest), await client.readOwned(manifest));
    }
    return { target, client, manifests, existing };
  }
}
