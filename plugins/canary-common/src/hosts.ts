/*
 * Service hosts as Istio resolves them, and the DestinationRule that applies to one.
 */
import type { DestinationRule } from './objects';
import type { Context } from './context';
import { Ref, refOf } from './util';

/**
 * Resolves a service host as Istio does: a short name (`svc`) is in the namespace of
 * the object naming it; `svc.ns` and `svc.ns.svc.cluster.local` name their namespace.
 * Any other host (`api.example.com`) is compared whole.
 */
export function resolveHost(host: string, namespace: string): Ref {
  const [name, ns, ...rest] = host.split('.');
  if (ns === undefined) return { namespace, name };
  if (rest.length === 0 || rest[0] === 'svc') return { namespace: ns, name };
  return { namespace: '', name: host };
}

/** A host names this Service (by short name, `svc.ns` or the cluster FQDN). */
export function hostIsService(
  host: string,
  hostNamespace: string,
  service: Ref,
): boolean {
  const resolved = resolveHost(host, hostNamespace);
  return (
    resolved.name === service.name && resolved.namespace === service.namespace
  );
}

/**
 * The DestinationRule for a host, as Istio looks it up: in the VirtualService's
 * namespace first, then in the host's own namespace.
 */
export function findDestinationRule(
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

export function findSubset(dr: DestinationRule, subset: string) {
  return dr.spec?.subsets?.find(s => s.name === subset);
}
