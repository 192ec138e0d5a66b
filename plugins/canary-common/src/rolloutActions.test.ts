import {
  RolloutAction,
  RolloutActionTarget,
  planRolloutAction,
  progressActionState,
  rolloutActionPatches,
  rolloutActionRefusal,
  rolloutActionSnapshot,
  rolloutActionState,
} from './rolloutActions';

/*
 * The expected patches are the constants of argo-rollouts v1.9.1
 * pkg/kubectl-argo-rollouts/cmd/promote/promote.go, abort/abort.go and retry/retry.go,
 * as the commands format them.
 */
const cli = {
  unpausePatch: '{"spec":{"paused":false}}',
  clearPauseConditionsPatch: '{"status":{"pauseConditions":null}}',
  clearPauseConditionsAndControllerPausePatch: (i: number) =>
    `{"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":${i}}}`,
  clearPauseConditionsPatchWithStep: (i: number) =>
    `{"status":{"pauseConditions":null, "currentStepIndex":${i}}}`,
  promoteFullPatch: '{"status":{"promoteFull":true}}',
  abortPatch: '{"status":{"abort":true}}',
  retryRolloutPatch: '{"status":{"abort":false}}',
};
const onStatus = (json: string) => ({
  subresource: 'status',
  body: JSON.parse(json),
});
const onObject = (json: string) => ({ body: JSON.parse(json) });

const steps = [
  { setWeight: 25 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '5m' } },
];

function rollout(
  status: NonNullable<RolloutActionTarget['status']>,
  spec: { paused?: boolean; steps?: unknown[] } = {},
): RolloutActionTarget {
  return {
    metadata: { name: 'orders-api', namespace: 'orders' },
    spec: {
      ...(spec.paused !== undefined && { paused: spec.paused }),
      strategy: { canary: { steps: spec.steps ?? steps } },
    },
    status: { stableRS: 'aaa', currentPodHash: 'bbb', ...status },
  };
}
const pausedAtStep = (index: number) =>
  rollout({
    currentStepIndex: index,
    controllerPause: true,
    pauseConditions: [
      { reason: 'CanaryPauseStep', startTime: '2026-11-28T10:00:00Z' },
    ],
  });

describe('rolloutActionPatches: what kubectl argo rollouts sends', () => {
  it.each<[string, RolloutAction, RolloutActionTarget, object[]]>([
    [
      'promote, paused at an indefinite pause step: clear the pause conditions',
      'promote',
      pausedAtStep(1),
      [onStatus(cli.clearPauseConditionsPatch)],
    ],
    [
      'promote, paused by a person at a pause step: clear the conditions, then unpause the spec',
      'promote',
      {
        ...pausedAtStep(1),
        spec: { paused: true, strategy: { canary: { steps } } },
      },
      [onStatus(cli.clearPauseConditionsPatch), onObject(cli.unpausePatch)],
    ],
    [
      'promote, mid-step (waiting for a weight or an analysis): skip to the next step',
      'promote',
      rollout({ currentStepIndex: 2 }),
      [onStatus(cli.clearPauseConditionsPatchWithStep(3))],
    ],
    [
      'promote, no step index yet: the first step counts as current',
      'promote',
      rollout({}),
      [onStatus(cli.clearPauseConditionsPatchWithStep(1))],
    ],
    [
      'promote, every step done: the index stays at the step count',
      'promote',
      rollout({ currentStepIndex: 4 }),
      [onStatus(cli.clearPauseConditionsPatchWithStep(4))],
    ],
    [
      'promote, stuck on an inconclusive step analysis: clear the controller pause and move on',
      'promote',
      rollout({
        currentStepIndex: 2,
        controllerPause: true,
        pauseConditions: [{ reason: 'InconclusiveAnalysisRun' }],
        canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } },
      }),
      [onStatus(cli.clearPauseConditionsAndControllerPausePatch(3))],
    ],
    [
      'promote, inconclusive but no controller pause: only clear the conditions',
      'promote',
      rollout({
        currentStepIndex: 2,
        pauseConditions: [{ reason: 'InconclusiveAnalysisRun' }],
        canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } },
      }),
      [onStatus(cli.clearPauseConditionsPatch)],
    ],
    [
      'promote, a canary without steps and no pause: nothing to the status',
      'promote',
      rollout({}, { steps: [], paused: true }),
      [onObject(cli.unpausePatch)],
    ],
    [
      'promote --full mid-update: promoteFull on the status',
      'promote-full',
      pausedAtStep(1),
      [onStatus(cli.promoteFullPatch)],
    ],
    [
      'promote --full, paused by a person: promoteFull, then unpause',
      'promote-full',
      rollout({ currentStepIndex: 1 }, { paused: true }),
      [onStatus(cli.promoteFullPatch), onObject(cli.unpausePatch)],
    ],
    [
      'promote --full on the stable revision, paused: only unpause',
      'promote-full',
      rollout({ currentPodHash: 'aaa' }, { paused: true }),
      [onObject(cli.unpausePatch)],
    ],
    ['abort', 'abort', pausedAtStep(1), [onStatus(cli.abortPatch)]],
    [
      'retry',
      'retry',
      rollout({ abort: true, currentStepIndex: 0 }),
      [onStatus(cli.retryRolloutPatch)],
    ],
  ])('%s', (_, action, target, expected) => {
    expect(rolloutActionPatches(action, target)).toEqual(expected);
  });
});

