import { screen } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { canaryApiRef, CanaryClient } from '../api';
import {
  annotatedEntity,
  makeEntity,
  makeDatabaseResponse,
  makePostgresCluster,
  oneCluster,
  progressingRelease,
} from '../__testUtils__/fixtures';
import canaryFrontendPlugin from '../alpha';
import {
  canaryApiExtension,
  entityCanaryContent,
  entityDatabaseCard,
} from './extensions';

describe('canary frontend plugin (alpha)', () => {
  it('is the canary plugin with the API and the entity content', () => {
    expect(canaryFrontendPlugin.pluginId).toBe('canary');
    expect(canaryFrontendPlugin.title).toBe('Canary');
    expect(canaryFrontendPlugin.getExtension('api:canary')).toMatchObject({
      kind: 'api',
      namespace: 'canary',
    });
    expect(
      canaryFrontendPlugin.getExtension('entity-content:canary/canary'),
    ).toMatchObject({
      kind: 'entity-content',
      namespace: 'canary',
      name: 'canary',
    });
  });

  it('provides the canary API through the CanaryClient', () => {
    const factory = createExtensionTester(canaryApiExtension).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(canaryApiRef.id);
    expect(
      factory.factory({
        discoveryApi: { getBaseUrl: async () => 'http://x' },
        fetchApi: { fetch },
      }),
    ).toBeInstanceOf(CanaryClient);
  });

  it('is the "Canary" entity tab at /canary, for annotated entities only', () => {
    const tester = createExtensionTester(entityCanaryContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/canary');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Canary');

    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter).toBeInstanceOf(Function);
    expect(filter!(annotatedEntity)).toBe(true);
    expect(
      filter!(
        makeEntity({ 'backstage.io/kubernetes-label-selector': 'app=orders' }),
      ),
    ).toBe(true);
    expect(filter!(makeEntity())).toBe(false);
  });

  it('renders the canary content of the entity', async () => {
    const getStatus = jest.fn(async () => oneCluster(progressingRelease));
    const tester = createExtensionTester(entityCanaryContent);
    await renderInTestApp(
      <EntityProvider entity={annotatedEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[canaryApiRef, { getStatus, getDatabaseStatus: jest.fn() }]] },
    );

    expect(
      await screen.findByRole('img', {
        name: 'Traffic: 80% stable (v1), 20% canary (v2)',
      }),
    ).toBeInTheDocument();
    expect(getStatus).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-api',
    });
  }, 20_000); // the first render loads the app; slow on a loaded machine

  it('is the "Database" overview card, full width, offered to annotated entities', () => {
    expect(
      canaryFrontendPlugin.getExtension('entity-card:canary/database'),
    ).toMatchObject({
      kind: 'entity-card',
      namespace: 'canary',
      name: 'database',
    });
    const tester = createExtensionTester(entityDatabaseCard);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('content');
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter!(annotatedEntity)).toBe(true);
    expect(filter!(makeEntity())).toBe(false);
  });

  it('renders the database card of the entity', async () => {
    const getDatabaseStatus = jest.fn(async () =>
      makeDatabaseResponse([
        { cluster: 'production', databases: [makePostgresCluster()] },
      ]),
    );
    await renderInTestApp(
      <EntityProvider entity={annotatedEntity}>
        {createExtensionTester(entityDatabaseCard).reactElement()}
      </EntityProvider>,
      { apis: [[canaryApiRef, { getStatus: jest.fn(), getDatabaseStatus }]] },
    );
    expect(
      await screen.findByRole('heading', { name: 'orders/orders-api-db' }),
    ).toBeInTheDocument();
  }, 20_000); // the first render loads the app; slow on a loaded machine
});
