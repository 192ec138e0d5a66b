import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { canaryApiRef, CanaryClient } from '../api';
import { isCanaryAvailable } from '../annotations';

/**
 * Provides the `CanaryApi` of `@runway/plugin-canary`, calling the `canary` backend plugin.
 *
 * @alpha
 */
export const canaryApiExtension = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: canaryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CanaryClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The "Canary" tab on entity pages, shown for entities with a
 * `backstage.io/kubernetes-id` or `backstage.io/kubernetes-label-selector`
 * annotation.
 *
 * @alpha
 */
export const entityCanaryContent = EntityContentBlueprint.make({
  name: 'canary',
  params: {
    path: '/canary',
    title: 'Canary',
    filter: isCanaryAvailable,
    loader: () =>
      import('../components/EntityCanaryContent').then(m => (
        <m.EntityCanaryContent />
      )),
  },
});

/**
 * The "Database" card on entity overviews: the entity's CloudNativePG clusters per
 * Kubernetes cluster. Offered to entities with a `backstage.io/kubernetes-id` or
 * `backstage.io/kubernetes-label-selector` annotation; it renders nothing when none of
 * their objects is a CloudNativePG Cluster.
 *
 * @alpha
 */
export const entityDatabaseCard = EntityCardBlueprint.make({
  name: 'database',
  params: {
    type: 'content',
    filter: isCanaryAvailable,
    loader: () =>
      import('../components/EntityDatabaseCard').then(m => (
        <m.EntityDatabaseCard />
      )),
  },
});
