import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createArgocdAppCreateAction } from './actions/createApp';

/**
 * Adds `argocd:app:create` to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleArgoCd = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'argocd',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, logger }) {
        const action = createArgocdAppCreateAction({ config });
        scaffolder.addActions(action);
        const names = (
          config.getOptionalConfigArray('argocd.instances') ?? []
        ).map(instance => instance.getString('name'));
        if (names.length === 0) {
          logger.warn(
            `No Argo CD instance under argocd.instances: ${action.id} will fail until one is configured`,
          );
        } else {
          logger.info(`${action.id}: Argo CD instances ${names.join(', ')}`);
        }
      },
    });
  },
});
