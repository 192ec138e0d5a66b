/*
 * Argo Rollouts: which Rollout governs a VirtualService, its revisions' ReplicaSets,
 * where it stands in its steps, and the rules its objects must keep.
 */
import type { CanaryProblem, RolloutProgress } from './types';
import type {
  CanaryObjects,
  HTTPRoute,
  ReplicaSet,
  Rollout,
  RolloutAnalysisTemplateRef,
  Service,
} from './objects';
import type { Governor } from './context';
import { POD_TEMPLATE_HASH, revisionOf } from './workloads';
import {
  analysisTemplateMissing,
  rolloutAborted,
  rolloutDegraded,
  rolloutInvalid,
  serviceSelectsOtherTrack,
  unknownRoute,
} from './problems';
import { sameVirtualService } from './routes';
import { Ref, refOf, selects } from './util';

/** A Rollout governs a VirtualService its Istio traffic routing names. */
export function governs(rollout: Rollout, vs: Ref): boolean {
  const istio = rollout.spec?.strategy?.canary?.trafficRouting?.istio;
  const namespace = refOf(rollout).namespace;
  return [istio?.virtualService, ...(istio?.virtualServices ?? [])].some(
    ref => ref && sameVirtualService(ref.name, namespace, vs),
  );
}

/** The ReplicaSets a Rollout owns (by owner reference, else by its selector). */
function ownedReplicaSets(
  rollout: Rollout,
  replicaSets: ReplicaSet[],
): ReplicaSet[] {
  const { namespace, name } = refOf(rollout);
  const uid = rollout.metadata?.uid;
  const selector = rollout.spec?.selector?.matchLabels;
  return replicaSets.filter(rs => {
    if (refOf(rs).namespace !== namespace) return false;
    const owners = rs.metadata?.ownerReferences;
    if (owners && owners.length > 0) {
      return owners.some(
        o =>
          o.kind === 'Rollout' &&
          o.name === name &&
          (!uid || !o.uid || o.uid === uid),
      );
    }
    return (
      selector !== undefined &&
      selects(selector, rs.spec?.template?.metadata?.labels ?? {})
    );
  });
}

/**
 * The stable and canary ReplicaSets of a Rollout, when ReplicaSets are an input and the
 * status names the stable revision; no canary while the current revision is stable.
 */
export function revisionReplicaSets(
  rollout: Rollout,
  objects: CanaryObjects,
): Governor['replicaSets'] {
  const { stableRS, currentPodHash } = rollout.status ?? {};
  if (!objects.replicaSets || !stableRS) return undefined;
  const owned = ownedReplicaSets(rollout, objects.replicaSets);
  const byRevision = (hash?: string) =>
    hash ? owned.find(rs => revisionOf(rs) === hash) : undefined;
  return {
    stable: byRevision(stableRS),
    canary:
      currentPodHash && currentPodHash !== stableRS
        ? byRevision(currentPodHash)
        : undefined,
  };
}

function steps(rollout: Rollout) {
  return rollout.spec?.strategy?.canary?.steps ?? [];
}

