/**
 * The Canary plugin for the new frontend system.
 *
 * @packageDocumentation
 */
export { canaryFrontendPlugin as default } from './alpha/plugin';
export {
  canaryApiExtension,
  entityCanaryContent,
  entityDatabaseCard,
} from './alpha/extensions';
