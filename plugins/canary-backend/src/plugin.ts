import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { canaryPermissions } from '@runway/plugin-canary-common';
import {
  clusterAccessServiceRef,
  clusterStateServiceRef,
} from '@runway/plugin-cluster-access-node';
import { readArgoCdSetup } from '@runway/plugin-argocd-node';
import {
  PromotionService,
  readPromotionConfig,
} from './service/promotion/PromotionService';
import { CanaryStatusService } from './service/CanaryStatusService';
import { DatabaseStatusService } from './service/DatabaseStatusService';
import { createRouter } from './service/router';
import { RolloutActionService } from './service/rollouts/RolloutActionService';
import {
  CanaryHealthService,
  readPrometheusEndpoints,
} from './service/prometheus/CanaryHealthService';

/**
 * The Canary backend: `GET /api/canary/entities/:namespace/:kind/:name` (canary status)
 * and `…/:name/databases` (the database card), both read from the cluster-state layer;
 * `POST …/:name/clusters/:cluster/rollouts/:namespace/:rollout/:action` (promote,
 * promote-full, abort, retry), permission-checked and audited; `GET …/:name/promotion`
 * (staging's commit and the gates to production) and `POST …/:name/promotion` (promote it).
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
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        clusterAccess: clusterAccessServiceRef,
        clusterState: clusterStateServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
        clusterAccess,
        clusterState,
      }) {
        permissionsRegistry.addPermissions(canaryPermissions);
        const status = new CanaryStatusService(clusterAccess, clusterState);
        const servicePrincipals =
          config.getOptionalStringArray('canary.actions.servicePrincipals') ??
          [];
        const { mode, instance } = readPromotionConfig(config);
        httpRouter.use(
          await createRouter({
            httpAuth,
            catalog,
            status,
            health: new CanaryHealthService({
              status,
              endpoints: readPrometheusEndpoints(config),
            }),
            databases: new DatabaseStatusService(clusterAccess, clusterState),
            rolloutActions: new RolloutActionService({
              clusterAccess,
              permissions,
              auditor,
              servicePrincipals,
            }),
            promotion: new PromotionService({
              setup: readArgoCdSetup({ config }),
              mode,
              instance,
              permissions,
              auditor,
              servicePrincipals,
              logger,
            }),
          }),
        );
      },
    });
  },
});
