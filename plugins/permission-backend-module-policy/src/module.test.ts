import permissionBackend from '@backstage/plugin-permission-backend';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { canaryRolloutPromotePermission } from '@runway/plugin-canary-common';
import { permissionModuleRunwayPolicy } from './module';

describe('permissionModuleRunwayPolicy', () => {
  // Only the catalog's endpoint is faked; the test's own calls reach the backend.
  const catalog = setupServer();
  beforeAll(() => catalog.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => catalog.close());

  it('installs the policy in the permission backend', async () => {
    // The catalog resolves conditions on entities; here it answers as for a non-owner.
    const applied: unknown[] = [];
    catalog.use(
      http.post(
        /\/api\/catalog\/\.well-known\/backstage\/permissions\/apply-conditions$/,
        async ({ request: req }) => {
          const body = (await req.json()) as { items: Array<{ id: string }> };
          applied.push(...body.items);
          return HttpResponse.json({
            items: body.items.map(i => ({ id: i.id, result: 'DENY' })),
          });
        },
      ),
    );
    const { server } = await startTestBackend({
      features: [
        permissionBackend,
        permissionModuleRunwayPolicy,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            // The test backend's users own only their own ref (no groups).
            runway: { permissions: { platformTeams: ['user:default/pat'] } },
          },
        }),
      ],
    });
    const authorize = (user: string, id: string) =>
      request(server)
        .post('/api/permission/authorize')
        .set('authorization', mockCredentials.user.header(user))
        .send({
          items: [
            {
              id,
              permission: canaryRolloutPromotePermission,
              resourceRef: 'component:default/orders-api',
            },
          ],
        });

    // A platform team member: allowed outright, without asking the catalog.
    const platform = await authorize('user:default/pat', 'a');
    expect(platform.status).toBe(200);
    expect(platform.body).toEqual({ items: [{ id: 'a', result: 'ALLOW' }] });
    expect(applied).toEqual([]);

    // Anyone else: as the entity's owner only, which the catalog decides for the entity.
    const other = await authorize('user:default/eve', 'b');
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ items: [{ id: 'b', result: 'DENY' }] });
    expect(applied).toEqual([
      {
        id: expect.any(String),
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceRef: 'component:default/orders-api',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/eve'] },
        },
      },
    ]);
  });
});
