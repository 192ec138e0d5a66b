/*
 * Test support for this package: the RBAC of deploy/rbac.yaml, fake clusters that enforce
 * it, cluster access pointing at them, and a fake operator that makes Clusters ready.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ClusterAccess,
  ConfigClusterAccess,
} from '@runway/plugin-cluster-access-node';
import {
  FakeKubernetesApi,
  FakeObject,
  FakeRbacRule,
  kubernetesClustersConfig,
} from '@runway/plugin-cluster-access-node/testUtils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ResourceKey, RESOURCES } from '../lib/permissions';
import { HEALTHY_PHASE } from '../lib/readiness';

export const RBAC_FILE = resolve(__dirname, '../../deploy/rbac.yaml');

/** The documents of deploy/rbac.yaml. */
export function readRbacDocuments(): any[] {
  return parseAllDocuments(readFileSync(RBAC_FILE, 'utf8')).map(d => d.toJS());
}

/** The rules of the ClusterRole in deploy/rbac.yaml. */
export function rbacRules(): FakeRbacRule[] {
  const role = readRbacDocuments().find(d => d?.kind === 'ClusterRole');
  return role.rules;
}

export const TOKEN = 'backstage-sa-token';

/**
 * A fake Kubernetes API serving the CloudNativePG and Barman Cloud resources, granting only
 * the ClusterRole of deploy/rbac.yaml and refusing objects in missing namespaces.
 */
export async function startFakeCluster(
  options: {
    rules?: FakeRbacRule[];
    /** Custom resources the cluster does not serve (their CRD is not installed). */
    without?: ResourceKey[];
  } = {},
): Promise<FakeKubernetesApi> {
  const api = new FakeKubernetesApi({
    token: TOKEN,
    rules: options.rules ?? rbacRules(),
    requireNamespaces: true,
  });
  await api.start();
  const crds: ResourceKey[] = [
    'clusters',
    'databases',
    'scheduledbackups',
    'objectstores',
  ];
  for (const key of crds.filter(k => !options.without?.includes(k))) {
    const r = RESOURCES[key];
    api.serve(`${r.group}/${r.version}`, r.plural);
  }
  return api;
}

/** Cluster access to the given clusters (name → API URL), with a service account token. */
export function clusterAccessFor(
  clusters: Record<string, string>,
): ClusterAccess {
  return ConfigClusterAccess.fromConfig(
    new ConfigReader(
      kubernetesClustersConfig(
        Object.entries(clusters).map(([name, url]) => ({
          name,
          url,
          authProvider: 'serviceAccount',
          serviceAccountToken: TOKEN,
          skipTLSVerify: true,
        })),
      ),
    ),
    { logger: mockServices.logger.mock() },
  );
}

export const namespace = (name: string): FakeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

export const clusterRef = (name: string, ns: string) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  name,
  namespace: ns,
});

/** A Cluster's status as the operator reports it once all instances are up. */
export const healthyStatus = (instances: number) => ({
  instances,
  readyInstances: instances,
  phase: HEALTHY_PHASE,
});

/**
 * Plays the CloudNativePG operator: every Cluster that appears without a status gets a
 * healthy one (all instances ready) after `delayMs`. Returns a stop function.
 */
export function fakeOperator(api: FakeKubernetesApi, delayMs = 50): () => void {
  const scheduled = new Set<string>();
  const timers: NodeJS.Timeout[] = [];
  const poll = setInterval(() => {
    for (const obj of api.list('postgresql.cnpg.io/v1', 'Cluster')) {
      const ref = clusterRef(obj.metadata.name, obj.metadata.namespace!);
      const key = `${ref.namespace}/${ref.name}`;
      if (obj.status || scheduled.has(key)) continue;
      scheduled.add(key);
      timers.push(
        setTimeout(() => {
          const current = api.get(ref);
          if (current && !current.status) {
            api.setStatus(
              ref,
              healthyStatus(Number((current.spec as any).instances)),
            );
          }
        }, delayMs),
      );
    }
  }, 10);
  return () => {
    clearInterval(poll);
    timers.forEach(clearTimeout);
  };
}

/** Polls until the check holds, for at most 5 s. */
export async function waitFor(check: () => boolean) {
  for (let i = 0; i < 250; i++) {
    if (check()) return;
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('condition not met within 5 s');
}
