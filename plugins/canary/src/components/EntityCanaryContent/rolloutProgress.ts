/*
 * One sentence for where a Rollout stands, from the progress the status reports
 * (`release.rollout`): "Step 2 of 4: 20 %, waiting for a person".
 */

import type { RolloutProgress } from '@runway/plugin-canary-common';

/** The fields of the status response's Rollout progress this sentence reads. */
export type ProgressFields = Pick<
  RolloutProgress,
  | 'stepCount'
  | 'currentStepIndex'
  | 'setWeight'
  | 'paused'
  | 'pausedByUser'
  | 'pauseReasons'
  | 'pausedSince'
  | 'pauseDurationSeconds'
  | 'aborted'
  | 'phase'
  | 'message'
>;

function minutes(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  return `${Math.round(seconds / 60)} min`;
}

export function describeProgress(p: ProgressFields, nowMs: number): string {
  if (p.aborted) {
    return `Aborted: all traffic is back on stable${
      p.message ? ` (${p.message})` : ''
    }. Retry to start the update again.`;
  }
  const index = p.currentStepIndex;
  if (index === undefined || index >= p.stepCount) {
    return p.stepCount === 0
      ? `No steps: ${p.phase ?? 'unknown phase'}`
      : `All ${p.stepCount} steps done: ${p.setWeight} % on the canary`;
  }
  const head = `Step ${index + 1} of ${p.stepCount}: ${p.setWeight} %`;
  if (!p.paused) return `${head}, in progress`;
  if (p.pauseReasons.includes('InconclusiveAnalysisRun')) {
    return `${head}, paused: the analysis was inconclusive; a person decides`;
  }
  if (p.pausedByUser && p.pauseReasons.length === 0) {
    return `${head}, paused by a person`;
  }
  if (p.pauseDurationSeconds !== undefined && p.pausedSince) {
    const elapsed = (nowMs - Date.parse(p.pausedSince)) / 1000;
    return `${head}, paused for ${minutes(p.pauseDurationSeconds)}, ${minutes(
      p.pauseDurationSeconds - elapsed,
    )} left`;
  }
  return `${head}, waiting for a person to promote`;
}
