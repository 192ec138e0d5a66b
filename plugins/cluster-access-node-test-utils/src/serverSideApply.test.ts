import { FakeKubernetesApi } from './FakeKubernetesApi';
import {
  applyRequest,
  APPLY,
  CLUSTERS,
  cluster,
  ref,
} from './__testUtils__/fixtures';

describe('FakeKubernetesApi writes and reads', () => {
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

  describe('get', () => {
    it('serves one object by name, cluster-scoped ones (namespaces) included', async () => {
      api.apply(cluster({ instances: 1 }), {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop' },
      });
      const res = await fetch(`${url}${CLUSTERS}/orders-db`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        metadata: { name: 'orders-db', namespace: 'shop' },
        spec: { instances: 1 },
      });
      expect(
        api
          .list('postgresql.cnpg.io/v1', 'Cluster', 'shop')
          .map(o => o.metadata.name),
      ).toEqual(['orders-db']);
      expect(api.list('postgresql.cnpg.io/v1', 'Cluster', 'other')).toEqual([]);
      const ns = await fetch(`${url}/api/v1/namespaces/shop`);
      expect(ns.status).toBe(200);
      expect((await ns.json()).metadata.name).toBe('shop');
    });

    it('answers 404 with the object name for a missing object, without one for an unserved resource', async () => {
      const missing = await fetch(`${url}${CLUSTERS}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({
        reason: 'NotFound',
        message: 'clusters.postgresql.cnpg.io "nope" not found',
        details: { name: 'nope', group: 'postgresql.cnpg.io' },
      });
      const unserved = await fetch(
        `${url}/apis/barmancloud.cnpg.io/v1/namespaces/shop/objectstores/x`,
      );
      expect(unserved.status).toBe(404);
      expect((await unserved.json()).details).toBeUndefined();
    });
  });

  describe('server-side apply', () => {
    it('creates the object, records the request and the field manager', async () => {
      const res = await apply(cluster({ instances: 1 }), { manager: 'runway' });
      expect(res.status).toBe(201);
      const created = await res.json();
      expect(created.metadata).toMatchObject({
        name: 'orders-db',
        namespace: 'shop',
        generation: 1,
        managedFields: [
          {
            manager: 'runway',
            operation: 'Apply',
            apiVersion: 'postgresql.cnpg.io/v1',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:instances': {} },
            },
          },
        ],
      });
      expect(api.requests).toEqual([
        {
          method: 'PATCH',
          path: `${CLUSTERS}/orders-db`,
          query: '?fieldManager=runway',
          contentType: APPLY,
          body: cluster({ instances: 1 }),
        },
      ]);
      expect(api.get(ref)?.spec).toEqual({ instances: 1 });
    });

    it('changes nothing when the same configuration is applied again', async () => {
      await apply(cluster({ instances: 1 }), { manager: 'runway' });
      const before = api.get(ref);
      const res = await apply(cluster({ instances: 1 }), { manager: 'runway' });
      expect(res.status).toBe(200);
      expect(api.get(ref)).toEqual(before);
    });

    it('updates changed fields, bumps the generation and drops fields no longer applied', async () => {
      await apply(cluster({ instances: 1, enablePDB: false }), {
        manager: 'runway',
      });
      await apply(cluster({ instances: 3 }), { manager: 'runway' });
      const obj = api.get(ref)!;
      expect(obj.spec).toEqual({ instances: 3 });
      expect(obj.metadata.generation).toBe(2);
    });

    it('keeps status when applying (status is not part of an apply)', async () => {
      await apply(cluster({ instances: 1 }), { manager: 'runway' });
      api.setStatus(ref, { readyInstances: 1 });
      await apply(
        { ...cluster({ instances: 1 }), status: { readyInstances: 0 } },
        { manager: 'runway' },
      );
      expect(api.get(ref)?.status).toEqual({ readyInstances: 1 });
    });

    it('answers 409 naming the fields another manager owns with another value', async () => {
      api.apply({
        ...cluster({ instances: 1 }),
        metadata: {
          ...cluster({}).metadata,
          managedFields: [
            {
              manager: 'kubectl',
              operation: 'Update',
              apiVersion: 'postgresql.cnpg.io/v1',
              fieldsType: 'FieldsV1',
              fieldsV1: { 'f:spec': { 'f:instances': {} } },
            },
          ],
        },
      });
      const res = await apply(cluster({ instances: 3 }), { manager: 'runway' });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({
        reason: 'Conflict',
        message:
          'Apply failed with 1 conflict: conflict with "kubectl" using postgresql.cnpg.io/v1: .spec.instances',
        details: {
          causes: [
            {
              type: 'FieldManagerConflict',
              message: 'conflict with "kubectl" using postgresql.cnpg.io/v1',
              field: '.spec.instances',
            },
          ],
        },
      });
      expect(api.get(ref)?.spec).toEqual({ instances: 1 });

      // The same value is no conflict (shared ownership); force takes the field over.
      expect(
        (await apply(cluster({ instances: 1 }), { manager: 'runway' })).status,
      ).toBe(200);
      const forced = await apply(cluster({ instances: 3 }), {
        manager: 'runway',
        force: true,
      });
      expect(forced.status).toBe(200);
      expect(api.get(ref)?.spec).toEqual({ instances: 3 });
    });

    it.each([
      [
        'another patch type',
        { contentType: 'application/merge-patch+json', manager: 'runway' },
        415,
      ],
      ['no field manager', {}, 400],
      [
        'a body for another name',
        { manager: 'runway', path: `${CLUSTERS}/other` },
        400,
      ],
    ])('rejects %s', async (_, options, code) => {
      const res = await apply(cluster({ instances: 1 }), options);
      expect(res.status).toBe(code);
      expect(api.get(ref)).toBeUndefined();
    });

    it('refuses to create in a missing namespace when namespaces are required', async () => {
      const strict = new FakeKubernetesApi({ requireNamespaces: true });
      const strictUrl = await strict.start();
      strict.serve('postgresql.cnpg.io/v1', 'clusters');
      try {
        const res = await fetch(
          `${strictUrl}${CLUSTERS}/orders-db?fieldManager=runway`,
          {
            method: 'PATCH',
            headers: { 'content-type': APPLY },
            body: JSON.stringify(cluster({ instances: 1 })),
          },
        );
        expect(res.status).toBe(404);
        expect((await res.json()).message).toBe('namespaces "shop" not found');
      } finally {
        await strict.stop();
      }
    });
  });

  describe('create', () => {
    it('creates a namespace by POST, once', async () => {
      const post = () =>
        fetch(`${url}/api/v1/namespaces?fieldManager=runway`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'shop' },
          }),
        });
      const res = await post();
      expect(res.status).toBe(201);
      expect((await res.json()).metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'runway', operation: 'Update' }),
      ]);
      expect((await post()).status).toBe(409);
      expect(
        api.get({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' })?.metadata
          .name,
      ).toBe('shop');
    });
  });
});
