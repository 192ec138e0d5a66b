/**
 * Backend plugin serving live Istio canary status per catalog entity.
 *
 * @packageDocumentation
 */
export { canaryPlugin as default } from './plugin';
