/**
 * A throwaway Kubernetes control plane for tests: etcd and kube-apiserver (RBAC, Pod Security
 * admission, server-side apply, CRD validation — the real thing) on loopback, with the
 * platform's upstream CRDs; optionally controller-manager, scheduler and kwok (workloads run as
 * far as Kubernetes sees them) and the Argo Rollouts controller.
 *
 * @packageDocumentation
 */
export { startControlPlane } from './ControlPlane';
export type {
  ApplyObject,
  AuditEvent,
  ControlPlane,
  ControlPlaneOptions,
  PolicyRule,
} from './ControlPlane';
export { rolloutSettled, startRolloutsController } from './rollouts';
export { KWOK_NODE } from './workloads';
export { controlPlaneBinaries } from './binaries';
export type { Binaries, BinaryName } from './binaries';
export {
  upstreamCrds,
  loadCrdSource,
  platformVersions,
  crdComponents,
} from './crds';
export type {
  Crd,
  CrdSource,
  PlatformComponent,
  PlatformVersions,
} from './crds';
export { cacheDir } from './paths';
export { dryRunObjects, nameOf, podOfTemplate } from './dryRun';
export type { DryRunOptions, RenderedObject } from './dryRun';
export type { ApiResponse } from './ControlPlane';
