import type {
  CanaryPhase,
  CanaryProblem,
  CanaryProblemCode,
  CanaryRelease,
  ProblemSeverity,
  Track,
} from './types';
import type {
  Deployment,
  DestinationRule,
  HTTPRoute,
  Labels,
  PodTemplate,
  Rollout,
  VirtualService,
} from './objects';

/** The objects found for one entity in one cluster. */
export type CanaryObjects = {
  virtualServices: VirtualService[];
  destinationRules: DestinationRule[];
  deployments: Deployment[];
  rollouts?: Rollout[];
};

/** A route destination with the weight Istio gives it. */
type WeightedDestination = { host: string; subset?: string; weight: number };

/** A destination chosen as a track; `host` is absent when nothing is routed. */
type TrackRef = { host?: string; subset?: string; weight: number };

/** A Deployment or Rollout reduced to what a track reports. */
type Workload = {
  kind: 'Deployment' | 'Rollout';
  namespace: string;
  name: string;
  labels: Labels;
  images: string[];
  ready: number;
  desired: number;
};

/** Where a track's facts come from. */
type TrackSource = {
  subsetLabels?: Labels;
  /** Workloads whose replica counts are the track's. */
  replicasFrom: Workload[];
  /** Workloads whose pod template describes the track's pods (images, version). */
  templatesFrom: Workload[];
};

type Ref = { namespace: string; name: string };

type Role = 'stable' | 'canary';

type Context = {
  vs: Ref;
  objects: CanaryObjects;
  /** Every Deployment and Rollout of the input. */
  workloads: Workload[];
  /** The Rollout whose Istio traffic routing names this VirtualService. */
  governor?: { rollout: Rollout; workload: Workload };
};

const VERSION_LABELS = ['version', 'app.kubernetes.io/version'];

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
  const governor = rollout && {
    rollout,
    workload: rolloutWorkload(rollout, objects.deployments),
  };
  const ctx: Context = { vs: ref, objects, workloads, governor };

  const defaultIndex = rules.findIndex(isCatchAll);
  // Without a catch-all rule the split shown is the first weighted rule's.
  const splitRule =
    defaultIndex >= 0
      ? rules[defaultIndex]
      : rules.find(r => r.route?.some(d => d.weight !== undefined)) ??
        rules.find(r => (r.route?.length ?? 0) > 0);
  const split = weightedDestinations(splitRule);
  const refs = chooseTracks(split, rollout);

  const problems: CanaryProblem[] = [];
  if (defaultIndex < 0) problems.push(unroutedTraffic(ref, rules.length));
  problems.push(...weightProblems(ref, split, defaultIndex >= 0));
  problems.push(...subsetProblems(ctx, rules));

  const stable = buildTrack(ctx, refs.stable, 'stable');
  const canary = refs.canary && buildTrack(ctx, refs.canary, 'canary');
  problems.push(...stable.problems, ...(canary?.problems ?? []));
  const override = headerOverride(
    defaultIndex >= 0 ? rules.slice(0, defaultIndex) : rules,
  );

  return {
    namespace: ref.namespace,
    virtualService: ref.name,
    hosts: vs.spec?.hosts ?? [],
    phase: phaseOf(problems, rollout, canary?.track),
    stable: stable.track,
    ...(canary && { canary: canary.track }),
    ...(override && { headerOverride: override }),
    problems: sortBySeverity(problems),
  };
}

// ---------------------------------------------------------------- routes

/** A rule without match conditions matches every request. */
function isCatchAll(rule: HTTPRoute): boolean {
  return !rule.match || rule.match.length === 0;
}

/** Istio gives a lone destination 100 when its weight is omitted, otherwise 0. */
function weightedDestinations(rule?: HTTPRoute): WeightedDestination[] {
  const route = rule?.route ?? [];
  return route.map(({ destination, weight }) => ({
    host: destination.host,
    subset: destination.subset,
    weight: weight ?? (route.length === 1 ? 100 : 0),
  }));
}

/** How a track or override names what it routes to: the subset, else the host. */
function trackName(ref: TrackRef): string {
  return ref.subset ?? ref.host ?? '';
}

/**
 * Decides which destination is stable and which is canary. A governing Rollout's
 * subsets (or services) decide; otherwise a subset named `canary` is the canary, one
 * named `stable` (else the first other destination) is stable. A lone destination is
 * the stable track and there is no canary.
 */
