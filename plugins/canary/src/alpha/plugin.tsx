import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { canaryApiExtension, entityCanaryContent } from './extensions';

/**
 * The Canary plugin for the new frontend system: the `canary` utility API and
 * the "Canary" entity page tab.
 *
 * @alpha
 */
export const canaryFrontendPlugin = createFrontendPlugin({
  pluginId: 'canary',
  title: 'Canary',
  info: { packageJson: () => import('../../package.json') },
  extensions: [canaryApiExtension, entityCanaryContent],
});
