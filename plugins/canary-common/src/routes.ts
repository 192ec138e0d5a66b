/*
 * HTTP rules of a VirtualService: which one is the split, which destination is which
 * track, and which rule sends a header to one track.
 */
import type { CanaryRelease } from './types';
import type { HTTPRoute, Rollout } from './objects';
import { hostIsService } from './hosts';
import { Ref, refOf } from './util';

/** A route destination with the weight Istio gives it. */
export type WeightedDestination = {
  host: string;
  subset?: string;
  weight: number;
};

/** A destination chosen as a track; `host` is absent when nothing is routed. */
export type TrackRef = { host?: string; subset?: string; weight: number };

/** A rule without match conditions matches every request. */
export function isCatchAll(rule: HTTPRoute): boolean {
  return !rule.match || rule.match.length === 0;
}

/** Istio gives a lone destination 100 when its weight is omitted, otherwise 0. */
export function weightedDestinations(rule?: HTTPRoute): WeightedDestination[] {
  const route = rule?.route ?? [];
  return route.map(({ destination, weight }) => ({
    host: destination.host,
    subset: destination.subset,
    weight: weight ?? (route.length === 1 ? 100 : 0),
  }));
}

/** How a track or override names what it routes to: the subset, else the host. */
export function trackName(ref: TrackRef): string {
  return ref.subset ?? ref.host ?? '';
}

/** The HTTP route names a Rollout sets the weights of in this VirtualService. */
export function rolloutRouteNames(rollout: Rollout, vs: Ref): string[] {
  const istio = rollout.spec?.strategy?.canary?.trafficRouting?.istio;
  const namespace = refOf(rollout).namespace;
  return [istio?.virtualService, ...(istio?.virtualServices ?? [])]
    .filter(ref => ref && sameVirtualService(ref.name, namespace, vs))
    .flatMap(ref => ref?.routes ?? []);
}

/** `name` (in the Rollout's namespace) or `name.namespace` names this VirtualService. */
export function sameVirtualService(
  full: string,
  rolloutNamespace: string,
  vs: Ref,
): boolean {
  const parts = full.split('.');
  const [name, ns] = parts.length === 2 ? parts : [full, rolloutNamespace];
  return name === vs.name && ns === vs.namespace;
}

/**
 * The rule whose destinations give the split: the first route a governing Rollout
 * names, else the default route (the first rule without match), else the first rule
 * with weighted destinations (else the first with any).
 */
export function findSplitRule(
  rules: HTTPRoute[],
  defaultIndex: number,
  routeNames: string[],
): HTTPRoute | undefined {
  const named = rules.find(r => r.name && routeNames.includes(r.name));
  if (named) return named;
  if (defaultIndex >= 0) return rules[defaultIndex];
  return (
    rules.find(r => r.route?.some(d => d.weight !== undefined)) ??
    rules.find(r => (r.route?.length ?? 0) > 0)
  );
}

/**
 * Decides which destination is stable and which is canary. A governing Rollout's
 * subsets (or services) decide; otherwise a subset named `canary` is the canary, one
 * named `stable` (else the first other destination) is stable. A lone destination is
 * the stable track and there is no canary.
 */
export function chooseTracks(
  split: WeightedDestination[],
  vsNamespace: string,
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
  if (governor && stableService && canaryService) {
    const namespace = refOf(governor).namespace;
    const byService = (service: string): TrackRef =>
      split.find(d =>
        hostIsService(d.host, vsNamespace, { namespace, name: service }),
      ) ?? { host: service, weight: 0 };
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
export function headerOverride(
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
