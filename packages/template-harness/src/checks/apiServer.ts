/*
 * Rendered charts judged by a real Kubernetes API server (@runway/control-plane): every object
 * is created with server-side dry-run and strict field validation in a namespace that enforces
 * Pod Security "restricted", and every pod template is dry-run as a Pod, so the built-in
 * schemas, the CRDs' structural schemas and admission all have their say. The JSON-schema checks
 * of ./manifests stay as the fast first layer.
 */
import {
  ControlPlane,
  dryRunObjects,
  startControlPlane,
} from '@runway/control-plane';
import { K8sObject } from './manifests';

/** The upstream CRDs a Runway service chart may render objects of (components of the pin list). */
export const CHART_CRDS = [
  'istio',
  'argo-rollouts',
  'prometheus-operator',
  'secrets-store-csi-driver',
  'cloudnative-pg',
];

/** A control plane for a harness suite, serving every kind a chart renders. */
export function startChartServer(): Promise<ControlPlane> {
  return startControlPlane({ crds: CHART_CRDS });
}

/**
 * The API server's refusals of a chart's rendered objects, dry-run in `namespace` (created
 * when missing, enforcing Pod Security "restricted"), one line per refusal naming the object.
 */
export function dryRunChart(
  plane: ControlPlane,
  objects: K8sObject[],
  namespace: string,
): Promise<string[]> {
  return dryRunObjects(plane, objects as any[], {
    namespace,
    podSecurity: 'restricted',
  });
}

/** The upstream CRDs the platform-environment template's own objects use (components of the pin list). */
export const PLATFORM_CRDS = [
  'argo-cd',
  'karpenter',
  'istio',
  'prometheus-operator',
];

/** A control plane serving every kind the platform's add-ons and manifests declare. */
export function startPlatformServer(): Promise<ControlPlane> {
  return startControlPlane({ crds: PLATFORM_CRDS });
}

/**
 * The API server's refusals of the platform's objects (add-on Applications, Karpenter, Istio and
 * monitoring objects), each dry-run in its own namespace, which is created when missing. Objects
 * of groups the server does not serve are returned apart, so a test can name exactly which.
 */
export async function dryRunPlatform(
  plane: ControlPlane,
  objects: K8sObject[],
): Promise<{ problems: string[]; unserved: string[] }> {
  const { body } = await plane.request('GET', '/apis');
  const served = new Set<string>(
    (body?.groups ?? []).flatMap((g: any) =>
      g.versions.map((v: any) => v.groupVersion),
    ),
  );
  const unserved = objects.filter(
    o => o.apiVersion?.includes('/') && !served.has(o.apiVersion),
  );
  const byNamespace = new Map<string, K8sObject[]>();
  for (const object of objects.filter(o => !unserved.includes(o))) {
    const namespace = object.metadata?.namespace ?? 'default';
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), object]);
  }
  const problems: string[] = [];
  for (const [namespace, items] of byNamespace) {
    problems.push(
      ...(await dryRunObjects(plane, items as any[], {
        namespace,
        podSecurity: 'privileged',
      })),
    );
  }
  return {
    problems,
    unserved: [
      ...new Set(unserved.map(o => `${o.apiVersion} ${o.kind}`)),
    ].sort(),
  };
}
