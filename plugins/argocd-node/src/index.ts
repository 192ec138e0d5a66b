/**
 * Argo CD for Runway's backend plugins, written once: the instances of the `argocd` config,
 * a REST client with timeouts and retries, pure builders and comparison of Application and
 * AppProject manifests, and a GitOps pull-request writer.
 *
 * @packageDocumentation
 */
export {
  applicationName,
  applicationsInputSchema,
  applicationsInputShape,
  applyApplicationsDefaults,
  buildApplications,
  buildAppProject,
  canaryIgnoreDifferences,
  checkApplicationsInput,
  destinationFor,
  resolveApplicationsInput,
  KUBERNETES_ID_LABEL,
  RESOURCES_FINALIZER,
  IN_CLUSTER_SERVER,
  DEFAULT_PROJECT,
  DEFAULT_CHART_PATH,
  DEFAULT_TARGET_REVISION,
  DEFAULT_ENVIRONMENTS,
  DEFAULT_SYNC_OPTIONS,
} from './applications';
export type {
  ApplicationsInput,
  ApplicationsInputShape,
  EnvironmentInput,
  EnvironmentInputSchema,
  SyncPolicyInputSchema,
  ResolvedApplicationsInput,
  SyncPolicyInput,
} from './applications';
export { diffApplication, mergeForUpdate } from './compare';
export { applicationUrl, ArgoCdClient } from './ArgoCdClient';
export type { ArgoCdClientOptions } from './ArgoCdClient';
export {
  ArgoCdInstances,
  readGitOpsConfig,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_GITOPS_PATH_PATTERN,
  DEFAULT_GITOPS_PROJECT_PATH_PATTERN,
} from './config';
export type { GitOpsConfig } from './config';
export { ensureApplication, ensureProject } from './ensure';
export type { EnsureApplicationResult, EnsureStatus } from './ensure';
export { createOctokit, GitOpsWriter, manifestToYaml } from './gitops';
export type {
  EnsurePullRequestOptions,
  GitOpsFile,
  PullRequestResult,
  PullRequestStatus,
} from './gitops';
export {
  gitOpsBranchName,
  gitOpsFiles,
  MANAGED_BY_HEADER,
} from './gitopsFiles';
export { renderPath } from './paths';
export type { PathValues } from './paths';
export { gitHubRepositoryOf, gitRepoUrl, repoUrlProblem } from './repoUrl';
export {
  assertPromotionGates,
  evaluatePromotionGates,
  rolloutsOf,
  STAGING_VERIFICATION_CONTEXT,
} from './promotionGates';
export type {
  CheckRunSummary,
  CommitStatusSummary,
  PromotionEvidence,
  PromotionGate,
  PromotionGateName,
  RolloutSummary,
} from './promotionGates';
export { readCommitEvidence } from './github';
export type { CommitEvidence, GitHubRetryOptions } from './github';
export {
  checkPromotion,
  checkPromotionInput,
  pinnedApplication,
  promoteApplication,
  promotionBranchName,
  promotionInputSchema,
  promotionInputShape,
  resolvePromotionInput,
} from './promote';
export type {
  PromoteApplicationOptions,
  PromotionCheck,
  PromotionInput,
  PromotionInputShape,
  PromotionResult,
  ResolvedPromotionInput,
} from './promote';
export type { GitHubRepository } from './repoUrl';
export {
  gitOpsWriterFor,
  octokitForRepository,
  readArgoCdSetup,
} from './setup';
export type { ArgoCdSetup } from './setup';
export * from './types';
export { MAX_HELM_RELEASE_NAME_LENGTH } from './validation';
