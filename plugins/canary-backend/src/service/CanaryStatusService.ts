import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CanaryStatusResponse,
  ClusterCanaries,
  computeCanaryReleases,
} from '@runway/plugin-canary-common';
import { ClusterAccess } from '@runway/plugin-cluster-access-node';
import { entityObjectSelector } from './locator';
import { RESOURCES } from './resources';
import { ClusterReadError, WatchCaches } from './WatchCaches';

/**
 * Canary status of an entity in every configured cluster, from the watch caches.
 * One cluster's failure is that cluster's error entry; the others are still returned.
 */
export class CanaryStatusService {
  constructor(
    private readonly clusterAccess: ClusterAccess,
    private readonly caches: WatchCaches,
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
            const [virtualServices, destinationRules, deployments, rollouts] =
              await Promise.all([
                this.caches.list<any>(
                  cluster,
                  RESOURCES.virtualServices,
                  selector,
                ),
                this.caches.list<any>(
                  cluster,
                  RESOURCES.destinationRules,
                  selector,
                ),
                this.caches.list<any>(cluster, RESOURCES.deployments, selector),
                this.caches.list<any>(cluster, RESOURCES.rollouts, selector),
              ]);
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
            const { message, statusCode } =
              error instanceof ClusterReadError
                ? error
                : new ClusterReadError(`Cluster '${cluster}': ${error}`);
            return {
              cluster,
              error: statusCode ? { message, statusCode } : { message },
              releases: [],
            };
          }
        }),
    );
    return { entityRef, clusters };
  }
}
