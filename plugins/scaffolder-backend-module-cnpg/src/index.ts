/**
 * The CloudNativePG scaffolder module: the action `cnpg:database:create`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleCnpg as default } from './module';
export { createCnpgDatabaseAction, ACTION_ID } from './actions/createDatabase';
export { buildDatabaseObjects } from './lib/manifests';
export type { Manifest } from './lib/manifests';
