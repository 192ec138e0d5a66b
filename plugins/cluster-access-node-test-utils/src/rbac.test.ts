import { FakeKubernetesApi } from './FakeKubernetesApi';
import {
  applyRequest,
  APPLY,
  CLUSTERS,
  cluster,
} from './__testUtils__/fixtures';

describe('FakeKubernetesApi authorization', () => {
  let api: FakeKubernetesApi;
  let url: string;

  beforeEach(async () => {
    api = new FakeKubernetesApi();
    url = await api.start();
    api.serve('postgresql.cnpg.io/v1', 'clusters');
  });
  afterEach(() => api.stop());

  const apply = (body: unknown, options?: Parameters<typeof applyRequest>[2]) =>
    applyRequest(url, body, options);

  it('logs the RBAC verb of every request; an apply that creates also needs create', async () => {
    await fetch(`${url}${CLUSTERS}/orders-db`);
    await apply(cluster({ instances: 1 }), { manager: 'runway' });
    await apply(cluster({ instances: 2 }), { manager: 'runway' });
    await fetch(`${url}${CLUSTERS}`);
    expect(api.takeAuthorizationChecks().map(c => c.verb)).toEqual([
      'get',
      'patch',
      'create',
      'patch',
      'list',
    ]);
  });

  it('answers 403 to what the rules do not grant', async () => {
    const limited = new FakeKubernetesApi({
      rules: [
        {
          apiGroups: ['postgresql.cnpg.io'],
          resources: ['clusters'],
          verbs: ['get', 'patch'],
        },
      ],
    });
    const limitedUrl = await limited.start();
    limited.serve('postgresql.cnpg.io/v1', 'clusters');
    try {
      const res = await fetch(
        `${limitedUrl}${CLUSTERS}/orders-db?fieldManager=runway`,
        {
          method: 'PATCH',
          headers: { 'content-type': APPLY },
          body: JSON.stringify(cluster({ instances: 1 })),
        },
      );
      expect(res.status).toBe(403);
      expect((await res.json()).message).toBe(
        'clusters "orders-db" is forbidden: User "backstage" cannot create resource "clusters" in API group "postgresql.cnpg.io" in the namespace "shop"',
      );
      expect((await fetch(`${limitedUrl}${CLUSTERS}/orders-db`)).status).toBe(
        404,
      );
    } finally {
      await limited.stop();
    }
  });
});
