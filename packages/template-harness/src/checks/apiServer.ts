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
