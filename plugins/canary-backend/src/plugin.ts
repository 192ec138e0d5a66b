import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterAccessServiceRef } from '@runway/plugin-cluster-access-node';
import { CanaryStatusService } from './service/CanaryStatusService';
import { createRouter } from './service/router';
import { WatchCaches } from './service/WatchCaches';

/**
 * The Canary backend: `GET /api/canary/entities/:namespace/:kind/:name`.
 *
 * @public
 */
export const canaryPlugin = createBackendPlugin({
  pluginId: 'canary',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusterAccess: clusterAccessServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        lifecycle,
        catalog,
        clusterAccess,
      }) {
        const seconds = (key: string) => {
          const value = config.getOptionalNumber(key);
          return value === undefined ? undefined : value * 1000;
        };
        const caches = new WatchCaches({
          clusterAccess,
          logger,
          idleTimeoutMs: seconds('canary.cache.idleTimeoutSeconds'),
          coldStartTimeoutMs: seconds('canary.cache.coldStartTimeoutSeconds'),
        });
        lifecycle.addShutdownHook(() => caches.close());
        httpRouter.use(
          await createRouter({
            httpAuth,
            catalog,
            status: new CanaryStatusService(clusterAccess, caches),
          }),
        );
      },
    });
  },
});
