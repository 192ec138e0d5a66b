/*
 * What each Canary action does to an Argo Rollout: exactly the patches the
 * `kubectl argo rollouts` command of the same name sends (argo-rollouts v1.9.1,
 * pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry}), and which transitions make no
 * sense in the Rollout's present state. Pure: the backend applies the patches, the
 * frontend uses the refusals to disable a button with the reason.
 */

/** The Rollout actions of the Canary tab, named as their `kubectl argo rollouts` command. */
export type RolloutAction = 'promote' | 'promote-full' | 'abort' | 'retry';

/** @public */
export const ROLLOUT_ACTIONS: readonly RolloutAction[] = [
  'promote',
  'promote-full',
  'abort',
  'retry',
];

/**
 * The fields of an argoproj.io/v1alpha1 Rollout the actions read. Structural, so a
 * Rollout as the API returns it can be passed as it is.
 */
export type RolloutActionTarget = {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    paused?: boolean;
    strategy?: {
      canary?: { steps?: unknown[] };
      blueGreen?: unknown;
    };
  };
  status?: {
    phase?: string;
    abort?: boolean;
    controllerPause?: boolean;
    currentStepIndex?: number;
    currentPodHash?: string;
    stableRS?: string;
    pauseConditions?: Array<{ reason?: string; startTime?: string }> | null;
    canary?: {
      currentStepAnalysisRunStatus?: { status?: string } | null;
    };
  };
};

/**
 * One JSON merge patch (`application/merge-patch+json`) of the Rollout, to the status
 * subresource (`…/rollouts/<name>/status`) or to the object itself.
 */
export type RolloutPatch = {
  subresource?: 'status';
  body: { spec?: Record<string, unknown>; status?: Record<string, unknown> };
};

/** What an action would do: the patches in order, or why it is refused. */
export type RolloutActionPlan =
  | { allowed: true; patches: RolloutPatch[] }
  | { allowed: false; reason: string };

/**
 * Where a Rollout stands, as far as the actions care. Computed from the Rollout itself
 * (backend) or from its progress in the status response (frontend), so both refuse the
 * same transitions with the same words.
 */
export type RolloutActionState = {
  /** The Rollout uses the canary strategy (the only one the Canary tab acts on). */
  canary: boolean;
  /** `status.abort`: traffic went back to stable; the update waits for a retry. */
  aborted: boolean;
  /** A revision other than the stable one is being rolled out. */
  updating: boolean;
  /** `spec.paused`: paused by a person or a tool; a promote resumes it. */
  pausedByUser: boolean;
};

/** The state the refusals are judged on, from the Rollout object. */
export function rolloutActionState(
  rollout: RolloutActionTarget,
): RolloutActionState {
  const status = rollout.status ?? {};
  return {
    canary: rollout.spec?.strategy?.canary !== undefined,
    aborted: status.abort === true,
    updating:
      !!status.currentPodHash && status.currentPodHash !== status.stableRS,
    pausedByUser: rollout.spec?.paused === true,
  };
}

/**
 * Why an action makes no sense in this state (a sentence for the person who asked), or
 * undefined when it may go ahead.
 */
export function rolloutActionRefusal(
  action: RolloutAction,
  state: RolloutActionState,
): string | undefined {
  if (!state.canary) {
    return 'The Rollout does not use the canary strategy; the Canary tab acts on canary Rollouts only.';
  }
  switch (action) {
    case 'promote':
    case 'promote-full':
      if (state.aborted) {
        return 'The Rollout is aborted: retry it to start the update again before promoting.';
      }
      if (!state.updating && !state.pausedByUser) {
        return 'Nothing to promote: the Rollout runs its stable revision and no update is in progress.';
      }
      return undefined;
    case 'abort':
      if (state.aborted) return 'The Rollout is already aborted.';
      if (!state.updating) {
        return 'Nothing to abort: the Rollout runs its stable revision and no update is in progress.';
      }
      return undefined;
    case 'retry':
      if (!state.aborted) {
        return 'Only an aborted Rollout can be retried; this one is not aborted.';
      }
      return undefined;
    default:
      return `Unknown action "${action as string}".`;
  }
}

const status = (body: Record<string, unknown>): RolloutPatch => ({
  subresource: 'status',
  body: { status: body },
});
const unpause: RolloutPatch = { body: { spec: { paused: false } } };

/** The step after the current one, as `kubectl argo rollouts promote` computes it. */
function nextStepIndex(rollout: RolloutActionTarget): number | undefined {
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  if (steps.length === 0) return undefined;
  const index = rollout.status?.currentStepIndex ?? 0;
  return index < steps.length ? index + 1 : index;
}

