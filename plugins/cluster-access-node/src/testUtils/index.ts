/** Test utilities: an HTTP-level fake of the Kubernetes API. */
export {
  FakeKubernetesApi,
  parseLabelSelector,
  pluralOf,
} from './FakeKubernetesApi';
export type { FakeObject, RecordedRequest } from './FakeKubernetesApi';
