import type {
  RolloutActionTarget,
  RolloutPatch,
} from '@runway/plugin-canary-common';
import {
  promoteNeedsVerification,
  promoteProgress,
  RECENT_PAUSE_MS,
  verifyPromote,
} from './promoteVerification';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

const pausedAt = (
  step: number,
  startTime: string | undefined = ago(1000),
): RolloutActionTarget => ({
  status: {
    currentStepIndex: step,
    currentPodHash: 'bbb',
    stableRS: 'aaa',
    pauseConditions: [
      { reason: 'CanaryPauseStep', ...(startTime && { startTime }) },
    ],
  },
});
const cleared = (step: number): RolloutActionTarget => ({
  status: { currentStepIndex: step, currentPodHash: 'bbb', stableRS: 'aaa' },
});

describe('promoteNeedsVerification', () => {
  const clear = [
    {
      subresource: 'status' as const,
      body: { status: { pauseConditions: null } },
    },
  ];
  const unpause = [{ body: { spec: { paused: false } } }];
  it.each<[string, RolloutActionTarget, RolloutPatch[], boolean]>([
    ['a pause set 1 s ago, cleared', pausedAt(1, ago(1000)), clear, true],
    [
      'a pause set just under the window ago',
      pausedAt(1, ago(RECENT_PAUSE_MS - 1)),
      clear,
      true,
    ],
    [
      'a pause set the window ago: its writes are done',
      pausedAt(1, ago(RECENT_PAUSE_MS)),
      clear,
      false,
    ],
    ['a pause of this morning', pausedAt(1, ago(3_600_000)), clear, false],
    ['a pause without a start time', pausedAt(1, undefined), clear, true],
    ['a recent pause the promote does not clear', pausedAt(1), unpause, false],
    [
      'mid-step, no pause conditions (the patch skips to the next step)',
      cleared(2),
      [
        {
          subresource: 'status',
          body: { status: { pauseConditions: null, currentStepIndex: 3 } },
        },
      ],
      false,
    ],
    [
      'the newest of two pause conditions counts',
      {
        status: {
          pauseConditions: [
            { reason: 'CanaryPauseStep', startTime: ago(3_600_000) },
            { reason: 'InconclusiveAnalysisRun', startTime: ago(2000) },
          ],
        },
      },
      clear,
      true,
    ],
  ])('%s', (_, before, patches, expected) => {
    expect(promoteNeedsVerification(before, patches, NOW)).toBe(expected);
  });
});

describe('promoteProgress', () => {
  it.each<[string, RolloutActionTarget, string]>([
    ['paused again at the same step', pausedAt(1), 'undone'],
    ['pause cleared, still at the step', cleared(1), 'pending'],
    ['on to the next step', cleared(2), 'advanced'],
    ['paused at the next pause step', pausedAt(3), 'advanced'],
    [
      'aborted meanwhile',
      { status: { ...pausedAt(1).status, abort: true } },
      'advanced',
    ],
    [
      'fully promoted (current revision is stable)',
      {
        status: { currentStepIndex: 1, currentPodHash: 'aaa', stableRS: 'aaa' },
      },
      'advanced',
    ],
  ])('%s', (_, now, expected) => {
    expect(promoteProgress(pausedAt(1), now)).toBe(expected);
  });
});

describe('verifyPromote', () => {
  /** Reads return the scripted Rollouts in turn (the last one repeats); time moves by each sleep. */
  function script(reads: RolloutActionTarget[]) {
    let clock = NOW;
    const calls: string[] = [];
    let i = 0;
    return {
      calls,
      io: {
        now: () => clock,
        sleep: async (ms: number) => {
          clock += ms;
        },
        read: async () => {
          calls.push('read');
          return reads[Math.min(i++, reads.length - 1)];
        },
        resend: async (rollout: RolloutActionTarget) => {
          calls.push('resend');
          return { status: { ...rollout.status, pauseConditions: null } };
        },
      },
    };
  }
  const options = { timeoutMs: 2000, intervalMs: 250, maxResends: 2 };

  it.each<
    [string, RolloutActionTarget[], string[], number, number | undefined]
  >([
    ['the controller moves on at once: one read', [cleared(2)], ['read'], 0, 2],
    [
      'pending, then moved on',
      [cleared(1), cleared(1), cleared(2)],
      ['read', 'read', 'read'],
      0,
      2,
    ],
    [
      'undone once: sent again, then moved on',
      [pausedAt(1), cleared(2)],
      ['read', 'resend', 'read'],
      1,
      2,
    ],
    [
      'undone every time: sent again at most maxResends times',
      [pausedAt(1)],
      ['read', 'resend', 'read', 'resend', 'read'],
      2,
      1,
    ],
    [
      'no controller: pending until the timeout (2000 ms / 250 ms reads)',
      [cleared(1)],
      Array(8).fill('read'),
      0,
      1,
    ],
  ])('%s', async (_, reads, calls, resent, step) => {
    const run = script(reads);
    const result = await verifyPromote(pausedAt(1), run.io, options);
    expect(run.calls).toEqual(calls);
    expect(result.resent).toBe(resent);
    expect(result.rollout?.status?.currentStepIndex).toBe(step);
  });

  it('stops when the Rollout is gone, with nothing to report', async () => {
    const run = script([]);
    run.io.read = async () => {
      run.calls.push('read');
      return undefined as any;
    };
    const result = await verifyPromote(pausedAt(1), run.io, options);
    expect(run.calls).toEqual(['read']);
    expect(result).toEqual({ rollout: undefined, resent: 0 });
  });
});
