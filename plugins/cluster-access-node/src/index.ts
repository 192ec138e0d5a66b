/**
 * Cluster access for Runway's backend plugins: the clusters of the `kubernetes` config
 * (the same the Backstage Kubernetes plugin reads) as ready-to-use KubeConfigs, the one
 * mapping of Kubernetes API errors, and the cluster-state layer every view reads from
 * (one informer per kind per cluster, indexed by `backstage.io/kubernetes-id`).
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
export { ClusterState } from './state/ClusterState';
export type {
  ClusterSnapshot,
  ClusterStateOptions,
  ClusterStateService,
  ClusterStateStats,
  InformerReadiness,
} from './state/ClusterState';
export type { InformerState } from './state/Reflector';
export { ClusterReadError } from './state/errors';
export {
  CLUSTER_STATE_KINDS,
  CNPG_CLUSTER_INDEX,
  KUBERNETES_ID_LABEL,
  OWNER_INDEX,
  ownerKey,
} from './state/kinds';
export type { ClusterStateKind, ClusterStateKindId } from './state/kinds';
export {
  entityObjectSelector,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from './state/entitySelector';
export type { ObjectSelector } from './state/entitySelector';
export { clusterStateServiceRef } from './state/service';
export { grantKey, rulesGrants, sortGrants } from './rbac';
export type { RbacGrant } from './rbac';
