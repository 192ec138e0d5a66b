/** Test utilities: an HTTP-level fake of the Kubernetes API. */
export {
  FakeKubernetesApi,
  parseLabelSelector,
  pluralOf,
} from './FakeKubernetesApi';
export type { FakeObject, RecordedRequest } from './FakeKubernetesApi';

/** App config data declaring these clusters the way the Kubernetes plugin reads them. */
export function kubernetesClustersConfig(clusters: object[]) {
  return {
    kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
  };
}
