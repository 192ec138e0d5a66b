import { ConflictError } from '@backstage/errors';
import { Application } from './types';

/*
 * The gates a commit passes before an environment that changes only by promotion
 * (production) is pinned to it. Pure: the evidence is read elsewhere (Argo CD for the
 * source environment, GitHub for the commit's checks and statuses), so the portal's
 * "Promote to production" button and `argocd:app:promote` decide the same way.
 */

/**
 * The commit status the staging verification job writes on the commit it verified, and
 * that the promotion gate reads.
 *
 * @public
 */
export const STAGING_VERIFICATION_CONTEXT = 'runway/staging-verification';

/**
 * A check run of the commit, as GitHub's checks API lists it (latest per name).
 *
 * @public
 */
export type CheckRunSummary = {
  name: string;
  /** `queued`, `in_progress`, `completed`, ... */
  status: string;
  /** `success`, `failure`, `neutral`, `skipped`, `cancelled`, `timed_out`, ...; null until completed. */
  conclusion: string | null;
};

/**
 * A commit status (the latest of its context).
 *
 * @public
 */
export type CommitStatusSummary = {
  context: string;
  /** `success`, `pending`, `failure` or `error`. */
  state: string;
  description?: string | null;
  targetUrl?: string | null;
};

/**
 * A Rollout of the source environment as Argo CD's health sees it: `Healthy` (fully
 * promoted), `Progressing`, `Suspended` (paused) or `Degraded` (aborted or failing).
 *
 * @public
 */
export type RolloutSummary = {
  name: string;
  health: string;
  message?: string;
};

/**
 * Everything the gates look at.
 *
 * @public
 */
export type PromotionEvidence = {
  /** The full commit SHA to promote. */
  commit: string;
  /** The environment the commit must have run in, and its Application as Argo CD reports it. */
  source: { environment: string; application: Application };
  /** The source environment's Rollouts. Default: the Rollouts in the Application's resource tree. */
  rollouts?: RolloutSummary[];
  /** The commit's check runs (GitHub checks API). */
  checkRuns: CheckRunSummary[];
  /** The commit's statuses, latest per context. */
  statuses: CommitStatusSummary[];
  /** The status the staging verification writes. Default: {@link STAGING_VERIFICATION_CONTEXT}. */
  verificationContext?: string;
  /**
   * How the commit relates to the revision the target environment is pinned to (GitHub's
   * compare status of `pinned...commit`): `ahead` or `identical` pass; absent when the target is
   * not pinned to a commit yet.
   */
  ancestry?: { pinned: string; status: string };
};

/**
 * The gates, in the order they are checked.
 *
 * @public
 */
export type PromotionGateName =
  | 'source-synced'
  | 'source-healthy'
  | 'rollout-promoted'
  | 'ci-succeeded'
  | 'verification-passed'
  | 'not-older';

/**
 * One gate's verdict; `message` says what is missing when it did not pass.
 *
 * @public
 */
export type PromotionGate = {
  gate: PromotionGateName;
  passed: boolean;
  message: string;
};

/** A full, lowercase Git commit SHA (SHA-1 or SHA-256). */
export const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

type ApplicationStatus = {
  sync?: { status?: string; revision?: string };
  health?: { status?: string; message?: string };
  operationState?: { phase?: string };
  resources?: Array<{
    group?: string;
    kind?: string;
    name?: string;
    health?: { status?: string; message?: string };
  }>;
};

function statusOf(application: Application): ApplicationStatus {
  const status = application.status;
  return status && typeof status === 'object'
    ? (status as ApplicationStatus)
    : {};
}

const short = (sha: string) => sha.slice(0, 12);

/**
 * The Rollouts in an Application's resource tree, with the health Argo CD computes for
 * them (Argo CD's built-in Rollout health: paused is `Suspended`, aborted is `Degraded`).
 * Pure.
 *
 * @public
 */
export function rolloutsOf(application: Application): RolloutSummary[] {
  return (statusOf(application).resources ?? [])
    .filter(r => r.kind === 'Rollout' && r.group === 'argoproj.io')
    .map(r => ({
      name: r.name ?? '',
      health: r.health?.status ?? 'Unknown',
      ...(r.health?.message && { message: r.health.message }),
    }));
}

function gate(
  name: PromotionGateName,
  problem: string | undefined,
  ok: string,
): PromotionGate {
  return problem === undefined
    ? { gate: name, passed: true, message: ok }
    : { gate: name, passed: false, message: problem };
}

function syncedGate(e: PromotionEvidence): PromotionGate {
  const { environment, application } = e.source;
  const { name } = application.metadata;
  const status = statusOf(application);
  const revision = status.sync?.revision;
  const sync = status.sync?.status ?? 'Unknown';
  let problem: string | undefined;
  if (revision !== e.commit) {
    problem = `${environment} (${name}) runs ${
      revision ? short(revision) : 'no known revision'
    }, not ${short(
      e.commit,
    )}: promote the commit ${environment} runs, or wait until ${environment} has synced this one`;
  } else if (sync !== 'Synced') {
    problem = `${environment} (${name}) is ${sync} at ${short(
      e.commit,
    )}, not Synced`;
  } else if (status.operationState?.phase === 'Running') {
    problem = `${environment} (${name}) is still syncing ${short(e.commit)}`;
  }
  return gate(
    'source-synced',
    problem,
    `${environment} (${name}) is Synced at ${short(e.commit)}`,
  );
}

