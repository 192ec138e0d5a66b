import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { canaryApiRef, CanaryClient } from './api';

/**
 * The Canary plugin for legacy (`createApp` from `@backstage/app-defaults`) apps.
 *
 * @public
 */
export const canaryPlugin = createPlugin({
  id: 'canary',
  apis: [
    createApiFactory({
      api: canaryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CanaryClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The Canary tab content for an entity page; render it inside an
 * `EntityLayout.Route`, guarded by `isCanaryAvailable`.
 *
 * @public
 */
export const EntityCanaryContent: () => JSX.Element = canaryPlugin.provide(
  createComponentExtension({
    name: 'EntityCanaryContent',
    component: {
      lazy: () =>
        import('./components/EntityCanaryContent').then(
          m => m.EntityCanaryContent,
        ),
    },
  }),
);

/**
 * The Database card for an entity's overview: each CloudNativePG cluster of the entity,
 * per Kubernetes cluster, with its health, backups and problems. It renders nothing for an
 * entity without a database; guard it with `isCanaryAvailable`.
 *
 * @public
 */
export const EntityDatabaseCard: () => JSX.Element | null =
  canaryPlugin.provide(
    createComponentExtension({
      name: 'EntityDatabaseCard',
      component: {
        lazy: () =>
          import('./components/EntityDatabaseCard').then(
            m => m.EntityDatabaseCard,
          ),
      },
    }),
  );
