import { NotFoundError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { ClusterAccess, displayUrl } from '@runway/plugin-cluster-access-node';
import { stringify } from 'yaml';
import { z } from 'zod/v3';
import {
  clusterNameOf,
  CreateDatabaseInput,
  createDatabaseInputSchema,
  DatabaseOutputs,
  DatabaseTarget,
  planDatabase,
} from '../lib/inputs';
import { describeCnpgError } from '../lib/clusterErrors';
import { CnpgClusterClient } from '../lib/CnpgClusterClient';
import { describeObject, KubeObject } from '../lib/objects';
import { buildManifests, Manifest } from '../lib/manifests';
import { describeReadiness } from '../lib/readiness';
import { examples } from './createDatabase.examples';

/** @public */
export const ACTION_ID = 'cnpg:database:create';

/** What cnpg:database:create outputs. */
const createDatabaseOutputSchema = z.object({
  clusterName: z
    .string()
    .describe(
      'The CloudNativePG Cluster serving the database (of the first environment).',
    ),
  secretName: z
    .string()
    .describe(
      'The secret with the credentials, `<name>-db-app` (keys host, port, dbname, username, password, uri).',
    ),
  host: z
    .string()
    .describe(
      'The read-write service, `<cluster>-rw.<namespace>.svc` (of the first environment).',
    ),
  port: z.number().describe('The PostgreSQL port, 5432.'),
  database: z.string().describe('The database name.'),
  environments: z
    .array(
      z
        .object({
          name: z.string().describe('The environment.'),
          cluster: z.string().describe('Its Kubernetes cluster.'),
          namespace: z
            .string()
            .describe('The namespace of its database objects.'),
          clusterName: z.string().describe('Its CloudNativePG Cluster.'),
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
  manifests: z
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
});

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
 * credentials are. Its input and output are the zod schemas of `lib/inputs.ts` and above,
 * published as the action's JSON schema; the TypeScript signature stays opaque, so that
 * the declarations (and the API report) do not depend on how the compiler orders the
 * types it infers from them.
 *
 * @public
 */
export function createCnpgDatabaseAction(options: {
  clusterAccess: ClusterAccess;
}): TemplateAction<any, any, 'v2'> {
  const { clusterAccess } = options;
  return createTemplateAction({
    id: ACTION_ID,
    description:
      "Provisions the service's PostgreSQL with CloudNativePG in each environment's Kubernetes cluster (a dedicated Cluster `<name>-db`, or a Database on a shared cluster) by server-side apply, and outputs the secret the operator fills with its credentials.",
    examples,
    supportsDryRun: true,
    schema: {
      input: () => createDatabaseInputSchema,
      output: () => createDatabaseOutputSchema,
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
