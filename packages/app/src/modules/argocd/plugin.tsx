import {
  argocdPlugin as legacyArgocdPlugin,
  ArgocdDeploymentLifecycle,
  ArgocdDeploymentSummary,
  isArgocdConfigured,
} from '@backstage-community/plugin-argocd';
import {
  compatWrapper,
  convertLegacyPlugin,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider, useEntity } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ReactNode } from 'react';

const APP_NAME = 'argocd/app-name';
const APP_SELECTOR = 'argocd/app-selector';

/**
 * Runway's catalog entries carry both `argocd/app-name` (the production Application,
 * for tools that read one name) and `argocd/app-selector` (every environment). The
 * community components refuse an entity with both, so they see the selector alone.
 */
export function preferAppSelector(entity: Entity): Entity {
  const annotations = entity.metadata.annotations ?? {};
  if (!annotations[APP_NAME] || !annotations[APP_SELECTOR]) return entity;
  const { [APP_NAME]: _appName, ...rest } = annotations;
  return { ...entity, metadata: { ...entity.metadata, annotations: rest } };
}

function PreferAppSelector(props: { children: ReactNode }) {
  const { entity } = useEntity();
  return (
    <EntityProvider entity={preferAppSelector(entity)}>
      {props.children}
    </EntityProvider>
  );
}

/**
 * Overview card: one row per Argo CD Application of the entity (each environment)
 * with its sync status, health, revision and last deployment. Instance and server
 * columns are left to the tab, so the table fits the overview's main column.
 */
export const entityArgocdSummaryCard = EntityCardBlueprint.make({
  name: 'deployment-summary',
  params: {
    type: 'content',
    filter: isArgocdConfigured,
    loader: async () =>
      compatWrapper(
        <PreferAppSelector>
          <ArgocdDeploymentSummary showInstance={false} showServer={false} />
        </PreferAppSelector>,
      ),
  },
});

/**
 * "Argo CD" tab, in the Deployment group beside Kubernetes: a card per Application
 * with its sync status, health, commit and resources. It mounts the community
 * plugin's route, which both of its components require to render (the card too).
 */
export const entityArgocdContent = EntityContentBlueprint.make({
  name: 'deployment-lifecycle',
  params: {
    path: '/argocd',
    title: 'Argo CD',
    group: 'deployment',
    filter: isArgocdConfigured,
    routeRef: convertLegacyRouteRef(legacyArgocdPlugin.routes.root),
    loader: async () =>
      compatWrapper(
        <PreferAppSelector>
          <ArgocdDeploymentLifecycle />
        </PreferAppSelector>,
      ),
  },
});

/**
 * The community Argo CD plugin (`@backstage-community/plugin-argocd`) in the new
 * frontend system. Its `./alpha` export only holds translations, so its legacy
 * plugin (id `backstage-community-argocd`, with its two utility APIs) is converted
 * here, with its components as an overview card and an entity tab. In app-config they
 * are `entity-card:backstage-community-argocd/deployment-summary` and
 * `entity-content:backstage-community-argocd/deployment-lifecycle`.
 */
export const argocdPlugin = convertLegacyPlugin(legacyArgocdPlugin, {
  extensions: [entityArgocdSummaryCard, entityArgocdContent],
});
