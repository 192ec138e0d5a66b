/*
 * Every problem the computation reports: one builder per code, each message naming the
 * objects involved and saying how to fix it, in one sentence.
 */
import type {
  AnalysisRunSummary,
  CanaryProblem,
  CanaryProblemCode,
  ProblemSeverity,
  Track,
} from './types';
import type {
  DestinationRule,
  HTTPRoute,
  Labels,
  ReplicaSet,
  Service,
} from './objects';
import type { Context, Role, Workload } from './context';
import { findDestinationRule, findSubset } from './hosts';
import { WeightedDestination, trackName, weightedDestinations } from './routes';
import { Ref, formatLabels, qualified, quoted, refOf, sum } from './util';

export function unroutedTraffic(vs: Ref, ruleCount: number): CanaryProblem {
  const what =
    ruleCount === 0
      ? 'has no HTTP rule'
      : 'has a match condition on every HTTP rule';
  const name = qualified('VirtualService', vs);
  return error(
    'UNROUTED_TRAFFIC',
    `${name} ${what}, so requests that match no rule get 404; ` +
      "add a last rule without 'match' that routes to the stable subset.",
  );
}

export function weightProblems(
  vs: Ref,
  split: WeightedDestination[],
  route: string,
): CanaryProblem[] {
  const total = sum(split.map(d => d.weight));
  if (split.length === 0 || total === 100) return [];
  const parts = split.map(d => `${trackName(d)} ${d.weight}`).join(', ');
  const name = qualified('VirtualService', vs);
  return [
    error(
      'WEIGHTS_DO_NOT_SUM_TO_100',
      `The weights of the ${route} of ${name} add up to ${total} (${parts}); make them add up to 100.`,
    ),
  ];
}

/** Every subset any rule routes to must exist in its host's DestinationRule. */
export function subsetProblems(
  ctx: Context,
  rules: HTTPRoute[],
): CanaryProblem[] {
  const subsetsByHost = new Map<string, Set<string>>();
  for (const d of rules.flatMap(r => weightedDestinations(r))) {
    if (d.subset === undefined) continue;
    const subsets = subsetsByHost.get(d.host) ?? new Set<string>();
    subsetsByHost.set(d.host, subsets.add(d.subset));
  }
  const vs = qualified('VirtualService', ctx.vs);
  return [...subsetsByHost].flatMap(([host, subsets]) => {
    const dr = findDestinationRule(ctx, host);
    if (!dr) {
      const names = quoted([...subsets]);
      return [
        warning(
          'NO_DESTINATION_RULE',
          `${vs} routes to subsets of host '${host}' but no DestinationRule for that host was found; ` +
            `create one that defines subsets ${names}, or label the existing one for this entity.`,
        ),
      ];
    }
    const drName = qualified('DestinationRule', refOf(dr));
    return [...subsets]
      .filter(subset => !findSubset(dr, subset))
      .map(subset =>
        error(
          'UNKNOWN_SUBSET',
          `${vs} routes to subset '${subset}' of host '${host}', which ${drName} does not define; ` +
            'add the subset to the DestinationRule or route to one it defines.',
        ),
      );
  });
}

export function notReady(
  vsRef: Ref,
  track: Track,
  role: Role,
  workloads: Workload[],
): CanaryProblem {
  const pods = workloads.map(w => qualified(w.kind, w)).join(', ');
  const vs = qualified('VirtualService', vsRef);
  return error(
    role === 'canary' ? 'CANARY_NOT_READY' : 'STABLE_NOT_READY',
    `The ${role} subset '${track.subset}' gets ${track.weight}% of traffic but no pod of ${pods} is ready; ` +
      `fix those pods or set its weight in ${vs} to 0.`,
  );
}

export function noWorkload(
  dr: DestinationRule,
  subset: string,
  namespace: string,
  selector: Labels,
): CanaryProblem {
  const drName = qualified('DestinationRule', refOf(dr));
  const labels = formatLabels(selector);
  return warning(
    'NO_WORKLOAD',
    `Subset '${subset}' of ${drName} selects no Deployment or Rollout in namespace ${namespace} (${labels}); ` +
      "deploy one whose pod template has these labels or fix the subset's labels.",
  );
}

