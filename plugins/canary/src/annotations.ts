import { Entity } from '@backstage/catalog-model';

/**
 * Names the workload the entity runs as, matched against the `backstage.io/kubernetes-id` label.
 *
 * @public
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/**
 * A Kubernetes label selector matching the entity's workloads, e.g. `app=orders-api`.
 *
 * @public
 */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/**
 * Optional: restricts the lookup to one Kubernetes namespace.
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Whether the Canary tab applies to an entity: it has either the
 * `backstage.io/kubernetes-id` or the `backstage.io/kubernetes-label-selector`
 * annotation (a non-empty value).
 *
 * @public
 */
export function isCanaryAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[KUBERNETES_ID_ANNOTATION]?.trim() ||
      annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim(),
  );
}