function healthyGate(e: PromotionEvidence): PromotionGate {
  const { environment, application } = e.source;
  const { name } = application.metadata;
  const health = statusOf(application).health;
  const problem =
    health?.status === 'Healthy'
      ? undefined
      : `${environment} (${name}) is ${health?.status ?? 'of unknown health'}${
          health?.message ? ` (${health.message})` : ''
        }, not Healthy`;
  return gate('source-healthy', problem, `${environment} (${name}) is Healthy`);
}

function rolloutGate(e: PromotionEvidence): PromotionGate {
  const { environment } = e.source;
  const rollouts = e.rollouts ?? rolloutsOf(e.source.application);
  const describe = (r: RolloutSummary) => {
    const said = r.message ? `: ${r.message}` : '';
    switch (r.health) {
      case 'Suspended':
        return `Rollout ${r.name} is paused${said}; promote it fully in ${environment} first`;
      case 'Degraded':
        return `Rollout ${r.name} is aborted or degraded${said}`;
      case 'Progressing':
        return `Rollout ${r.name} is still rolling out${said}`;
      default:
        return `Rollout ${r.name} is ${r.health}${said}`;
    }
  };
  const problems = rollouts.filter(r => r.health !== 'Healthy').map(describe);
  return gate(
    'rollout-promoted',
    problems.length > 0 ? problems.join('; ') : undefined,
    rollouts.length > 0
      ? `every Rollout in ${environment} is fully promoted (${rollouts
          .map(r => r.name)
          .join(', ')})`
      : `${environment} has no Rollout to wait for`,
  );
}

function ciGate(e: PromotionEvidence): PromotionGate {
  const runs = e.checkRuns;
  let problem: string | undefined;
  const pending = runs.filter(r => r.status !== 'completed');
  const failed = runs.filter(
    r =>
      r.status === 'completed' && !PASSING_CONCLUSIONS.has(r.conclusion ?? ''),
  );
  if (runs.length === 0) {
    problem = `commit ${short(
      e.commit,
    )} has no CI check run: CI has not run on it (or it is not on the repository's default branch)`;
  } else if (failed.length > 0) {
    problem = `CI did not succeed on ${short(e.commit)}: ${failed
      .map(r => `${r.name} (${r.conclusion})`)
      .join(', ')}`;
  } else if (pending.length > 0) {
    problem = `CI is still running on ${short(e.commit)}: ${pending
      .map(r => `${r.name} (${r.status})`)
      .join(', ')}`;
  }
  return gate(
    'ci-succeeded',
    problem,
    `CI succeeded on ${short(e.commit)} (${runs.length} check runs)`,
  );
}

function verificationGate(e: PromotionEvidence): PromotionGate {
  const context = e.verificationContext ?? STAGING_VERIFICATION_CONTEXT;
  const status = e.statuses.find(s => s.context === context);
  const said = status?.description ? ` (${status.description})` : '';
  let problem: string | undefined;
  if (!status) {
    problem = `commit ${short(e.commit)} has no '${context}' status: the ${
      e.source.environment
    } verification has not run for it`;
  } else if (status.state === 'pending') {
    problem = `the ${e.source.environment} verification of ${short(
      e.commit,
    )} is still running${said}`;
  } else if (status.state !== 'success') {
    problem = `the ${e.source.environment} verification of ${short(
      e.commit,
    )} reported ${status.state}${said}${
      status.targetUrl ? `: ${status.targetUrl}` : ''
    }`;
  }
  return gate(
    'verification-passed',
    problem,
    `the ${e.source.environment} verification passed on ${short(
      e.commit,
    )}${said}`,
  );
}

function notOlderGate(e: PromotionEvidence): PromotionGate {
  const ancestry = e.ancestry;
  if (!ancestry) {
    return gate(
      'not-older',
      undefined,
      'the target is not pinned to a commit yet',
    );
  }
  const problem =
    ancestry.status === 'ahead' || ancestry.status === 'identical'
      ? undefined
      : `${short(e.commit)} is ${
          ancestry.status === 'behind'
            ? 'older than'
            : `not a descendant of (${ancestry.status})`
        } the pinned ${short(
          ancestry.pinned,
        )}: promotion only moves forward; roll back by reverting on main`;
  return gate(
    'not-older',
    problem,
    `${short(e.commit)} contains the pinned ${short(ancestry.pinned)}`,
  );
}

/**
 * Every promotion gate's verdict for the evidence, in order: the source environment's
 * Application is Synced at the commit and Healthy, its Rollouts are fully promoted (not
 * paused, not aborted), the commit's CI check runs succeeded, its staging verification
 * status is `success`, and it does not move the target back. Pure.
 *
 * @public
 */
export function evaluatePromotionGates(
  evidence: PromotionEvidence,
): PromotionGate[] {
  return [
    syncedGate(evidence),
    healthyGate(evidence),
    rolloutGate(evidence),
    ciGate(evidence),
    verificationGate(evidence),
    notOlderGate(evidence),
  ];
}

/**
 * Throws a ConflictError naming every gate that did not pass (and changing nothing); returns
 * when all passed.
 *
 * @public
 */
export function assertPromotionGates(
  target: string,
  commit: string,
  gates: PromotionGate[],
): void {
  const failed = gates.filter(g => !g.passed);
  if (failed.length === 0) return;
  throw new ConflictError(
    `Cannot promote ${short(commit)} to ${target}; nothing was changed. ${
      failed.length
    } gate${failed.length === 1 ? '' : 's'} failed: ${failed
      .map(g => `${g.gate}: ${g.message}`)
      .join('; ')}`,
  );
}
