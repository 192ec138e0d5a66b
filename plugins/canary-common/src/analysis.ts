/*
 * The AnalysisRuns of a Rollout's current revision, with the last measurement of each
 * metric, failures first.
 */
import type {
  AnalysisMetricSummary,
  AnalysisRunSummary,
  CanaryProblem,
} from './types';
import type { AnalysisRun, Rollout } from './objects';
import { analysisFailed } from './problems';
import { POD_TEMPLATE_HASH } from './workloads';
import { compare, refOf } from './util';

/** The label Argo Rollouts gives an AnalysisRun: Background or Step. */
const ROLLOUT_TYPE = 'rollout-type';

/** How urgent a phase is: failures first, successes last. */
const PHASE_ORDER = [
  'Failed',
  'Error',
  'Inconclusive',
  'Running',
  'Pending',
  'Successful',
];

function phaseRank(phase: string): number {
  const index = PHASE_ORDER.indexOf(phase);
  return index < 0 ? PHASE_ORDER.length : index;
}

export function isFailedPhase(phase: string): boolean {
  return phase === 'Failed' || phase === 'Error';
}

/**
 * The AnalysisRuns a Rollout owns for its current revision (its
 * `rollouts-pod-template-hash`); every run it owns when the status names no revision.
 */
export function currentAnalysisRuns(
  rollout: Rollout,
  runs: AnalysisRun[],
): AnalysisRun[] {
  const { namespace, name } = refOf(rollout);
  const revision = rollout.status?.currentPodHash;
  return runs.filter(run => {
    if (refOf(run).namespace !== namespace) return false;
    const owned = (run.metadata?.ownerReferences ?? []).some(
      o => o.kind === 'Rollout' && o.name === name,
    );
    const hash = run.metadata?.labels?.[POD_TEMPLATE_HASH];
    return owned && (!revision || !hash || hash === revision);
  });
}

export function summarizeAnalysisRun(run: AnalysisRun): AnalysisRunSummary {
  const status = run.status ?? {};
  const conditions = new Map(
    (run.spec?.metrics ?? []).map(m => [m.name, m] as const),
  );
  const metrics: AnalysisMetricSummary[] = (status.metricResults ?? []).map(
    result => {
      const spec = conditions.get(result.name);
      const last = result.measurements?.[result.measurements.length - 1];
      return {
        name: result.name,
        phase: result.phase ?? 'Pending',
        ...(result.message && { message: result.message }),
        ...(spec?.successCondition && {
          successCondition: spec.successCondition,
        }),
        ...(spec?.failureCondition && {
          failureCondition: spec.failureCondition,
        }),
        count: result.count ?? 0,
        successful: result.successful ?? 0,
        failed: result.failed ?? 0,
        inconclusive: result.inconclusive ?? 0,
        error: result.error ?? 0,
        ...(last && {
          lastMeasurement: {
            phase: last.phase ?? 'Pending',
            ...(last.value !== undefined && { value: last.value }),
            ...(last.message && { message: last.message }),
            ...(last.startedAt && { startedAt: last.startedAt }),
            ...(last.finishedAt && { finishedAt: last.finishedAt }),
          },
        }),
      };
    },
  );
  // Metrics of the spec that have no result yet are pending.
  for (const [metricName, spec] of conditions) {
    if (metrics.some(m => m.name === metricName)) continue;
    metrics.push({
      name: metricName,
      phase: 'Pending',
      ...(spec.successCondition && { successCondition: spec.successCondition }),
      ...(spec.failureCondition && { failureCondition: spec.failureCondition }),
      count: 0,
      successful: 0,
      failed: 0,
      inconclusive: 0,
      error: 0,
    });
  }
  metrics.sort(
    (a, b) =>
      phaseRank(a.phase) - phaseRank(b.phase) || compare(a.name, b.name),
  );
  const type = run.metadata?.labels?.[ROLLOUT_TYPE];
  return {
    name: refOf(run).name,
    phase: status.phase ?? 'Pending',
    ...(status.message && { message: status.message }),
    ...(status.startedAt && { startedAt: status.startedAt }),
    ...(type && { type }),
    metrics,
  };
}

/** The summaries of a Rollout's current AnalysisRuns, failures first, then by name. */
export function analysisRunSummaries(
  rollout: Rollout,
  runs: AnalysisRun[],
): AnalysisRunSummary[] {
  return currentAnalysisRuns(rollout, runs)
    .map(summarizeAnalysisRun)
    .sort(
      (a, b) =>
        phaseRank(a.phase) - phaseRank(b.phase) || compare(a.name, b.name),
    );
}

/** One ANALYSIS_FAILED per failed (or errored) run, naming its failing metrics. */
export function analysisProblems(
  rollout: Rollout,
  summaries: AnalysisRunSummary[],
): CanaryProblem[] {
  return summaries
    .filter(run => isFailedPhase(run.phase))
    .map(run => analysisFailed(refOf(rollout), run));
}
