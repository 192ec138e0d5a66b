import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { clusterAccessServiceRef } from '@runway/plugin-cluster-access-node';
import { createCnpgDatabaseAction } from './actions/createDatabase';

/**
 * The scaffolder module adding `cnpg:database:create`, with cluster access from the
 * `kubernetes` config. Starts with no cluster configured (the action then rejects any
 * input naming one).
 *
 * @public
 */
export const scaffolderModuleCnpg = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'cnpg',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        clusterAccess: clusterAccessServiceRef,
      },
      async init({ scaffolder, clusterAccess }) {
        scaffolder.addActions(createCnpgDatabaseAction({ clusterAccess }));
      },
    });
  },
});
