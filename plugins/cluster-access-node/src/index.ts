/**
 * Cluster access for Runway's backend plugins: the clusters of the `kubernetes` config
 * (the same the Backstage Kubernetes plugin reads) as ready-to-use KubeConfigs.
 *
 * @packageDocumentation
 */
export { readClusterDetails, AUTH_PROVIDER_ANNOTATION } from './clusters';
export {
  ConfigClusterAccess,
  ServiceAccountTokenStrategy,
  IN_CLUSTER_TOKEN_FILE,
  buildKubeConfig,
  defaultAuthStrategy,
} from './ClusterAccess';
export type { ClusterAccess, ClusterInfo } from './ClusterAccess';
export { clusterAccessServiceRef } from './service';