/**
 * The patches of `kubectl argo rollouts <action>`, in the order it sends them: the status
 * subresource first, then the object. Without refusals (see `planRolloutAction`).
 */
export function rolloutActionPatches(
  action: RolloutAction,
  rollout: RolloutActionTarget,
): RolloutPatch[] {
  const s = rollout.status ?? {};
  const paused = rollout.spec?.paused === true;
  switch (action) {
    case 'abort':
      return [status({ abort: true })];
    case 'retry':
      return [status({ abort: false })];
    case 'promote-full':
      return [
        ...(s.currentPodHash !== s.stableRS
          ? [status({ promoteFull: true })]
          : []),
        ...(paused ? [unpause] : []),
      ];
    case 'promote': {
      const pauseConditions = s.pauseConditions ?? [];
      const inconclusive =
        rollout.spec?.strategy?.canary !== undefined &&
        s.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
      const patches: RolloutPatch[] = [];
      if (
        inconclusive &&
        pauseConditions.length > 0 &&
        s.controllerPause === true
      ) {
        // Stuck on an inconclusive analysis: clear the pause and move past the step.
        const next = nextStepIndex(rollout);
        if (next !== undefined) {
          patches.push(
            status({
              pauseConditions: null,
              controllerPause: false,
              currentStepIndex: next,
            }),
          );
        }
      } else if (pauseConditions.length > 0) {
        // Paused at a step: clearing the pause lets the controller go to the next step.
        patches.push(status({ pauseConditions: null }));
      } else if (rollout.spec?.strategy?.canary !== undefined) {
        // Mid-step (analysis, experiment, a weight not reached yet): skip to the next step.
        const next = nextStepIndex(rollout);
        if (next !== undefined) {
          patches.push(
            status({ pauseConditions: null, currentStepIndex: next }),
          );
        }
      }
      if (paused) patches.push(unpause);
      return patches;
    }
    default:
      throw new Error(`Unknown Rollout action "${action as string}"`);
  }
}

/** What an action does to this Rollout: refused with the reason, or its patches. */
export function planRolloutAction(
  action: RolloutAction,
  rollout: RolloutActionTarget,
): RolloutActionPlan {
  const reason = rolloutActionRefusal(action, rolloutActionState(rollout));
  if (reason) return { allowed: false, reason };
  return { allowed: true, patches: rolloutActionPatches(action, rollout) };
}

/** Where a Rollout stood before an action, and right after its patches. */
export type RolloutActionSnapshot = {
  /** Argo Rollouts' phase: Healthy, Progressing, Paused, Degraded. */
  phase?: string;
  /** 0-based step in progress; equals stepCount once every step is done. */
  currentStepIndex?: number;
  stepCount: number;
  paused: boolean;
  aborted: boolean;
};

/** The result of one action: what was sent, and the Rollout before and right after. */
export type RolloutActionResponse = {
  action: RolloutAction;
  cluster: string;
  namespace: string;
  rollout: string;
  /** The patches sent, in order. */
  patches: RolloutPatch[];
  before: RolloutActionSnapshot;
  /** As the last patch returned it; the controller moves on from there within seconds. */
  after: RolloutActionSnapshot;
};

/** The snapshot of a Rollout an action reports. */
export function rolloutActionSnapshot(
  rollout: RolloutActionTarget,
): RolloutActionSnapshot {
  const s = rollout.status ?? {};
  return {
    ...(s.phase && { phase: s.phase }),
    ...(s.currentStepIndex !== undefined && {
      currentStepIndex: s.currentStepIndex,
    }),
    stepCount: rollout.spec?.strategy?.canary?.steps?.length ?? 0,
    paused:
      rollout.spec?.paused === true || (s.pauseConditions?.length ?? 0) > 0,
    aborted: s.abort === true,
  };
}

/**
 * The fields of a release's Rollout progress (the status response's `rollout`) the
 * actions are judged on.
 */
export type RolloutProgressState = {
  aborted: boolean;
  pausedByUser: boolean;
  stableRevision?: string;
  canaryRevision?: string;
};

/** The state the refusals are judged on, from the progress the Canary tab shows. */
export function progressActionState(
  progress: RolloutProgressState,
): RolloutActionState {
  return {
    // The status reports progress only for canary Rollouts.
    canary: true,
    aborted: progress.aborted,
    updating:
      !!progress.canaryRevision &&
      progress.canaryRevision !== progress.stableRevision,
    pausedByUser: progress.pausedByUser,
  };
}
