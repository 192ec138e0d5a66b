/*
 * The canary status of an entity's releases: one CanaryRelease per VirtualService,
 * computed from the objects of one cluster. Pure: no I/O, the same objects always give
 * the same releases. The parts live beside this file: routes (the split and the
 * tracks), hosts, workloads (the pods behind each track), rollouts and analysis (Argo
 * Rollouts), phase, problems.
 */
import type { CanaryProblem, CanaryRelease } from './types';
import type { CanaryObjects, VirtualService } from './objects';
import type { Context, Governor, Workload } from './context';
import { analysisProblems, analysisRunSummaries } from './analysis';
import { phaseOf } from './phase';
import {
  sortBySeverity,
  subsetProblems,
  unroutedTraffic,
  weightProblems,
} from './problems';
import {
  chooseTracks,
  findSplitRule,
  headerOverride,
  isCatchAll,
  rolloutRouteNames,
  weightedDestinations,
} from './routes';
import {
  governs,
  revisionReplicaSets,
  rolloutProblems,
  rolloutProgress,
} from './rollouts';
import { compare, refOf } from './util';
import { buildTrack, deploymentWorkload, rolloutWorkload } from './workloads';

export type { CanaryObjects } from './objects';

/**
 * Computes the canary status of every VirtualService, sorted by namespace then name.
 * Pure: the same objects always give the same releases.
 */
export function computeCanaryReleases(objects: CanaryObjects): CanaryRelease[] {
  const workloads = [
    ...objects.deployments.map(deploymentWorkload),
    ...(objects.rollouts ?? []).map(r =>
      rolloutWorkload(r, objects.deployments),
    ),
  ];
  return objects.virtualServices
    .map(vs => computeRelease(vs, objects, workloads))
    .sort(
      (a, b) =>
        compare(a.namespace, b.namespace) ||
        compare(a.virtualService, b.virtualService),
    );
}

function computeRelease(
  vs: VirtualService,
  objects: CanaryObjects,
  workloads: Workload[],
): CanaryRelease {
  const ref = refOf(vs);
  const rules = vs.spec?.http ?? [];
  const rollout = (objects.rollouts ?? []).find(r => governs(r, ref));
  const governor: Governor | undefined = rollout && {
    rollout,
    workload: rolloutWorkload(rollout, objects.deployments),
    replicaSets: revisionReplicaSets(rollout, objects),
  };
  const ctx: Context = { vs: ref, objects, workloads, governor };

  const routeNames = rollout ? rolloutRouteNames(rollout, ref) : [];
  const defaultIndex = rules.findIndex(isCatchAll);
  const splitRule = findSplitRule(rules, defaultIndex, routeNames);
  const splitIndex = splitRule ? rules.indexOf(splitRule) : -1;
  const split = weightedDestinations(splitRule);
  const refs = chooseTracks(split, ref.namespace, rollout);

  const problems: CanaryProblem[] = [];
  if (defaultIndex < 0) problems.push(unroutedTraffic(ref, rules.length));
  let routeLabel = defaultIndex >= 0 ? 'default route' : 'first weighted rule';
  if (splitRule?.name && routeNames.includes(splitRule.name)) {
    routeLabel = `route '${splitRule.name}'`;
  }
  problems.push(...weightProblems(ref, split, routeLabel));
  problems.push(...subsetProblems(ctx, rules));

  const stable = buildTrack(ctx, refs.stable, 'stable');
  const canary = refs.canary && buildTrack(ctx, refs.canary, 'canary');
  problems.push(...stable.problems, ...(canary?.problems ?? []));
  // A header rule counts when a request can reach it: before the split (or default) rule.
  const reachable =
    splitIndex >= 0 && (defaultIndex < 0 || splitIndex <= defaultIndex)
      ? splitIndex
      : defaultIndex;
  const override = headerOverride(
    reachable >= 0 ? rules.slice(0, reachable) : rules,
  );

  const analysisRuns =
    rollout && objects.analysisRuns
      ? analysisRunSummaries(rollout, objects.analysisRuns)
      : undefined;
  if (governor) {
    problems.push(
      ...rolloutProblems(governor, ref, rules, objects, routeNames),
      ...analysisProblems(governor.rollout, analysisRuns ?? []),
    );
  }

  return {
    namespace: ref.namespace,
    virtualService: ref.name,
    hosts: vs.spec?.hosts ?? [],
    phase: phaseOf(problems, rollout, canary?.track),
    stable: stable.track,
    ...(canary && { canary: canary.track }),
    ...(override && { headerOverride: override }),
    problems: sortBySeverity(problems),
    ...(rollout && { rollout: rolloutProgress(rollout) }),
    ...(analysisRuns && { analysisRuns }),
  };
}
