/*
 * Progressive-delivery checks of a rendered chart, kept apart from the schema
 * validation in manifests.ts. They reason about the objects as the cluster will hold
 * them: Argo Rollouts' controller is replayed step by step (pure, from its documented
 * behaviour), and at every step canary-common — the computation the Canary tab uses —
 * must find nothing wrong. Each problem names the object and the rule.
 */
import {
  CanaryObjects,
  computeCanaryReleases,
} from '@runway/plugin-canary-common';
import type {
  Rollout,
  RolloutStep,
  VirtualService,
} from '@runway/plugin-canary-common';
import type { RenderedObject } from '@runway/control-plane';
import { nameOf, ofKind } from './objects';
import { promqlSyntaxErrors, vectorSelectors } from './promql';

const HASH = 'rollouts-pod-template-hash';
const STABLE_REV = 'stablerev';
const CANARY_REV = 'canaryrev';
const CANARY_HEADER = 'x-canary';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const selects = (
  selector: Record<string, string>,
  labels: Record<string, string>,
) =>
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** All progressive-delivery problems of one environment's rendered chart. */
export function checkDelivery(
  objects: RenderedObject[],
  options: { namespace?: string } = {},
): string[] {
  const namespace = options.namespace ?? 'default';
  const placed = objects.map(o => ({
    ...clone(o),
    metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace },
  }));
  return [
    ...checkRouting(placed),
    ...checkNonMeshTraffic(placed),
    ...checkManagedRoutes(placed),
    ...checkAnalysisQueries(placed),
    ...checkMigrations(placed),
  ];
}

// ---------------------------------------------------------------- routing

/** The replicas the chart asks for: spec.replicas, else the HPA's minimum. */
function baseReplicas(objects: RenderedObject[], workload: any): number {
  if (workload.spec?.replicas !== undefined) return workload.spec.replicas;
  const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find(
    h => h.spec?.scaleTargetRef?.name === workload.metadata?.name,
  );
  return hpa?.spec?.minReplicas ?? 1;
}

/**
 * Istio routing as canary-common reads it: without a Rollout, the rendered objects with
 * every Deployment ready; with one, every state its steps lead through.
 */
function checkRouting(objects: RenderedObject[]): string[] {
  const virtualServices = ofKind(objects, 'VirtualService');
  const problems: string[] = [];
  for (const vs of virtualServices) {
    const gateways: string[] | undefined = vs.spec?.gateways;
    if (gateways && !gateways.includes('mesh')) {
      problems.push(
        `${nameOf(vs)}: binds gateways ${gateways.join(
          ', ',
        )} but not "mesh": callers inside the cluster would bypass its routing`,
      );
    }
  }
  const rollouts = ofKind(objects, 'Rollout');
  if (rollouts.length === 0) {
    const deployments = ofKind(objects, 'Deployment').map(d => ({
      ...d,
      status: { readyReplicas: baseReplicas(objects, d) },
    }));
    const releases = computeCanaryReleases({
      virtualServices,
      destinationRules: ofKind(objects, 'DestinationRule'),
      deployments,
      services: ofKind(objects, 'Service'),
    });
    for (const release of releases) {
      for (const p of release.problems) {
        problems.push(
          `VirtualService/${release.virtualService}: ${p.code}: ${p.message}`,
        );
      }
    }
    return problems;
  }
  for (const rollout of rollouts)
    problems.push(...replayRollout(objects, rollout));
  return problems;
}

/** The controller's view of one step index: what it has done to the objects by then. */
type StepState = {
  index: number;
  weight: number;
  canaryReplicas: number;
  headerRoutes: NonNullable<RolloutStep['setHeaderRoute']>[];
  done: boolean;
};

