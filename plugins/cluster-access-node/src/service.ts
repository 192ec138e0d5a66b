import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ClusterAccess, ConfigClusterAccess } from './ClusterAccess';

/**
 * The cluster access service: one instance for the whole backend, shared by the
 * Canary backend and the CloudNativePG scaffolder module.
 *
 * @public
 */
export const clusterAccessServiceRef = createServiceRef<ClusterAccess>({
  id: 'runway.cluster-access',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory: ({ config, logger }) =>
        ConfigClusterAccess.fromConfig(config, { logger }),
    }),
});
