/**
 * Test support for what reads or writes Kubernetes: an HTTP-level fake of the Kubernetes
 * API (faults and scale; semantics are tested against `@runway/control-plane`) and the app
 * config that points the `kubernetes` config at it.
 *
 * @packageDocumentation
 */
export { FakeKubernetesApi } from './FakeKubernetesApi';
export type { FakeKubernetesApiOptions } from './FakeKubernetesApi';
export { parseFieldSelector } from './selectors';
export { pluralOf } from './routing';
export { kubernetesClustersConfig } from './config';
export type {
  AuthorizationCheck,
  FakeFailure,
  FakeFailureMatch,
  FakeObject,
  FakeObjectRef,
  FakeRbacRule,
  ManagedFieldsEntry,
  RecordedRequest,
} from './types';
