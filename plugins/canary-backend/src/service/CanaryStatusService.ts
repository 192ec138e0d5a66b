import { Entity } from '@backstage/catalog-model';
import {
  CanaryStatusResponse,
  ClusterCanaries,
  computeCanaryReleases,
} from '@runway/plugin-canary-common';
import {
  ClusterAccess,
  ClusterSnapshot,
  ClusterStateKindId,
  ClusterStateService,
  OWNER_INDEX,
  ownerKey,
} from '@runway/plugin-cluster-access-node';
import { entityClusters } from './entityClusters';

/** The kinds the canary status is computed from. */
export const CANARY_KINDS = [
  'virtualServices',
  'destinationRules',
  'deployments',
  'rollouts',
  'replicaSets',
  'analysisRuns',
] as const satisfies readonly ClusterStateKindId[];

/**
 * The objects of a kind the entity's Rollouts control, found through the owner index:
 * the ReplicaSet of each revision, and the AnalysisRuns a Rollout started (which carry
 * no entity label of their own).
 */
function ownedByRollouts(
  snapshot: ClusterSnapshot,
  kind: 'replicaSets' | 'analysisRuns',
  rollouts: any[],
): any[] {
  return rollouts.flatMap(rollout =>
    snapshot.byIndex(
      kind,
      OWNER_INDEX,
      ownerKey(rollout.metadata?.namespace, 'Rollout', rollout.metadata?.name),
    ),
  );
}

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
        const rollouts = snapshot.select('rollouts', selector);
        return {
          cluster,
          releases: computeCanaryReleases({
            virtualServices: snapshot.select('virtualServices', selector),
            destinationRules: snapshot.select('destinationRules', selector),
            deployments: snapshot.select('deployments', selector),
            rollouts,
            replicaSets: ownedByRollouts(snapshot, 'replicaSets', rollouts),
            analysisRuns: ownedByRollouts(snapshot, 'analysisRuns', rollouts),
          }),
        };
      },
      (cluster, error) => ({ cluster, error, releases: [] }),
    );
  }
}
