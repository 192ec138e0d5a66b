/**
 * Test support for what reads or writes Kubernetes: an HTTP-level fake of the Kubernetes
 * API (faults and scale; semantics are tested against `@runway/control-plane`) and the app
 * config that points the `kubernetes` config at it.
 *
 * @packageDocumentation
 */
export { FakeKubernetesApi } from './FakeKubernetesApi';
export type { FakeKubernetesApiOptions } from './FakeKubernetesApi';
export { kubernetesClustersConfig } from './config';
export type {
  FakeFailure,
  FakeFailureMatch,
  FakeObject,
  FakeObjectRef,
  RecordedRequest,
} from './types';
