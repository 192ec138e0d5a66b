import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ClusterAccess,
  ClusterSnapshot,
  ClusterStateKindId,
  ClusterStateService,
  entityObjectSelector,
  ObjectSelector,
} from '@runway/plugin-cluster-access-node';

/** An error as a cluster entry shows it. */
export type ClusterEntryError = { message: string; statusCode?: number };

/** An error as a cluster entry shows it: an invalid label selector (`InputError`) is a 400. */
export function clusterErrorOf(error: unknown): ClusterEntryError {
  const { name, message, statusCode } = error as {
    name?: string;
    message?: string;
    statusCode?: number;
  };
  const code = name === 'InputError' ? 400 : statusCode;
  return {
    message: message ?? String(error),
    ...(typeof code === 'number' && { statusCode: code }),
  };
}

/**
 * One entry per configured cluster for an entity, each read from one snapshot of `kinds`
 * in the cluster-state layer. An entity without Kubernetes annotations has no clusters;
 * one cluster's failure (or an invalid label selector) is that cluster's `failed` entry,
 * and the others are still returned.
 */
export async function entityClusters<Entry>(
  access: { clusterAccess: ClusterAccess; clusterState: ClusterStateService },
  entity: Entity,
  kinds: readonly ClusterStateKindId[],
  entry: (
    cluster: string,
    snapshot: ClusterSnapshot,
    selector: ObjectSelector,
  ) => Entry,
  failed: (cluster: string, error: ClusterEntryError) => Entry,
): Promise<{ entityRef: string; clusters: Entry[] }> {
  const entityRef = stringifyEntityRef(entity);
  const selector = entityObjectSelector(entity);
  if (!selector) return { entityRef, clusters: [] };
  const clusters = await Promise.all(
    access.clusterAccess.listClusters().map(async ({ name: cluster }) => {
      try {
        const snapshot = await access.clusterState.snapshot(cluster, kinds);
        return entry(cluster, snapshot, selector);
      } catch (error) {
        // e.g. an invalid backstage.io/kubernetes-label-selector (400)
        return failed(cluster, clusterErrorOf(error));
      }
    }),
  );
  return { entityRef, clusters };
}