/** Replays a Rollout's steps as Argo Rollouts would apply them to a new revision. */
export function rolloutStates(rollout: Rollout, replicas: number): StepState[] {
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  const states: StepState[] = [];
  let weight = 0;
  let scale: { replicas?: number; weight?: number; match?: boolean } = {
    match: true,
  };
  const headers = new Map<string, NonNullable<RolloutStep['setHeaderRoute']>>();
  steps.forEach((step, index) => {
    if (step.setWeight !== undefined) weight = step.setWeight;
    const setScale = step.setCanaryScale as
      | { replicas?: number; weight?: number; matchTrafficWeight?: boolean }
      | undefined;
    if (setScale) {
      scale = {
        replicas: setScale.replicas,
        weight: setScale.weight,
        match: setScale.matchTrafficWeight,
      };
    }
    if (step.setHeaderRoute) {
      if (step.setHeaderRoute.match)
        headers.set(step.setHeaderRoute.name, step.setHeaderRoute);
      else headers.delete(step.setHeaderRoute.name);
    }
    let canaryReplicas = Math.ceil((weight * replicas) / 100);
    if (!scale.match && scale.replicas !== undefined)
      canaryReplicas = scale.replicas;
    if (!scale.match && scale.weight !== undefined) {
      canaryReplicas = Math.ceil((scale.weight * replicas) / 100);
    }
    states.push({
      index,
      weight,
      canaryReplicas,
      headerRoutes: [...headers.values()],
      done: false,
    });
  });
  // Every step done: the new revision is stable, managed routes are removed.
  states.push({
    index: steps.length,
    weight: 0,
    canaryReplicas: 0,
    headerRoutes: [],
    done: true,
  });
  return states;
}

function phaseOf(done: boolean, paused: boolean): string {
  if (done) return 'Healthy';
  return paused ? 'Paused' : 'Progressing';
}

function replayRollout(objects: RenderedObject[], rollout: any): string[] {
  const where = nameOf(rollout);
  const canary = rollout.spec?.strategy?.canary ?? {};
  const istio = canary.trafficRouting?.istio;
  const { stableService, canaryService } = canary;
  if (!istio?.virtualService && !istio?.virtualServices) {
    return [
      `${where}: no Istio traffic routing: traffic would not follow the canary's weights`,
    ];
  }
  if (!stableService || !canaryService || istio.destinationRule) {
    return [
      `${where}: must route by host (stableService and canaryService, no destinationRule), so that a request that skips the VirtualService reaches stable only`,
    ];
  }
  const replicas = baseReplicas(objects, rollout);
  const routeNames: string[] = [
    istio.virtualService,
    ...(istio.virtualServices ?? []),
  ].flatMap((r: any) => r?.routes ?? []);
  const problems: string[] = [];

  for (const state of rolloutStates(rollout, replicas)) {
    const at = state.done
      ? 'once every step is done'
      : `at step ${state.index} (${JSON.stringify(
          rollout.spec.strategy.canary.steps[state.index],
        )})`;
    const world = clusterAt(objects, rollout, state, replicas, routeNames);
    const releases = computeCanaryReleases(world).filter(r =>
      world.virtualServices.some(
        v =>
          v.metadata?.name === r.virtualService &&
          r.rollout?.name === rollout.metadata.name,
      ),
    );
    if (releases.length === 0) {
      problems.push(`${where}: governs no rendered VirtualService`);
      return problems;
    }
    for (const release of releases) {
      const vsWhere = `VirtualService/${release.virtualService} ${at}`;
      for (const p of release.problems) {
        problems.push(`${vsWhere}: ${p.code}: ${p.message}`);
      }
      if ((release.canary?.weight ?? 0) !== state.weight) {
        problems.push(
          `${vsWhere}: the canary gets ${
            release.canary?.weight ?? 0
          } % instead of the step's ${state.weight} %`,
        );
      }
      const header = state.headerRoutes[0];
      if (header) {
        const first = world.virtualServices.find(
          v => v.metadata?.name === release.virtualService,
        )?.spec?.http?.[0];
        if (first?.name !== header.name) {
          problems.push(
            `${vsWhere}: the header rule "${header.name}" is not the first HTTP rule`,
          );
        }
        if (
          release.headerOverride?.header !== CANARY_HEADER ||
          release.headerOverride.value !== 'true' ||
          release.headerOverride.subset !== canaryService
        ) {
          problems.push(
            `${vsWhere}: requests with ${CANARY_HEADER}: true must reach ${canaryService}, got ${JSON.stringify(
              release.headerOverride,
            )}`,
          );
        }
        if (state.canaryReplicas < 1) {
          problems.push(
            `${vsWhere}: requests with ${CANARY_HEADER}: true reach the canary, which has no pod (add a setCanaryScale step): they would get 503`,
          );
        }
      }
    }
  }
  if (!rolloutStates(rollout, replicas).some(s => s.headerRoutes.length > 0)) {
    problems.push(
      `${where}: no setHeaderRoute step: requests with ${CANARY_HEADER}: true never reach the canary`,
    );
  }
  return problems;
}

