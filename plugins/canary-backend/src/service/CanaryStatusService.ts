import { Entity } from '@backstage/catalog-model';
import {
  CanaryStatusResponse,
  ClusterCanaries,
  computeCanaryReleases,
} from '@runway/plugin-canary-common';
import {
  ClusterAccess,
  ClusterStateKindId,
  ClusterStateService,
} from '@runway/plugin-cluster-access-node';
import { entityClusters } from './entityClusters';

/** The kinds the canary status is computed from. */
export const CANARY_KINDS = [
  'virtualServices',
  'destinationRules',
  'deployments',
  'rollouts',
] as const satisfies readonly ClusterStateKindId[];

/**
 * Canary status of an entity in every configured cluster, read from the cluster-state
 * layer: once its informers are synced a view makes no Kubernetes API call. One cluster's
 * failure is that cluster's error entry; the others are still returned.
 */
export class CanaryStatusService {
  constructor(
    readonly clusterAccess: ClusterAccess,
    readonly clusterState: ClusterStateService,
  ) {}

  getStatus(entity: Entity): Promise<CanaryStatusResponse> {
    return entityClusters(
      this,
      entity,
      CANARY_KINDS,
      (cluster, snapshot, selector): ClusterCanaries => {
        if (snapshot.problem) {
          return { cluster, error: snapshot.problem, releases: [] };
        }
        // Read synchronously: one consistent state of every kind.
        const [virtualServices, destinationRules, deployments, rollouts] =
          CANARY_KINDS.map(kind => snapshot.select(kind, selector));
        return {
          cluster,
          releases: computeCanaryReleases({
            virtualServices,
            destinationRules,
            deployments,
            rollouts,
          }),
        };
      },
      (cluster, error) => ({ cluster, error, releases: [] }),
    );
  }
}
