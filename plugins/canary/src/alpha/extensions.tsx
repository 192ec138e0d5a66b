import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
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
