/*
 * The staging → production promotion of an entity's app, as the Canary backend serves it
 * (GET/POST /entities/:namespace/:kind/:name/promotion). The gates are argocd-node's
 * (the same as the `argocd:app:promote` action's).
 */

/**
 * One promotion gate's verdict.
 *
 * @public
 */
export type PromotionGateVerdict = {
  /** `source-synced`, `source-healthy`, `rollout-promoted`, `ci-succeeded`, `verification-passed`, `not-older`. */
  gate: string;
  passed: boolean;
  /** What it saw, or what is missing when it did not pass. */
  message: string;
};

/**
 * Whether staging's commit may be promoted to production, without anything written:
 * - `not-configured`: no Argo CD instance is configured (not an error);
 * - `no-candidate`: the entity names no app, or staging runs no known commit;
 * - `ready`: every gate passed; `blocked`: at least one failed;
 * - `unchanged`: production already runs staging's commit.
 *
 * @public
 */
export type PromotionStatusResponse = {
  state: 'not-configured' | 'no-candidate' | 'ready' | 'blocked' | 'unchanged';
  /** Why, for `not-configured` and `no-candidate`. */
  message?: string;
  /** The app (the entity's `backstage.io/kubernetes-id`). */
  appName?: string;
  /** The Argo CD instance. */
  instance?: string;
  from: string;
  to: string;
  /** The target Application (`<appName>-production`). */
  application?: string;
  /** The commit staging's Application is synced to. */
  candidate?: string;
  /** Production's revision now. */
  currentRevision?: string;
  gates: PromotionGateVerdict[];
};

/**
 * What `POST …/promotion` did: `promoted` (Argo CD updated), `unchanged` (production already
 * ran the commit) or `pull-request` (a GitOps pull request pins it).
 *
 * @public
 */
export type PromotionResponse = {
  status: 'promoted' | 'unchanged' | 'pull-request';
  application: string;
  commit: string;
  previousRevision?: string;
  gates: PromotionGateVerdict[];
  pullRequestUrl?: string;
};
