/**
 * Scaffolder module with `runway:dockerfile:pin`: pins the base images of a new
 * repository's Dockerfile by digest, through the OCI Distribution API.
 *
 * @packageDocumentation
 */
export { scaffolderModuleRunway as default } from './module';
export {
  createPinDockerfileAction,
  PIN_DOCKERFILE_ACTION_ID,
} from './actions/pinDockerfile';
export type { PinDockerfileActionOptions } from './actions/pinDockerfile';
