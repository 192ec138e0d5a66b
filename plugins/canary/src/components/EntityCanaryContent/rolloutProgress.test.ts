import { describeProgress, ProgressFields } from './rolloutProgress';

const base: ProgressFields = {
  stepCount: 4,
  currentStepIndex: 1,
  setWeight: 20,
  paused: true,
  pausedByUser: false,
  pauseReasons: ['CanaryPauseStep'],
  pausedSince: '2026-11-28T10:00:00Z',
  aborted: false,
};
const now = Date.parse('2026-11-28T10:01:30Z');

describe('describeProgress', () => {
  it.each<[string, Partial<ProgressFields>, string]>([
    [
      'waiting for a person',
      {},
      'Step 2 of 4: 20 %, waiting for a person to promote',
    ],
    [
      'a timed pause',
      { pauseDurationSeconds: 300 },
      'Step 2 of 4: 20 %, paused for 5 min, 4 min left',
    ],
    [
      'a timed pause almost over',
      { pauseDurationSeconds: 120 },
      'Step 2 of 4: 20 %, paused for 2 min, 30 s left',
    ],
    [
      'an inconclusive analysis',
      { pauseReasons: ['InconclusiveAnalysisRun'] },
      'Step 2 of 4: 20 %, paused: the analysis was inconclusive; a person decides',
    ],
    [
      'paused by a person',
      { pausedByUser: true, pauseReasons: [] },
      'Step 2 of 4: 20 %, paused by a person',
    ],
    [
      'in progress',
      { paused: false, pauseReasons: [], currentStepIndex: 2, setWeight: 50 },
      'Step 3 of 4: 50 %, in progress',
    ],
    [
      'every step done',
      { paused: false, currentStepIndex: 4, setWeight: 100 },
      'All 4 steps done: 100 % on the canary',
    ],
    [
      'aborted',
      {
        aborted: true,
        message: 'RolloutAborted: metric "success-rate" assessed Failed',
      },
      'Aborted: all traffic is back on stable (RolloutAborted: metric "success-rate" assessed Failed). Retry to start the update again.',
    ],
  ])('%s', (_, overrides, expected) => {
    expect(describeProgress({ ...base, ...overrides }, now)).toBe(expected);
  });
});
