/**
 * Backend plugin serving live Istio canary status and the database card per catalog entity.
 *
 * @packageDocumentation
 */
export { canaryPlugin as default } from './plugin';
