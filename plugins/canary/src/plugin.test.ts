import { canaryPlugin, EntityDatabaseCard } from './plugin';
import { CanaryClient } from './api';

describe('canaryPlugin', () => {
  it('has the id canary', () => {
    expect(canaryPlugin.getId()).toBe('canary');
  });

  it('provides the canary API, built from discovery and fetch', () => {
    const factories = Array.from(canaryPlugin.getApis());
    expect(factories.map(f => f.api.id)).toEqual(['plugin.canary.service']);
    const [factory] = factories;
    expect(
      Object.values(factory.deps)
        .map(d => d.id)
        .sort(),
    ).toEqual(['core.discovery', 'core.fetch']);
    const client = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://x' },
      fetchApi: { fetch },
    });
    expect(client).toBeInstanceOf(CanaryClient);
  });

  it('exports the Database card as a component extension', () => {
    expect(EntityDatabaseCard).toBeInstanceOf(Function);
    expect((EntityDatabaseCard as { displayName?: string }).displayName).toBe(
      'Extension(EntityDatabaseCard)',
    );
  });
});
