/**
 * Canary tab for entity pages: the live Istio traffic split, versions,
 * replica readiness and problems of an entity's canary releases, per cluster;
 * and the Database card: the entity's CloudNativePG clusters.
 *
 * @packageDocumentation
 */
export {
  canaryPlugin,
  EntityCanaryContent,
  EntityDatabaseCard,
} from './plugin';
export { canaryApiRef, CanaryClient } from './api';
export type { CanaryApi, RolloutActionRequest } from './api';
export {
  isCanaryAvailable,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from './annotations';
