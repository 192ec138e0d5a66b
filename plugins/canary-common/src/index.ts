/**
 * Types and the pure canary status computation shared by the Canary frontend and backend.
 *
 * @packageDocumentation
 */

export type {
  CanaryStatusResponse,
  ClusterCanaries,
  CanaryPhase,
  ProblemSeverity,
  CanaryProblem,
  CanaryProblemCode,
  CanaryRelease,
  Track,
} from './types';
export type {
  Labels,
  ObjectMeta,
  LabelSelector,
  PodTemplate,
  StringMatch,
  HTTPMatchRequest,
  HTTPRouteDestination,
  HTTPRoute,
  VirtualService,
  DestinationRule,
  Deployment,
  RolloutVirtualServiceRef,
  RolloutIstioTrafficRouting,
  Rollout,
} from './objects';
export { computeCanaryReleases } from './computeCanaryStatus';
export type { CanaryObjects } from './computeCanaryStatus';