function chooseTracks(
  split: WeightedDestination[],
  governor?: Rollout,
): { stable: TrackRef; canary?: TrackRef } {
  const canaryStrategy = governor?.spec?.strategy?.canary;
  const subsets = canaryStrategy?.trafficRouting?.istio?.destinationRule;
  const host = split[0]?.host;
  if (subsets) {
    const bySubset = (subset: string): TrackRef =>
      split.find(d => d.subset === subset) ?? { host, subset, weight: 0 };
    return {
      stable: bySubset(subsets.stableSubsetName),
      canary: bySubset(subsets.canarySubsetName),
    };
  }
  const { stableService, canaryService } = canaryStrategy ?? {};
  if (stableService && canaryService) {
    const byService = (service: string): TrackRef =>
      split.find(d => firstLabel(d.host) === service) ?? {
        host: service,
        weight: 0,
      };
    return {
      stable: byService(stableService),
      canary: byService(canaryService),
    };
  }
  if (split.length < 2) return { stable: split[0] ?? { weight: 0 } };
  const named = (subset: string) => split.find(d => d.subset === subset);
  const canary =
    named('canary') ?? split.find(d => d !== (named('stable') ?? split[0]));
  const stable = named('stable') ?? split.find(d => d !== canary) ?? split[0];
  return { stable, canary };
}

/**
 * A rule that sends requests carrying one exact header value to one destination: a
 * single match condition made only of that header, and all the weight on one target.
 */
