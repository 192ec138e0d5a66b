import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CanaryStatusResponse,
  DatabaseStatusResponse,
} from '@runway/plugin-canary-common';

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
}

/**
 * The {@link CanaryApi} utility API reference.
 *
 * @public
 */
export const canaryApiRef = createApiRef<CanaryApi>({
  id: 'plugin.canary.service',
});
