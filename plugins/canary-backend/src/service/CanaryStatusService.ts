import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CanaryStatusResponse,
  ClusterCanaries,
  computeCanaryReleases,
} from '@runway/plugin-canary-common';
import {
  ClusterAccess,
  ClusterStateKindId,
  ClusterStateService,
  entityObjectSelector,
} from '@runway/plugin-cluster-access-node';

/** The kinds the canary status is computed from. */
export const CANARY_KINDS = [
  'virtualServices',
  'destinationRules',
  'deployments',
  'rollouts',
] as const satisfies readonly ClusterStateKindId[];

/** An error as a cluster entry shows it. */
export function clusterErrorOf(error: unknown): {
  message: string;
  statusCode?: number;
} {
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
 * Canary status of an entity in every configured cluster, read from the cluster-state
 * layer: once its informers are synced a view makes no Kubernetes API call. One cluster's
 * failure is that cluster's error entry; the others are still returned.
 */
export class CanaryStatusService {
  constructor(
    private readonly clusterAccess: ClusterAccess,
    private readonly clusterState: ClusterStateService,
  ) {}

  async getStatus(entity: Entity): Promise<CanaryStatusResponse> {
    const entityRef = stringifyEntityRef(entity);
    const selector = entityObjectSelector(entity);
    if (!selector) return { entityRef, clusters: [] };

    const clusters = await Promise.all(
      this.clusterAccess
        .listClusters()
        .map(async ({ name: cluster }): Promise<ClusterCanaries> => {
          try {
            const snapshot = await this.clusterState.snapshot(
              cluster,
              CANARY_KINDS,
            );
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
          } catch (error) {
            // e.g. an invalid backstage.io/kubernetes-label-selector (400)
            return { cluster, error: clusterErrorOf(error), releases: [] };
          }
        }),
    );
    return { entityRef, clusters };
  }
}
