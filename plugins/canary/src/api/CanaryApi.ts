import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CanaryHealthResponse,
  CanaryStatusResponse,
  DatabaseStatusResponse,
  PromotionResponse,
  PromotionStatusResponse,
  RolloutAction,
  RolloutActionResponse,
} from '@runway/plugin-canary-common';

/**
 * One Rollout action: what to do to which Rollout of an entity, in which cluster.
 *
 * @public
 */
export type RolloutActionRequest = {
  entityRef: CompoundEntityRef;
  cluster: string;
  namespace: string;
  rollout: string;
  action: RolloutAction;
};

/**
 * Reads the live canary status and the databases of an entity from the Canary backend.
 *
 * @public
 */
export interface CanaryApi {
  /**
   * The canary status of one entity in every configured cluster.
   *
   * Rejects with a `ResponseError` (from `@backstage/errors`) when the backend
   * answers with a non-2xx status; a 404 means the entity is unknown or the
   * caller may not read it.
   */
  getStatus(entityRef: CompoundEntityRef): Promise<CanaryStatusResponse>;

  /**
   * The CloudNativePG databases of one entity in every configured cluster (the
   * database card). Rejects like {@link CanaryApi.getStatus}.
   */
  getDatabaseStatus(
    entityRef: CompoundEntityRef,
  ): Promise<DatabaseStatusResponse>;

  /**
   * Live health per track of the entity's releases, from each cluster's Prometheus.
   * Rejects like {@link CanaryApi.getStatus}.
   */
  getHealth(entityRef: CompoundEntityRef): Promise<CanaryHealthResponse>;

  /**
   * Promotes, fully promotes, aborts or retries a Rollout of the entity. Rejects with a
   * `ResponseError` whose message says why: 403 (the caller may not), 404 (not the
   * entity's Rollout), 409 (the Rollout's state does not allow it).
   */
  runRolloutAction(
    request: RolloutActionRequest,
  ): Promise<RolloutActionResponse>;

  /**
   * The staging → production promotion of the entity's app: the commit staging runs and
   * every gate's verdict (no write). Rejects like {@link CanaryApi.getStatus}.
   */
  getPromotion(entityRef: CompoundEntityRef): Promise<PromotionStatusResponse>;

  /**
   * Promotes `commit` to production. Rejects with a `ResponseError` whose message says why:
   * 403 (the caller may not), 409 (a gate failed), 503 (Argo CD not configured).
   */
  promoteToProduction(
    entityRef: CompoundEntityRef,
    commit: string,
  ): Promise<PromotionResponse>;
}

/**
 * The {@link CanaryApi} utility API reference.
 *
 * @public
 */
export const canaryApiRef = createApiRef<CanaryApi>({
  id: 'plugin.canary.service',
});
