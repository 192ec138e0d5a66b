/**
 * Scaffolder module with `argocd:app:create` (registers a service in Argo CD, one
 * Application per environment) and `argocd:app:promote` (pins production to a verified
 * commit), through the Argo CD API or a GitOps pull request.
 *
 * @packageDocumentation
 */
export { scaffolderModuleArgoCd as default } from './module';
export { createArgocdAppCreateAction, ACTION_ID } from './actions/createApp';
export type { CreateArgocdAppActionOptions } from './actions/createApp';
export {
  createArgocdAppPromoteAction,
  PROMOTE_ACTION_ID,
} from './actions/promoteApp';
export type { PromoteArgocdAppActionOptions } from './actions/promoteApp';
