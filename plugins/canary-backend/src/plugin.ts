import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  clusterAccessServiceRef,
  clusterStateServiceRef,
} from '@runway/plugin-cluster-access-node';
import { CanaryStatusService } from './service/CanaryStatusService';
import { DatabaseStatusService } from './service/DatabaseStatusService';
import { createRouter } from './service/router';

/**
 * The Canary backend: `GET /api/canary/entities/:namespace/:kind/:name` (canary status)
 * and `…/:name/databases` (the database card), both read from the cluster-state layer.
 *
 * @public
 */
export const canaryPlugin = createBackendPlugin({
  pluginId: 'canary',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        catalog: catalogServiceRef,
        clusterAccess: clusterAccessServiceRef,
        clusterState: clusterStateServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        catalog,
        clusterAccess,
        clusterState,
      }) {
        httpRouter.use(
          await createRouter({
            httpAuth,
            catalog,
            status: new CanaryStatusService(clusterAccess, clusterState),
            databases: new DatabaseStatusService(clusterAccess, clusterState),
          }),
        );
      },
    });
  },
});
