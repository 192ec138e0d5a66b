/**
 * Runway's permission policy: everyone signed in reads; an entity's owners (directly or
 * through their groups) and the platform teams act on its canaries.
 *
 * @packageDocumentation
 */
export { permissionModuleRunwayPolicy as default } from './module';
export { RunwayPermissionPolicy } from './RunwayPermissionPolicy';
export type { RunwayPermissionPolicyOptions } from './RunwayPermissionPolicy';
