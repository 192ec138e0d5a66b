/** Test utilities: an HTTP-level fake of the Kubernetes API. */
export {
  FakeKubernetesApi,
  parseFieldSelector,
  parseLabelSelector,
  pluralOf,
} from './FakeKubernetesApi';
export type {
  AuthorizationCheck,
  FakeFailure,
  FakeFailureMatch,
  FakeObject,
  FakeObjectRef,
  FakeRbacRule,
  ManagedFieldsEntry,
  RecordedRequest,
} from './FakeKubernetesApi';

/** App config data declaring these clusters the way the Kubernetes plugin reads them. */
export function kubernetesClustersConfig(clusters: object[]) {
  return {
    kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
  };
}
