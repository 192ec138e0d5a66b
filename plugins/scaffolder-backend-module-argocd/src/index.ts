/**
 * Scaffolder module with `argocd:app:create`: registers a service in Argo CD, one
 * Application per environment, through the Argo CD API or a GitOps pull request.
 *
 * @packageDocumentation
 */
export { scaffolderModuleArgoCd as default } from './module';
export { createArgocdAppCreateAction, ACTION_ID } from './actions/createApp';
export type { CreateArgocdAppActionOptions } from './actions/createApp';
