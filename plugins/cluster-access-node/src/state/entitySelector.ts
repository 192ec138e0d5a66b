import { Entity } from '@backstage/catalog-model';

/** @public */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** @public */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/** @public */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Which objects belong to an entity: a label selector, optionally in one namespace.
 *
 * @public
 */
export type ObjectSelector = { labelSelector: string; namespace?: string };

/**
 * Finds an entity's objects the way the Kubernetes plugin does: the label-selector
 * annotation, else the `backstage.io/kubernetes-id` label; optionally one namespace.
 * Undefined when the entity has neither annotation.
 *
 * @public
 */
export function entityObjectSelector(
  entity: Entity,
): ObjectSelector | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace =
    annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() || undefined;
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  if (selector) return { labelSelector: selector, namespace };
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  if (id)
    return { labelSelector: `${KUBERNETES_ID_ANNOTATION}=${id}`, namespace };
  return undefined;
}
