import type {
  RolloutActionTarget,
  RolloutPatch,
} from '@runway/plugin-canary-common';

/*
 * The Argo Rollouts controller pauses a canary step in more than one write: it records
 * the pause condition, then `controllerPause`, then its conditions. A promote (pause
 * conditions cleared, as `kubectl argo rollouts promote` does) that lands between those
 * writes is undone by the next one, which puts the pause back at the same step: the
 * person pressed Promote and the canary stays where it was. packages/control-plane
 * shows it with the real controller.
 *
 * So a promote that clears a pause the controller set moments ago is verified: the
 * Rollout is read again until it has left that step, and the promote is sent again when
 * the pause came back at the same step. An old pause needs no check: the controller's
 * writes for it are long done.
 */

/** A pause younger than this may still have controller writes to come. */
export const RECENT_PAUSE_MS = 30_000;

/** How long a recent promote is watched, how often, and how often it is re-sent at most. */
export type PromoteVerification = {
  timeoutMs: number;
  intervalMs: number;
  maxResends: number;
};

export const DEFAULT_PROMOTE_VERIFICATION: PromoteVerification = {
  timeoutMs: 10_000,
  intervalMs: 250,
  maxResends: 3,
};

/**
 * The promote (its patches) clears pause conditions the controller set less than
 * RECENT_PAUSE_MS before `now` (by the newest one's start time), so the controller may
 * undo it. A Rollout without pause conditions (mid-step, paused by a person) has none to
 * be put back.
 */
export function promoteNeedsVerification(
  before: RolloutActionTarget,
  patches: readonly RolloutPatch[],
  now: number,
): boolean {
  const conditions = before.status?.pauseConditions ?? [];
  if (conditions.length === 0) return false;
  if (!patches.some(p => p.body.status?.pauseConditions === null)) {
    return false;
  }
  const starts = conditions
    .map(c => (c.startTime ? Date.parse(c.startTime) : NaN))
    .filter(t => !Number.isNaN(t));
  // A pause condition without a time cannot be judged old: verify.
  if (starts.length === 0) return true;
  return now - Math.max(...starts) < RECENT_PAUSE_MS;
}

/**
 * Where a promoted Rollout stands against the one the promote was sent to:
 * - `advanced`: it left the step (or was aborted, or fully promoted): nothing to do;
 * - `undone`: paused again at the same step: the promote was lost, send it again;
 * - `pending`: pause cleared, the controller has not moved on yet: read again.
 */
export function promoteProgress(
  before: RolloutActionTarget,
  now: RolloutActionTarget,
): 'advanced' | 'undone' | 'pending' {
  const s = now.status ?? {};
  if (
    s.abort === true ||
    s.currentStepIndex !== before.status?.currentStepIndex ||
    (s.currentPodHash !== undefined && s.currentPodHash === s.stableRS)
  ) {
    return 'advanced';
  }
  return (s.pauseConditions?.length ?? 0) > 0 ? 'undone' : 'pending';
}

/**
 * Watches a promote until the Rollout left the step, re-sending it (`resend`, which
 * plans it again on the Rollout it is given) when the controller undid it. Returns the
 * last Rollout read and how often the promote was re-sent. Ends at the timeout without
 * an error: a controller that is slow or down is not a failed promote.
 */
export async function verifyPromote(
  before: RolloutActionTarget,
  io: {
    read: () => Promise<RolloutActionTarget | undefined>;
    resend: (rollout: RolloutActionTarget) => Promise<RolloutActionTarget>;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
  },
  options: PromoteVerification = DEFAULT_PROMOTE_VERIFICATION,
): Promise<{ rollout?: RolloutActionTarget; resent: number }> {
  const sleep =
    io.sleep ?? ((ms: number) => new Promise(r => setTimeout(r, ms)));
  const now = io.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  let resent = 0;
  let latest: RolloutActionTarget | undefined;
  while (now() < deadline) {
    await sleep(options.intervalMs);
    latest = await io.read();
    if (!latest) break;
    const progress = promoteProgress(before, latest);
    if (progress === 'advanced') break;
    if (progress === 'undone') {
      if (resent >= options.maxResends) break;
      latest = await io.resend(latest);
      resent++;
    }
  }
  return { rollout: latest, resent };
}
