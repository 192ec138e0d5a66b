/*
 * One word for where a release stands.
 */
import type { CanaryPhase, CanaryProblem, Track } from './types';
import type { Rollout } from './objects';
import { isPaused, isRollingOut } from './rollouts';

/**
 * `misconfigured` on any error; else `paused` when the governing Rollout is paused;
 * else by the canary's weight: `promoted` at 100, `progressing` from 1 to 99 (or at 0
 * while a governing Rollout rolls a new revision out), `stable` otherwise.
 */
export function phaseOf(
  problems: CanaryProblem[],
  governor: Rollout | undefined,
  canary: Track | undefined,
): CanaryPhase {
  if (problems.some(p => p.severity === 'error')) return 'misconfigured';
  if (governor && isPaused(governor)) return 'paused';
  const weight = canary?.weight ?? 0;
  if (weight >= 100) return 'promoted';
  if (weight > 0) return 'progressing';
  if (governor && isRollingOut(governor)) return 'progressing';
  return 'stable';
}
