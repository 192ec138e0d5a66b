import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { clusterAccessServiceRef } from '../service';
import {
  ClusterState,
  ClusterStateOptions,
  ClusterStateService,
} from './ClusterState';

/** The `runway.clusterState` config as ClusterState options (seconds → milliseconds). */
export function clusterStateConfig(
  config: Config,
): Omit<ClusterStateOptions, 'clusterAccess' | 'logger'> {
  const c = config.getOptionalConfig('runway.clusterState');
  const ms = (key: string) => {
    const seconds = c?.getOptionalNumber(key);
    return seconds === undefined ? undefined : seconds * 1000;
  };
  return {
    idleTimeoutMs: ms('idleTimeoutSeconds'),
    coldStartTimeoutMs: ms('coldStartTimeoutSeconds'),
    staleAfterMs: ms('staleAfterSeconds'),
    pageSize: c?.getOptionalNumber('pageSize'),
  };
}

/**
 * The cluster-state layer: one instance per backend, its informers shared by every plugin
 * that reads Kubernetes for a view (the Canary status, the database card).
 *
 * @public
 */
export const clusterStateServiceRef = createServiceRef<ClusterStateService>({
  id: 'runway.cluster-state',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
        clusterAccess: clusterAccessServiceRef,
      },
      factory: ({ config, logger, lifecycle, clusterAccess }) => {
        const state = new ClusterState({
          ...clusterStateConfig(config),
          clusterAccess,
          logger: logger.child({ service: 'cluster-state' }),
        });
        lifecycle.addShutdownHook(() => state.close());
        return state;
      },
    }),
});