export function unknownRoute(
  rollout: Ref,
  vs: Ref,
  route: string,
): CanaryProblem {
  return error(
    'UNKNOWN_ROUTE',
    `${qualified(
      'Rollout',
      rollout,
    )} sets the weights of the HTTP route '${route}', which ${qualified(
      'VirtualService',
      vs,
    )} does not have; name the route in the VirtualService or fix the Rollout's trafficRouting.istio routes.`,
  );
}

export function serviceSelectsOtherTrack(
  role: Role,
  service: Service,
  other: ReplicaSet,
  rollout: Ref,
): CanaryProblem {
  const otherRole = role === 'canary' ? 'stable' : 'canary';
  return error(
    role === 'canary'
      ? 'CANARY_SERVICE_SELECTS_STABLE'
      : 'STABLE_SERVICE_SELECTS_CANARY',
    `The ${role} ${qualified(
      'Service',
      refOf(service),
    )} selects the pods of the ${otherRole} ${qualified(
      'ReplicaSet',
      refOf(other),
    )}, so traffic meant for one track reaches the other; let ${qualified(
      'Rollout',
      rollout,
    )} manage its selector (it adds rollouts-pod-template-hash) and keep that label out of the Service in Git.`,
  );
}

export function analysisTemplateMissing(
  rollout: Ref,
  template: string,
): CanaryProblem {
  return error(
    'ANALYSIS_TEMPLATE_MISSING',
    `${qualified(
      'Rollout',
      rollout,
    )} runs AnalysisTemplate '${template}', which does not exist in namespace ${
      rollout.namespace
    }; deploy it with the Rollout or remove it from the Rollout's analysis.`,
  );
}

export function analysisFailed(
  rollout: Ref,
  run: AnalysisRunSummary,
): CanaryProblem {
  const failing = run.metrics.filter(
    m => m.phase === 'Failed' || m.phase === 'Error',
  );
  const details = failing
    .map(m => {
      const value = m.lastMeasurement?.value;
      const condition = m.successCondition
        ? `, needs ${m.successCondition}`
        : '';
      return `${m.name} ${m.phase.toLowerCase()}${
        value !== undefined ? ` (last value ${value}${condition})` : ''
      }`;
    })
    .join('; ');
  return warning(
    'ANALYSIS_FAILED',
    `AnalysisRun ${rollout.namespace}/${run.name} of ${qualified(
      'Rollout',
      rollout,
    )} ended ${run.phase}${
      details ? `: ${details}` : ''
    }; fix the release (or the metric's query) and push a new revision, or retry the Rollout.`,
  );
}

export function rolloutAborted(rollout: Ref, message?: string): CanaryProblem {
  return warning(
    'ROLLOUT_ABORTED',
    `${qualified(
      'Rollout',
      rollout,
    )} was aborted and sends all traffic to the stable revision${
      message ? ` (${message})` : ''
    }; push a fixed revision or retry the Rollout.`,
  );
}

export function rolloutDegraded(rollout: Ref, message?: string): CanaryProblem {
  return error(
    'ROLLOUT_DEGRADED',
    `${qualified('Rollout', rollout)} is degraded${
      message ? ` (${message})` : ''
    }; look at its events and its new pods, then fix the release or abort the Rollout.`,
  );
}

export function rolloutInvalid(rollout: Ref, message?: string): CanaryProblem {
  return error(
    'ROLLOUT_INVALID',
    `The controller rejects the spec of ${qualified('Rollout', rollout)}${
      message ? ` (${message})` : ''
    }; fix the Rollout (or the objects it names) in Git.`,
  );
}

export function error(code: CanaryProblemCode, message: string): CanaryProblem {
  return problem(code, 'error', message);
}

export function warning(
  code: CanaryProblemCode,
  message: string,
): CanaryProblem {
  return problem(code, 'warning', message);
}

function problem(
  code: CanaryProblemCode,
  severity: ProblemSeverity,
  message: string,
): CanaryProblem {
  return { code, severity, message };
}

/** Errors first, otherwise in the order found. */
export function sortBySeverity(problems: CanaryProblem[]): CanaryProblem[] {
  const rank = (p: CanaryProblem) => (p.severity === 'error' ? 0 : 1);
  return [...problems].sort((a, b) => rank(a) - rank(b));
}
