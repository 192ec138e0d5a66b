/**
 * Cluster access for Runway's backend plugins: the clusters of the `kubernetes` config
 * (the same the Backstage Kubernetes plugin reads) as ready-to-use KubeConfigs.
 *
 * @packageDocumentation
 */
export { readClusterDetails, AUTH_PROVIDER_ANNOTATION } from './clusters';
export {
  ConfigClusterAccess,
  buildKubeConfig,
  defaultAuthStrategy,
} from './ClusterAccess';
export type { ClusterAccess, ClusterInfo } from './ClusterAccess';
export { clusterAccessServiceRef } from './service';
export {
  describeKubernetesError,
  displayUrl,
  kubernetesStatusCode,
  kubernetesStatusOf,
} from './kubernetesErrors';
export type {
  KubernetesErrorContext,
  KubernetesStatus,
} from './kubernetesErrors';
