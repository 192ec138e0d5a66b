/**
 * Backend plugin serving live Istio canary status per catalog entity.
 *
 * @packageDocumentation
 */
export { canaryPlugin as default } from './plugin';
export { entityObjectSelector } from './service/locator';
export type { ObjectSelector } from './service/locator';
