/**
 * Test support for what talks to Argo CD: HTTP-level fakes of Argo CD's REST API and of a
 * GitHub repository (for GitOps pull requests), for msw or behind a loopback server.
 *
 * @packageDocumentation
 */
export { FakeArgoCd } from './FakeArgoCd';
export type { ArgoFailure, ArgoObject, ArgoRequest } from './FakeArgoCd';
export { FakeGitHub } from './FakeGitHub';
export type {
  FakeCheckRun,
  FakeCommit,
  FakeCommitStatus,
  FakePullRequest,
  GitHubRequest,
} from './FakeGitHub';
export { LoopbackServer } from './serve';
export type { FetchHandler } from './serve';
export { fakePromotableCommit } from './promotion';