/** The canary weight the steps call for now, as Argo Rollouts computes it. */
function currentSetWeight(rollout: Rollout): number {
  if (rollout.status?.abort) return 0;
  const all = steps(rollout);
  const index = rollout.status?.currentStepIndex;
  if (index === undefined || index >= all.length) return 100;
  for (let i = index; i >= 0; i--) {
    const weight = all[i].setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/** A pause duration in seconds: a number, or a string such as `90`, `30s`, `10m`, `1h`. */
export function durationSeconds(
  duration: string | number | undefined,
): number | undefined {
  if (typeof duration === 'number') return duration;
  const match = /^(\d+)(s|m|h)?$/.exec(duration ?? '');
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'] ?? 1;
  return Number(match[1]) * unit;
}

export function isPaused(rollout: Rollout): boolean {
  return (
    rollout.spec?.paused === true ||
    (rollout.status?.pauseConditions?.length ?? 0) > 0 ||
    rollout.status?.phase === 'Paused'
  );
}

/** A new revision is being rolled out (not aborted, not yet the stable one). */
export function isRollingOut(rollout: Rollout): boolean {
  const { stableRS, currentPodHash, abort } = rollout.status ?? {};
  return (
    !abort && !!stableRS && !!currentPodHash && stableRS !== currentPodHash
  );
}

export function rolloutProgress(rollout: Rollout): RolloutProgress {
  const status = rollout.status ?? {};
  const all = steps(rollout);
  const index = status.currentStepIndex;
  const current = index !== undefined ? all[index] : undefined;
  const reasons = (status.pauseConditions ?? []).flatMap(c =>
    c.reason ? [c.reason] : [],
  );
  const since = (status.pauseConditions ?? [])
    .flatMap(c => (c.startTime ? [c.startTime] : []))
    .sort()[0];
  const pauseDuration =
    current?.pause && reasons.includes('CanaryPauseStep')
      ? durationSeconds(current.pause.duration)
      : undefined;
  const routing = rollout.spec?.strategy?.canary?.trafficRouting?.istio
    ?.destinationRule
    ? 'subset'
    : 'host';
  return {
    name: refOf(rollout).name,
    routing,
    ...(status.phase && { phase: status.phase }),
    ...(status.message && { message: status.message }),
    stepCount: all.length,
    ...(index !== undefined && { currentStepIndex: index }),
    ...(current && { currentStep: current }),
    setWeight: currentSetWeight(rollout),
    paused: isPaused(rollout),
    pausedByUser: rollout.spec?.paused === true,
    pauseReasons: reasons,
    ...(since && { pausedSince: since }),
    ...(pauseDuration !== undefined && {
      pauseDurationSeconds: pauseDuration,
    }),
    aborted: status.abort === true,
    ...(status.abortedAt && { abortedAt: status.abortedAt }),
    ...(status.stableRS && { stableRevision: status.stableRS }),
    ...(status.currentPodHash && { canaryRevision: status.currentPodHash }),
  };
}

/** Every AnalysisTemplate a Rollout names, in its background analysis and its steps. */
export function analysisTemplateRefs(
  rollout: Rollout,
): RolloutAnalysisTemplateRef[] {
  const canary = rollout.spec?.strategy?.canary;
  return [
    ...(canary?.analysis?.templates ?? []),
    ...steps(rollout).flatMap(s => s.analysis?.templates ?? []),
  ];
}

/**
 * The rules a governing Rollout and its objects must keep: the routes it names exist,
 * each Service it pins selects only its own track, the AnalysisTemplates it names exist,
 * and its status reports no abort, degradation or invalid spec.
 */
export function rolloutProblems(
  governor: Governor,
  vs: Ref,
  rules: HTTPRoute[],
  objects: CanaryObjects,
  routeNames: string[],
): CanaryProblem[] {
  const { rollout } = governor;
  const ref = refOf(rollout);
  const problems: CanaryProblem[] = [];

  const existing = new Set(rules.flatMap(r => (r.name ? [r.name] : [])));
  for (const route of routeNames) {
    if (!existing.has(route)) problems.push(unknownRoute(ref, vs, route));
  }

  const canary = rollout.spec?.strategy?.canary;
  const replicaSets = governor.replicaSets;
  if (objects.services && replicaSets?.stable && replicaSets.canary) {
    const pins: Array<['stable' | 'canary', string | undefined, ReplicaSet]> = [
      ['canary', canary?.canaryService, replicaSets.stable],
      ['stable', canary?.stableService, replicaSets.canary],
    ];
    for (const [role, serviceName, other] of pins) {
      const service = objects.services.find(
        s =>
          refOf(s).namespace === ref.namespace && refOf(s).name === serviceName,
      );
      if (service && selectsPodsOf(service, other)) {
        problems.push(serviceSelectsOtherTrack(role, service, other, ref));
      }
    }
  }

  if (objects.analysisTemplates) {
    const known = new Set(
      objects.analysisTemplates
        .filter(t => refOf(t).namespace === ref.namespace)
        .map(t => refOf(t).name),
    );
    const missing = new Set(
      analysisTemplateRefs(rollout)
        .filter(t => !t.clusterScope && t.templateName)
        .map(t => t.templateName as string)
        .filter(name => !known.has(name)),
    );
    for (const name of missing)
      problems.push(analysisTemplateMissing(ref, name));
  }

  const status = rollout.status ?? {};
  const invalid = status.conditions?.find(
    c => c.type === 'InvalidSpec' && c.status === 'True',
  );
  if (invalid) problems.push(rolloutInvalid(ref, invalid.message));
  if (status.abort) problems.push(rolloutAborted(ref, status.message));
  else if (status.phase === 'Degraded' && !invalid) {
    problems.push(rolloutDegraded(ref, status.message));
  }
  return problems;
}

/** A Service's selector matches the pods of this ReplicaSet. */
function selectsPodsOf(service: Service, replicaSet: ReplicaSet): boolean {
  const selector = service.spec?.selector ?? {};
  const labels = {
    ...replicaSet.spec?.template?.metadata?.labels,
    ...(revisionOf(replicaSet) && {
      [POD_TEMPLATE_HASH]: revisionOf(replicaSet) as string,
    }),
  };
  return Object.keys(selector).length > 0 && selects(selector, labels);
}