/** The objects as the cluster holds them at one state of the rollout. */
function clusterAt(
  objects: RenderedObject[],
  rollout: any,
  state: StepState,
  replicas: number,
  routeNames: string[],
): CanaryObjects {
  const canary = rollout.spec.strategy.canary;
  const namespace = rollout.metadata.namespace;
  const template = rollout.spec.template;
  const stableRev = state.done ? CANARY_REV : STABLE_REV;
  const replicaSet = (rev: string, track: string, count: number) => ({
    metadata: {
      name: `${rollout.metadata.name}-${rev}`,
      namespace,
      labels: { ...template.metadata.labels, [HASH]: rev },
      ownerReferences: [{ kind: 'Rollout', name: rollout.metadata.name }],
    },
    spec: {
      replicas: count,
      template: {
        ...template,
        metadata: {
          labels: { ...template.metadata.labels, [HASH]: rev, track },
        },
      },
    },
    status: { replicas: count, readyReplicas: count },
  });
  const replicaSets = state.done
    ? [replicaSet(CANARY_REV, 'stable', replicas)]
    : [
        replicaSet(STABLE_REV, 'stable', replicas),
        replicaSet(CANARY_REV, 'canary', state.canaryReplicas),
      ];
  // The controller pins each Service to its revision (stable wins if both name one Service).
  const pinnedTo = new Map<string, string>([
    [canary.canaryService, CANARY_REV],
    [canary.stableService, stableRev],
  ]);
  const services = ofKind(objects, 'Service').map(s => {
    const pinned = pinnedTo.get(s.metadata.name);
    return pinned
      ? {
          ...s,
          spec: { ...s.spec, selector: { ...s.spec.selector, [HASH]: pinned } },
        }
      : s;
  });
  const steps = canary.steps ?? [];
  const step: RolloutStep | undefined = steps[state.index];
  const paused = step?.pause !== undefined;
  const liveRollout: Rollout = {
    ...rollout,
    status: {
      phase: phaseOf(state.done, paused),
      currentStepIndex: state.index,
      stableRS: stableRev,
      currentPodHash: CANARY_REV,
      readyReplicas: replicas + (state.done ? 0 : state.canaryReplicas),
      ...(paused && {
        pauseConditions: [
          { reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' },
        ],
      }),
    },
  };
  const virtualServices: VirtualService[] = ofKind(
    objects,
    'VirtualService',
  ).map(vs => {
    const live = clone(vs);
    const http: any[] = live.spec?.http ?? [];
    for (const rule of http) {
      if (!routeNames.includes(rule.name)) continue;
      for (const d of rule.route ?? []) {
        const host = String(d.destination?.host ?? '').split('.')[0];
        if (host === canary.canaryService) d.weight = state.weight;
        if (host === canary.stableService) d.weight = 100 - state.weight;
      }
    }
    const primary = http.find(r => routeNames.includes(r.name));
    const canaryPort = primary?.route?.find(
      (d: any) =>
        String(d.destination?.host).split('.')[0] === canary.canaryService,
    )?.destination?.port;
    // The controller puts its managed routes first (in managedRoutes order).
    const managed = state.headerRoutes.map(h => ({
      name: h.name,
      match: (h.match as any[]).map(m => ({
        headers: { [m.headerName]: m.headerValue },
      })),
      route: [
        {
          destination: {
            host: canary.canaryService,
            ...(canaryPort && { port: canaryPort }),
          },
          weight: 100,
        },
      ],
    }));
    live.spec.http = [...managed, ...http];
    return live;
  });
  return {
    virtualServices,
    destinationRules: ofKind(objects, 'DestinationRule'),
    deployments: ofKind(objects, 'Deployment'),
    rollouts: [liveRollout],
    replicaSets,
    services,
    analysisTemplates: ofKind(objects, 'AnalysisTemplate'),
    analysisRuns: [],
  };
}

// ---------------------------------------------------------------- traffic outside the mesh

/**
 * Traffic that skips the VirtualService (no sidecar, a gateway without it) goes by
 * Service: every Service that selects a Rollout's pods must be one the Rollout pins,
 * and the one named like the service must be its stable Service.
 */
function checkNonMeshTraffic(objects: RenderedObject[]): string[] {
  const problems: string[] = [];
  for (const rollout of ofKind(objects, 'Rollout')) {
    const canary = rollout.spec?.strategy?.canary ?? {};
    const podLabels = rollout.spec?.template?.metadata?.labels ?? {};
    for (const service of ofKind(objects, 'Service')) {
      const selector = service.spec?.selector ?? {};
      if (!selects(selector, podLabels)) continue;
      const name = service.metadata?.name;
      if (name !== canary.stableService && name !== canary.canaryService) {
        problems.push(
          `${nameOf(service)}: selects the pods of ${nameOf(
            rollout,
          )} but is neither its stableService nor its canaryService, so requests to it reach both tracks`,
        );
      }
    }
    if (canary.stableService !== rollout.metadata?.name) {
      problems.push(
        `${nameOf(
          rollout,
        )}: stableService must be the Service named like the service (${
          rollout.metadata?.name
        }), the host every caller uses`,
      );
    }
  }
  return problems;
}

// ---------------------------------------------------------------- managed routes

/**
 * Argo Rollouts adds the routes named in managedRoutes and removes them at the end: each
 * must be set by a step, each setHeaderRoute must be listed, and no route in Git may
 * carry such a name (the controller would delete it).
 */
function checkManagedRoutes(objects: RenderedObject[]): string[] {
  const problems: string[] = [];
  for (const rollout of ofKind(objects, 'Rollout')) {
    const canary = rollout.spec?.strategy?.canary ?? {};
    const managed: string[] = (canary.trafficRouting?.managedRoutes ?? []).map(
      (r: { name: string }) => r.name,
    );
    const set = new Set<string>(
      (canary.steps ?? []).flatMap((s: RolloutStep) =>
        s.setHeaderRoute ? [s.setHeaderRoute.name] : [],
      ),
    );
    for (const name of managed) {
      if (!set.has(name)) {
        problems.push(
          `${nameOf(
            rollout,
          )}: managedRoutes names "${name}", which no setHeaderRoute step sets`,
        );
      }
    }
    for (const name of set) {
      if (!managed.includes(name)) {
        problems.push(
          `${nameOf(
            rollout,
          )}: setHeaderRoute "${name}" is not listed in trafficRouting.managedRoutes`,
        );
      }
    }
    for (const vs of ofKind(objects, 'VirtualService')) {
      for (const rule of vs.spec?.http ?? []) {
        if (managed.includes(rule.name)) {
          problems.push(
            `${nameOf(vs)}: the rule "${
              rule.name
            }" is a managed route of ${nameOf(
              rollout,
            )}; the controller would remove it at the end of a rollout`,
          );
        }
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------- analysis

/** An AnalysisTemplate's queries with the Rollout's arguments substituted. */
export function analysisQueries(
  template: any,
  args: Record<string, string>,
): { metric: string; query: string }[] {
  return (template.spec?.metrics ?? []).flatMap((m: any) => {
    const query: string | undefined = m.provider?.prometheus?.query;
    if (query === undefined) return [];
    return [
      {
        metric: m.name,
        query: query.replace(
          /\{\{\s*args\.([A-Za-z0-9_-]+)\s*\}\}/g,
          (all, name) => (name in args ? args[name] : all),
        ),
      },
    ];
  });
}

/**
 * The analysis judges the canary only: every AnalysisTemplate the Rollout names exists,
 * and each of its queries parses and selects, in every vector selector, the Istio
 * metrics the callers' proxies report for the canary Service.
 */
function checkAnalysisQueries(objects: RenderedObject[]): string[] {
  const problems: string[] = [];
  for (const rollout of ofKind(objects, 'Rollout')) {
    const canary = rollout.spec?.strategy?.canary ?? {};
    const namespace = rollout.metadata.namespace;
    const analyses = [
      canary.analysis,
      ...(canary.steps ?? []).map((s: any) => s.analysis),
    ].filter(Boolean);
    if (analyses.length === 0) {
      problems.push(
        `${nameOf(
          rollout,
        )}: runs no analysis: nothing would abort a bad canary`,
      );
    }
    for (const analysis of analyses) {
      const args: Record<string, string> = {};
      for (const arg of analysis.args ?? []) {
        if (arg.value !== undefined) args[arg.name] = arg.value;
        else if (arg.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') {
          args[arg.name] = namespace;
        }
      }
      for (const ref of analysis.templates ?? []) {
        const template = ofKind(objects, 'AnalysisTemplate').find(
          t => t.metadata?.name === ref.templateName,
        );
        if (!template) {
          problems.push(
            `${nameOf(rollout)}: runs AnalysisTemplate "${
              ref.templateName
            }", which the chart does not render`,
          );
          continue;
        }
        for (const { metric, query } of analysisQueries(template, args)) {
          const where = `${nameOf(template)}: metric ${metric}`;
          const unresolved = /\{\{[^}]*\}\}/.exec(query);
          if (unresolved) {
            problems.push(
              `${where}: ${unresolved[0]} is not an argument the Rollout passes`,
            );
            continue;
          }
          const syntax = promqlSyntaxErrors(query);
          if (syntax.length > 0) {
            problems.push(...syntax.map(s => `${where}: ${s}`));
            continue;
          }
          const selectors = vectorSelectors(query);
          if (selectors.length === 0)
            problems.push(`${where}: selects no series`);
          for (const selector of selectors) {
            const has = (label: string, value: string) =>
              selector.matchers.some(
                m => m.label === label && m.op === '=' && m.value === value,
              );
            const missing = [
              ['reporter', 'source'],
              ['destination_service_name', canary.canaryService],
              ['destination_service_namespace', namespace],
            ].filter(([label, value]) => !has(label, value));
            if (!selector.metric?.startsWith('istio_') || missing.length > 0) {
              problems.push(
                `${where}: the selector of ${
                  selector.metric ?? '?'
                } must select the canary Service's Istio metrics (${
                  missing.map(([l, v]) => `${l}="${v}"`).join(', ') ||
                  'an istio_* metric'
                }), so stable traffic never dilutes it`,
              );
            }
          }
        }
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------- migrations

const PRE_SYNC = 'argocd.argoproj.io/hook';
const HELM_HOOK = 'helm.sh/hook';

/**
 * With a database, the schema is migrated by a Job that runs before the release's pods
 * (an Argo CD PreSync hook, a Helm pre-install/pre-upgrade hook), with the same image;
 * the pods themselves never migrate.
 */
function checkMigrations(objects: RenderedObject[]): string[] {
  const workloads = [
    ...ofKind(objects, 'Rollout'),
    ...ofKind(objects, 'Deployment'),
  ];
  const problems: string[] = [];
  const jobs = ofKind(objects, 'Job');
  for (const workload of workloads) {
    const pod = workload.spec?.template?.spec ?? {};
    const containers: any[] = [
      ...(pod.initContainers ?? []),
      ...(pod.containers ?? []),
    ];
    for (const c of containers) {
      if ([...(c.command ?? []), ...(c.args ?? [])].includes('migrate')) {
        problems.push(
          `${nameOf(workload)}: container ${
            c.name
          } migrates the schema; the migration Job does`,
        );
      }
    }
    const usesDatabase = (pod.containers ?? []).some((c: any) =>
      (c.env ?? []).some((e: any) => e.name === 'DB_HOST'),
    );
    if (!usesDatabase) continue;
    const image = pod.containers?.[0]?.image;
    const migration = jobs.find(j =>
      (j.spec?.template?.spec?.containers ?? []).some(
        (c: any) => c.image === image,
      ),
    );
    if (!migration) {
      problems.push(
        `${nameOf(
          workload,
        )}: uses a database but no Job migrates it with its image ${image}`,
      );
      continue;
    }
    const annotations = migration.metadata?.annotations ?? {};
    if (annotations[PRE_SYNC] !== 'PreSync') {
      problems.push(
        `${nameOf(
          migration,
        )}: must be an Argo CD PreSync hook (${PRE_SYNC}: PreSync) to run before ${nameOf(
          workload,
        )}`,
      );
    }
    const helmHooks = String(annotations[HELM_HOOK] ?? '').split(',');
    if (
      !helmHooks.includes('pre-install') ||
      !helmHooks.includes('pre-upgrade')
    ) {
      problems.push(
        `${nameOf(
          migration,
        )}: must be a Helm pre-install,pre-upgrade hook to run before ${nameOf(
          workload,
        )} with plain helm too`,
      );
    }
    const podLabels = migration.spec?.template?.metadata?.labels ?? {};
    if (selects(workload.spec?.selector?.matchLabels ?? {}, podLabels)) {
      problems.push(
        `${nameOf(migration)}: its pods carry the selector labels of ${nameOf(
          workload,
        )}`,
      );
    }
    if (podLabels['sidecar.istio.io/inject'] !== 'false') {
      problems.push(
        `${nameOf(
          migration,
        )}: an Istio sidecar would keep the Job from completing (set sidecar.istio.io/inject: "false")`,
      );
    }
  }
  return problems;
}