function headerOverride(
  rules: HTTPRoute[],
): CanaryRelease['headerOverride'] | undefined {
  for (const rule of rules) {
    const match = rule.match?.length === 1 ? rule.match[0] : undefined;
    if (!match) continue;
    const conditions = Object.keys(match).filter(k => k !== 'name');
    const headers = Object.entries(match.headers ?? {});
    if (conditions.length !== 1 || headers.length !== 1) continue;
    const [header, condition] = headers[0];
    const targets = weightedDestinations(rule).filter(d => d.weight > 0);
    if (condition.exact !== undefined && targets.length === 1) {
      return { header, value: condition.exact, subset: trackName(targets[0]) };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- hosts

/**
 * Resolves a service host as Istio does: a short name (`svc`) is in the namespace of
 * the object naming it; `svc.ns` and `svc.ns.svc.cluster.local` name their namespace.
 * Any other host (`api.example.com`) is compared whole.
 */
function resolveHost(host: string, namespace: string): Ref {
  const [name, ns, ...rest] = host.split('.');
  if (ns === undefined) return { namespace, name };
  if (rest.length === 0 || rest[0] === 'svc') return { namespace: ns, name };
  return { namespace: '', name: host };
}

function firstLabel(host: string): string {
  return host.split('.')[0];
}

/**
 * The DestinationRule for a host, as Istio looks it up: in the VirtualService's
 * namespace first, then in the host's own namespace.
 */
function findDestinationRule(
  ctx: Context,
  host: string,
): DestinationRule | undefined {
  const target = resolveHost(host, ctx.vs.namespace);
  const rules = ctx.objects.destinationRules.filter(dr => {
    const { namespace } = refOf(dr);
    const resolved = resolveHost(dr.spec?.host ?? '', namespace);
    return (
      resolved.name === target.name && resolved.namespace === target.namespace
    );
  });
  return (
    rules.find(dr => refOf(dr).namespace === ctx.vs.namespace) ??
    rules.find(dr => refOf(dr).namespace === target.namespace)
  );
}

function findSubset(dr: DestinationRule, subset: string) {
  return dr.spec?.subsets?.find(s => s.name === subset);
}

// ---------------------------------------------------------------- workloads

function deploymentWorkload(deployment: Deployment): Workload {
  return {
    kind: 'Deployment',
    ...refOf(deployment),
    ...templateFacts(deployment.spec?.template),
    ready: deployment.status?.readyReplicas ?? 0,
    desired: deployment.spec?.replicas ?? 1,
  };
}

/** A Rollout's pod template is its own, or that of the Deployment in `workloadRef`. */
function rolloutWorkload(
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

function templateFacts(template?: PodTemplate) {
  return {
    labels: template?.metadata?.labels ?? {},
    images: (template?.spec?.containers ?? []).flatMap(c =>
      c.image ? [c.image] : [],
    ),
  };
}

function selects(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A Rollout governs a VirtualService its Istio traffic routing names. */
function governs(rollout: Rollout, vs: Ref): boolean {
  const istio = rollout.spec?.strategy?.canary?.trafficRouting?.istio;
  const names = [
    istio?.virtualService,
    ...(istio?.virtualServices ?? []),
  ].flatMap(ref => (ref ? [ref.name] : []));
  const namespace = refOf(rollout).namespace;
  return names.some(full => {
    const parts = full.split('.');
    const [name, ns] = parts.length === 2 ? parts : [full, namespace];
    return name === vs.name && ns === vs.namespace;
  });
}

/**
 * With a governing Rollout both tracks are its pods: Argo Rollouts pins each subset to
 * a ReplicaSet, which is not an input, so both tracks report the Rollout's totals. Its
 * template is the current revision: it describes the canary always, and the stable
 * track only when the stable revision is the current one (or the status doesn't say).
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

function buildTrack(
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
  };
  // No workload information at all is NO_WORKLOAD's concern, not readiness's.
  const unready =
    ref.weight > 0 && replicas?.ready === 0
      ? [notReady(ctx, track, role, source.replicasFrom)]
      : [];
  return { track, problems: [...source.problems, ...unready] };
}

function versionOf(labels?: Labels): string | undefined {
  return VERSION_LABELS.map(l => labels?.[l]).find(v => v !== undefined);
}

// ---------------------------------------------------------------- phase

function isPaused(rollout: Rollout): boolean {
  return (
    rollout.spec?.paused === true ||
    (rollout.status?.pauseConditions?.length ?? 0) > 0 ||
    rollout.status?.phase === 'Paused'
  );
}

function phaseOf(
  problems: CanaryProblem[],
  governor: Rollout | undefined,
  canary: Track | undefined,
): CanaryPhase {
  if (problems.some(p => p.severity === 'error')) return 'misconfigured';
  if (governor && isPaused(governor)) return 'paused';
  const weight = canary?.weight ?? 0;
  if (weight >= 100) return 'promoted';
  if (weight > 0) return 'progressing';
  return 'stable';
}

// ---------------------------------------------------------------- problems

function unroutedTraffic(vs: Ref, ruleCount: number): CanaryProblem {
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

function weightProblems(
  vs: Ref,
  split: WeightedDestination[],
  isDefaultRoute: boolean,
): CanaryProblem[] {
  const total = sum(split.map(d => d.weight));
  if (split.length === 0 || total === 100) return [];
  const parts = split.map(d => `${trackName(d)} ${d.weight}`).join(', ');
  const route = isDefaultRoute ? 'default route' : 'first weighted rule';
  const name = qualified('VirtualService', vs);
  return [
    error(
      'WEIGHTS_DO_NOT_SUM_TO_100',
      `The weights of the ${route} of ${name} add up to ${total} (${parts}); make them add up to 100.`,
    ),
  ];
}

/** Every subset any rule routes to must exist in its host's DestinationRule. */
function subsetProblems(ctx: Context, rules: HTTPRoute[]): CanaryProblem[] {
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

function notReady(
  ctx: Context,
  track: Track,
  role: Role,
  workloads: Workload[],
): CanaryProblem {
  const pods = workloads.map(w => qualified(w.kind, w)).join(', ');
  const vs = qualified('VirtualService', ctx.vs);
  return error(
    role === 'canary' ? 'CANARY_NOT_READY' : 'STABLE_NOT_READY',
    `The ${role} subset '${track.subset}' gets ${track.weight}% of traffic but no pod of ${pods} is ready; ` +
      `fix those pods or set its weight in ${vs} to 0.`,
  );
}

function noWorkload(
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

function error(code: CanaryProblemCode, message: string): CanaryProblem {
  return problem(code, 'error', message);
}

function warning(code: CanaryProblemCode, message: string): CanaryProblem {
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
function sortBySeverity(problems: CanaryProblem[]): CanaryProblem[] {
  const rank = (p: CanaryProblem) => (p.severity === 'error' ? 0 : 1);
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

// ---------------------------------------------------------------- small helpers

function refOf(object: {
  metadata?: { name?: string; namespace?: string };
}): Ref {
  return {
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
}

function qualified(kind: string, ref: Ref): string {
  return `${kind} ${ref.namespace}/${ref.name}`;
}

function quoted(names: string[]): string {
  return names.map(n => `'${n}'`).join(', ');
}

function formatLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
