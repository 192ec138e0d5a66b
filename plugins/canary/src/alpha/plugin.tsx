import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  canaryApiExtension,
  entityCanaryContent,
  entityDatabaseCard,
} from './extensions';

/**
 * The Canary plugin for the new frontend system: the `canary` utility API,
 * the "Canary" entity page tab and the "Database" overview card.
 *
 * @alpha
 */
export const canaryFrontendPlugin = createFrontendPlugin({
  pluginId: 'canary',
  title: 'Canary',
  info: { packageJson: () => import('../../package.json') },
  extensions: [canaryApiExtension, entityCanaryContent, entityDatabaseCard],
});
