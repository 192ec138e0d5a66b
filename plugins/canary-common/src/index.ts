/**
 * Types and the pure computations shared by the Canary frontend and backend: the canary
 * status of Istio-routed releases, and the database card's status of CloudNativePG clusters.
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
  RolloutProgress,
  AnalysisRunSummary,
  AnalysisMetricSummary,
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
  RolloutAnalysisTemplateRef,
  RolloutStep,
  Rollout,
  Service,
  ReplicaSet,
  AnalysisMeasurement,
  AnalysisRun,
  AnalysisTemplate,
  CanaryObjects,
} from './objects';
export { computeCanaryReleases } from './computeCanaryStatus';
export type {
  DatabaseStatusResponse,
  ClusterDatabases,
  DatabaseHealth,
  ArchivingState,
  DatabaseProblemCode,
  DatabaseProblem,
  PostgresCluster,
} from './database/types';
export type {
  CnpgCluster,
  CnpgBackup,
  CnpgScheduledBackup,
  CnpgDatabase,
} from './database/objects';
export {
  computePostgresCluster,
  parseTimestamp,
  formatDuration,
  BACKUP_MAX_AGE_HOURS,
  CERTIFICATE_WARNING_DAYS,
} from './database/computeDatabaseStatus';
export type { PostgresClusterObjects } from './database/computeDatabaseStatus';
export {
  canaryRolloutPromotePermission,
  canaryRolloutAbortPermission,
  canaryEnvironmentPromotePermission,
  canaryPermissions,
} from './permissions';
export {
  ROLLOUT_ACTIONS,
  rolloutActionState,
  rolloutActionRefusal,
  rolloutActionPatches,
  planRolloutAction,
  rolloutActionSnapshot,
  progressActionState,
} from './rolloutActions';
export type {
  RolloutAction,
  RolloutActionTarget,
  RolloutPatch,
  RolloutActionPlan,
  RolloutActionState,
  RolloutActionSnapshot,
  RolloutActionResponse,
  RolloutProgressState,
} from './rolloutActions';
export {
  HEALTH_WINDOW,
  trackMatchers,
  trackHealthQueries,
  releaseHealthTargets,
} from './healthQueries';
export type {
  TrackTarget,
  TrackHealthQueries,
  ReleaseTrackTarget,
  HealthRelease,
} from './healthQueries';
export type {
  CanaryHealthResponse,
  ClusterHealth,
  ReleaseHealth,
  TrackHealth,
} from './healthTypes';
export type {
  PromotionGateVerdict,
  PromotionResponse,
  PromotionStatusResponse,
} from './promotionTypes';