describe('rolloutActionRefusal: impossible transitions', () => {
  const steady = rollout({ currentPodHash: 'aaa', currentStepIndex: 4 });
  const aborted = rollout({ abort: true, currentStepIndex: 0 });
  const blueGreen: RolloutActionTarget = {
    spec: { strategy: { blueGreen: {} } },
    status: { stableRS: 'aaa', currentPodHash: 'bbb' },
  };
  const nothingToPromote =
    'Nothing to promote: the Rollout runs its stable revision and no update is in progress.';
  const retryFirst =
    'The Rollout is aborted: retry it to start the update again before promoting.';
  const canaryOnly =
    'The Rollout does not use the canary strategy; the Canary tab acts on canary Rollouts only.';

  it.each<[string, RolloutAction, RolloutActionTarget, string | undefined]>([
    ['promote a paused canary', 'promote', pausedAtStep(1), undefined],
    ['promote a steady Rollout', 'promote', steady, nothingToPromote],
    [
      'promote a steady Rollout a person paused',
      'promote',
      { ...steady, spec: { ...steady.spec, paused: true } },
      undefined,
    ],
    ['promote an aborted Rollout', 'promote', aborted, retryFirst],
    [
      'promote fully a paused canary',
      'promote-full',
      pausedAtStep(1),
      undefined,
    ],
    [
      'promote fully a steady Rollout',
      'promote-full',
      steady,
      nothingToPromote,
    ],
    ['promote fully an aborted Rollout', 'promote-full', aborted, retryFirst],
    ['abort a paused canary', 'abort', pausedAtStep(1), undefined],
    [
      'abort an aborted Rollout',
      'abort',
      aborted,
      'The Rollout is already aborted.',
    ],
    [
      'abort a steady Rollout',
      'abort',
      steady,
      'Nothing to abort: the Rollout runs its stable revision and no update is in progress.',
    ],
    ['retry an aborted Rollout', 'retry', aborted, undefined],
    [
      'retry a Rollout that is not aborted',
      'retry',
      pausedAtStep(1),
      'Only an aborted Rollout can be retried; this one is not aborted.',
    ],
    ['promote a blue-green Rollout', 'promote', blueGreen, canaryOnly],
    ['abort a blue-green Rollout', 'abort', blueGreen, canaryOnly],
  ])('%s', (_, action, target, reason) => {
    expect(rolloutActionRefusal(action, rolloutActionState(target))).toBe(
      reason,
    );
    expect(planRolloutAction(action, target)).toEqual(
      reason
        ? { allowed: false, reason }
        : { allowed: true, patches: rolloutActionPatches(action, target) },
    );
  });

  it('a Rollout that has not reported a revision yet is not updating', () => {
    expect(rolloutActionState({ spec: { strategy: { canary: {} } } })).toEqual({
      canary: true,
      aborted: false,
      updating: false,
      pausedByUser: false,
    });
  });
});

describe('rolloutActionSnapshot', () => {
  it.each<[string, RolloutActionTarget, object]>([
    [
      'paused at a step',
      {
        ...pausedAtStep(1),
        status: { ...pausedAtStep(1).status, phase: 'Paused' },
      },
      {
        phase: 'Paused',
        currentStepIndex: 1,
        stepCount: 4,
        paused: true,
        aborted: false,
      },
    ],
    [
      'paused by a person, no step index yet',
      rollout({}, { paused: true }),
      { stepCount: 4, paused: true, aborted: false },
    ],
    [
      'aborted',
      rollout({ abort: true, phase: 'Degraded', currentStepIndex: 0 }),
      {
        phase: 'Degraded',
        currentStepIndex: 0,
        stepCount: 4,
        paused: false,
        aborted: true,
      },
    ],
  ])('%s', (_, target, expected) => {
    expect(rolloutActionSnapshot(target)).toEqual(expected);
  });
});

describe('progressActionState', () => {
  it.each([
    [
      'a paused canary',
      {
        aborted: false,
        pausedByUser: false,
        stableRevision: 'a',
        canaryRevision: 'b',
      },
      { canary: true, aborted: false, updating: true, pausedByUser: false },
    ],
    [
      'a steady Rollout',
      {
        aborted: false,
        pausedByUser: false,
        stableRevision: 'a',
        canaryRevision: 'a',
      },
      { canary: true, aborted: false, updating: false, pausedByUser: false },
    ],
    [
      'an aborted one a person paused',
      {
        aborted: true,
        pausedByUser: true,
        stableRevision: 'a',
        canaryRevision: 'b',
      },
      { canary: true, aborted: true, updating: true, pausedByUser: true },
    ],
  ])('%s', (_, progress, expected) => {
    expect(progressActionState(progress)).toEqual(expected);
  });

  it('refuses the same transitions as the Rollout itself', () => {
    const target = rollout({ abort: true, currentStepIndex: 0 });
    const fromProgress = progressActionState({
      aborted: true,
      pausedByUser: false,
      stableRevision: 'aaa',
      canaryRevision: 'bbb',
    });
    for (const action of [
      'promote',
      'promote-full',
      'abort',
      'retry',
    ] as const) {
      expect(rolloutActionRefusal(action, fromProgress)).toBe(
        rolloutActionRefusal(action, rolloutActionState(target)),
      );
    }
  });
});
