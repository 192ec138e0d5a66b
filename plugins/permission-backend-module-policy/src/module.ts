import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { RunwayPermissionPolicy } from './RunwayPermissionPolicy';

/**
 * The permission backend module installing Runway's policy (instead of
 * `@backstage/plugin-permission-backend-module-allow-all-policy`). Configured by
 * `runway.permissions.platformTeams`.
 *
 * @public
 */
export const permissionModuleRunwayPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'runway-policy',
  register({ registerInit }) {
    registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          RunwayPermissionPolicy.fromConfig(config, { userInfo }),
        );
      },
    });
  },
});
