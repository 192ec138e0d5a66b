import { ArgoObject, FakeArgoCd } from './FakeArgoCd';
import { FakeGitHub } from './FakeGitHub';

/**
 * A staging → production promotion of `commit` that passes every gate: the service
 * repository has `previous` (what production is pinned to) and `commit` after it, the
 * commit's CI check run succeeded and its `runway/staging-verification` status is
 * `success`; Argo CD holds `staging` Synced and Healthy at the commit, and `production`.
 * Serve `argo.handlers()` and `github.handlers()` to msw; a test breaks one gate by
 * changing what it returns (e.g. `github.statuses.delete(commit)`).
 *
 * @public
 */
export function fakePromotableCommit(options: {
  argocd: { url: string; token: string };
  github: { owner: string; repo: string; token: string };
  /** The staging Application's manifest; its status is set here. */
  staging: ArgoObject;
  production: ArgoObject;
  previous: string;
  commit: string;
}): { argo: FakeArgoCd; github: FakeGitHub } {
  const { commit } = options;
  const argo = new FakeArgoCd(options.argocd);
  const github = new FakeGitHub(options.github);
  github.commit(options.previous);
  github.commit(commit);
  github.checkRuns.set(commit, [
    { name: 'Test', status: 'completed', conclusion: 'success' },
  ]);
  github.statuses.set(commit, [
    { context: 'runway/staging-verification', state: 'success' },
  ]);
  argo.seed(
    {
      ...options.staging,
      status: {
        sync: { status: 'Synced', revision: commit },
        health: { status: 'Healthy' },
      },
    },
    options.production,
  );
  return { argo, github };
}
