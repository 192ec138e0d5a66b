import {
  coreExtensionData,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { screen, within } from '@testing-library/react';
import {
  argocdPlugin,
  entityArgocdContent,
  entityArgocdSummaryCard,
  preferAppSelector,
} from './plugin';

/** A catalog Component with the given annotations. */
function component(annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-api', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

/** An Application as the Argo CD API returns it, trimmed to what the plugin reads. */
function application(
  environment: string,
  sync: string,
  health: string,
  revision: string,
) {
  const name = `orders-api-${environment}`;
  return {
    metadata: {
      name,
      namespace: 'argocd',
      uid: `uid-${name}`,
      labels: { 'backstage.io/kubernetes-id': 'orders-api' },
      instance: { name: 'main', url: 'https://argocd.example.com' },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/example-org/orders-api',
        path: 'chart',
        targetRevision: 'HEAD',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'orders-api',
      },
    },
    status: {
      sync: { status: sync, revision },
      health: { status: health },
      history: [
        { id: 1, revision, deployedAt: '2026-11-20T10:00:00Z', source: {} },
      ],
    },
  };
}

const applications = [
  application('staging', 'OutOfSync', 'Progressing', 'a1b2c3d4e5f6'),
  application('production', 'Synced', 'Healthy', '0123456789ab'),
];

const argocdConfig = {
  argocd: {
    appLocatorMethods: [
      {
        type: 'config',
        instances: [{ name: 'main', url: 'https://argocd.example.com' }],
      },
    ],
  },
};

/** Stands in for the community Argo CD backend (`/api/backstage-community-argocd`). */
function fakeArgocdBackend() {
  return jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const path = url.pathname.replace('/api/backstage-community-argocd', '');
    if (path === '/check') {
      return new Response('OK');
    }
    const selectorPath = '/argoInstance/main/applications/selector/';
    if (path.startsWith(selectorPath)) {
      const selector = decodeURIComponent(path.slice(selectorPath.length));
      return Response.json({
        items: applications.filter(app =>
          selector.split(',').every(term => {
            const [key, value] = term.split('=');
            return (
              (app.metadata.labels as Record<string, string>)[key] === value
            );
          }),
        ),
      });
    }
    return new Response('not found', { status: 404 });
  });
}

describe('the Argo CD plugin (community plugin in the new frontend system)', () => {
  it('is the community plugin, with its route', () => {
    expect(argocdPlugin.pluginId).toBe('backstage-community-argocd');
    expect(argocdPlugin.routes.root).toBe(
      createExtensionTester(entityArgocdContent).get(
        coreExtensionData.routeRef,
      ),
    );
  });

  it('is the "Argo CD" tab at /argocd in the Deployment group', () => {
    const tester = createExtensionTester(entityArgocdContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/argocd');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Argo CD');
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe(
      'deployment',
    );
  });

  it('is a full-width card on the overview', () => {
    expect(
      createExtensionTester(entityArgocdSummaryCard).get(
        EntityCardBlueprint.dataRefs.type,
      ),
    ).toBe('content');
  });

  it.each([
    ['an argocd/app-selector', { 'argocd/app-selector': 'a=b' }, true],
    [
      'an argocd/app-name',
      { 'argocd/app-name': 'orders-api-production' },
      true,
    ],
    ['no Argo CD annotation', { 'backstage.io/kubernetes-id': 'x' }, false],
  ])('entity with %s (%j): card and tab shown = %s', (_, a, shown) => {
    const cardFilter = createExtensionTester(entityArgocdSummaryCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    const tabFilter = createExtensionTester(entityArgocdContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );
    expect([cardFilter!(component(a)), tabFilter!(component(a))]).toEqual([
      shown,
      shown,
    ]);
  });

  it.each([
    [
      'both: the selector wins',
      { 'argocd/app-name': 'a-production', 'argocd/app-selector': 'k=a' },
      { 'argocd/app-selector': 'k=a' },
    ],
    [
      'the name alone stays',
      { 'argocd/app-name': 'a-production' },
      { 'argocd/app-name': 'a-production' },
    ],
    [
      'the selector alone stays',
      { 'argocd/app-selector': 'k=a', other: 'x' },
      { 'argocd/app-selector': 'k=a', other: 'x' },
    ],
  ])('shows the community components %s', (_, given, seen) => {
    expect(preferAppSelector(component(given)).metadata.annotations).toEqual(
      seen,
    );
  });

  it('shows the sync status and health of every Application the selector finds, for an entity with both annotations as Runway templates write them', async () => {
    const fetch = fakeArgocdBackend();
    await renderInTestApp(
      <EntityProvider
        entity={component({
          'argocd/app-name': 'orders-api-production',
          'argocd/app-selector': 'backstage.io/kubernetes-id=orders-api',
        })}
      >
        {createExtensionTester(entityArgocdSummaryCard).reactElement()}
      </EntityProvider>,
      {
        // The plugin provides the community plugin's APIs the card calls.
        features: [argocdPlugin],
        // In the app, the tab mounts the plugin's route, which its card requires.
        mountedRoutes: {
          '/catalog/default/component/orders-api/argocd': createExtensionTester(
            entityArgocdContent,
          ).get(coreExtensionData.routeRef)!,
        },
        config: argocdConfig,
        apis: [
          [fetchApiRef, mockApis.fetch({ baseImplementation: fetch })],
          [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://portal' })],
          mockApis.permission(),
        ],
      },
    );

    const production = (
      await screen.findByRole(
        'link',
        { name: /orders-api-production/ },
        { timeout: 10_000 },
      )
    ).closest('tr')!;
    expect(within(production).getByText(/Synced/)).toBeInTheDocument();
    expect(within(production).getByText(/Healthy/)).toBeInTheDocument();
    const staging = screen
      .getByRole('link', { name: /orders-api-staging/ })
      .closest('tr')!;
    expect(within(staging).getByText(/OutOfSync/)).toBeInTheDocument();
    expect(within(staging).getByText(/Progressing/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /orders-api-production/ }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/orders-api-production',
    );
    // Instance and server are left to the tab.
    expect(
      screen.getAllByRole('columnheader').map(header => header.textContent),
    ).toEqual([
      'Application',
      'Namespace',
      'Revision',
      'Last deployed',
      'Sync status',
      'Health status',
    ]);
    // The selector goes to the community backend, for each configured instance.
    expect(fetch.mock.calls.map(([url]) => String(url))).toContain(
      'http://portal/api/backstage-community-argocd/argoInstance/main/applications/selector/backstage.io%2Fkubernetes-id%3Dorders-api?selector=backstage.io%252Fkubernetes-id%253Dorders-api',
    );
  }, 30_000); // a whole test app with the community plugin's lazy-loaded table
});
