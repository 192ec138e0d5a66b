import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createArgocdAppCreateAction } from './actions/createApp';
import { createArgocdAppPromoteAction } from './actions/promoteApp';

/**
 * Adds `argocd:app:create` and `argocd:app:promote` to the scaffolder.
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
        const promote = createArgocdAppPromoteAction({ config });
        scaffolder.addActions(action, promote);
        const names = (
          config.getOptionalConfigArray('argocd.instances') ?? []
        ).map(instance => instance.getString('name'));
        if (names.length === 0) {
          logger.warn(
            `No Argo CD instance under argocd.instances: ${action.id} and ${promote.id} will fail until one is configured (dry runs work)`,
          );
        } else {
          logger.info(
            `${action.id}, ${promote.id}: Argo CD instances ${names.join(
              ', ',
            )}`,
          );
        }
      },
    });
  },
});
