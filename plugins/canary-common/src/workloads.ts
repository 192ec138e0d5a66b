/*
 * The pods behind each track: Deployments and Rollouts selected by subset labels, or
 * the ReplicaSets of a governing Rollout's revisions.
 */
import type { CanaryProblem, Track } from './types';
import type {
  Deployment,
  Labels,
  PodTemplate,
  ReplicaSet,
  Rollout,
} from './objects';
import type { Context, Role, Workload } from './context';
import { findDestinationRule, findSubset, resolveHost } from './hosts';
import { noWorkload, notReady } from './problems';
import { TrackRef, trackName } from './routes';
import { refOf, selects, sum } from './util';

const VERSION_LABELS = ['version', 'app.kubernetes.io/version'];

/** The label Argo Rollouts puts on each revision's ReplicaSet, pods and Service selectors. */
export const POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';

/** Where a track's facts come from. */
type TrackSource = {
  subsetLabels?: Labels;
  /** Workloads whose replica counts are the track's. */
  replicasFrom: Workload[];
  /** Workloads whose pod template describes the track's pods (images, version). */
  templatesFrom: Workload[];
  /** The pod template hash of the track's ReplicaSet. */
  revision?: string;
};

export function deploymentWorkload(deployment: Deployment): Workload {
  return {
    kind: 'Deployment',
    ...refOf(deployment),
    ...templateFacts(deployment.spec?.template),
    ready: deployment.status?.readyReplicas ?? 0,
    desired: deployment.spec?.replicas ?? 1,
  };
}

/** A Rollout's pod template is its own, or that of the Deployment in `workloadRef`. */
export function rolloutWorkload(
  rollout: Rollout,
  deployments: Deployment[],
): Workload {
  const ref = refOf(rollout);
  const workloadRef = rollout.spec?.workloadRef;
  const referenced =
    workloadRef?.kind === 'Deployment'
      ? deployments.find(d => {
          const candidate = refOf(d);
          return (
            candidate.namespace === ref.namespace &&
            candidate.name === workloadRef.name
          );
        })
      : undefined;
  return {
    kind: 'Rollout',
    ...ref,
    ...templateFacts(rollout.spec?.template ?? referenced?.spec?.template),
    ready: rollout.status?.readyReplicas ?? 0,
    desired: rollout.spec?.replicas ?? 1,
  };
}

export function replicaSetWorkload(replicaSet: ReplicaSet): Workload {
  return {
    kind: 'ReplicaSet',
    ...refOf(replicaSet),
    ...templateFacts(replicaSet.spec?.template),
    ready: replicaSet.status?.readyReplicas ?? 0,
    desired: replicaSet.spec?.replicas ?? 1,
  };
}

function templateFacts(template?: PodTemplate) {
  return {
    labels: template?.metadata?.labels ?? {},
    images: (template?.spec?.containers ?? []).flatMap(c =>
      c.image ? [c.image] : [],
    ),
  };
}

/** The pod template hash Argo Rollouts gave a ReplicaSet (or its pods). */
export function revisionOf(replicaSet: ReplicaSet): string | undefined {
  return (
    replicaSet.metadata?.labels?.[POD_TEMPLATE_HASH] ??
    replicaSet.spec?.template?.metadata?.labels?.[POD_TEMPLATE_HASH]
  );
}

/**
 * With a governing Rollout both tracks are its pods. When its ReplicaSets are known,
 * each track is its revision's ReplicaSet: `status.stableRS` for stable,
 * `status.currentPodHash` for the canary (none while it equals the stable one).
 * Otherwise both tracks report the Rollout's totals, and its template (the current
 * revision) describes the canary always, the stable track only when the stable
 * revision is the current one (or the status doesn't say).
 * Without a Rollout, the subset's labels select Deployments and Rollouts by their pod
 * template labels in the host's namespace.
 */
function trackSource(
  ctx: Context,
  ref: TrackRef,
  role: Role,
): TrackSource & { problems: CanaryProblem[] } {
  const dr = ref.host ? findDestinationRule(ctx, ref.host) : undefined;
  const subset = dr && ref.subset ? findSubset(dr, ref.subset) : undefined;
  const subsetLabels = subset?.labels;

  if (ctx.governor?.replicaSets) {
    const replicaSet = ctx.governor.replicaSets[role];
    const workloads = replicaSet ? [replicaSetWorkload(replicaSet)] : [];
    return {
      subsetLabels,
      replicasFrom: workloads,
      templatesFrom: workloads,
      revision: replicaSet && revisionOf(replicaSet),
      problems: [],
    };
  }
  if (ctx.governor) {
    const { rollout, workload } = ctx.governor;
    const { stableRS, currentPodHash } = rollout.status ?? {};
    const templateIsCurrent =
      role === 'canary' ||
      !stableRS ||
      !currentPodHash ||
      stableRS === currentPodHash;
    return {
      subsetLabels,
      replicasFrom: [workload],
      templatesFrom: templateIsCurrent ? [workload] : [],
      problems: [],
    };
  }

  const selector = subsetLabels ?? {};
  // Without a subset (or its labels) nothing says which pods serve the track.
  if (!ref.host || !dr || !subset || Object.keys(selector).length === 0) {
    return { subsetLabels, replicasFrom: [], templatesFrom: [], problems: [] };
  }
  const namespace = resolveHost(ref.host, ctx.vs.namespace).namespace;
  const matched = ctx.workloads.filter(
    w => w.namespace === namespace && selects(selector, w.labels),
  );
  const problems =
    matched.length > 0
      ? []
      : [noWorkload(dr, subset.name, namespace, selector)];
  return {
    subsetLabels,
    replicasFrom: matched,
    templatesFrom: matched,
    problems,
  };
}

export function buildTrack(
  ctx: Context,
  ref: TrackRef,
  role: Role,
): { track: Track; problems: CanaryProblem[] } {
  const source = trackSource(ctx, ref, role);
  const version =
    versionOf(source.subsetLabels) ??
    source.templatesFrom
      .map(w => versionOf(w.labels))
      .find(v => v !== undefined);
  const replicas =
    source.replicasFrom.length > 0
      ? {
          ready: sum(source.replicasFrom.map(w => w.ready)),
          desired: sum(source.replicasFrom.map(w => w.desired)),
        }
      : undefined;
  const track: Track = {
    subset: trackName(ref),
    weight: ref.weight,
    ...(version !== undefined && { version }),
    ...(source.templatesFrom.length > 0 && {
      images: [...new Set(source.templatesFrom.flatMap(w => w.images))],
    }),
    ...(replicas && { replicas }),
    ...(source.revision !== undefined && { revision: source.revision }),
  };
  // No workload information at all is NO_WORKLOAD's concern, not readiness's.
  const unready =
    ref.weight > 0 && replicas?.ready === 0
      ? [notReady(ctx.vs, track, role, source.replicasFrom)]
      : [];
  return { track, problems: [...source.problems, ...unready] };
}

function versionOf(labels?: Labels): string | undefined {
  return VERSION_LABELS.map(l => labels?.[l]).find(v => v !== undefined);
}
