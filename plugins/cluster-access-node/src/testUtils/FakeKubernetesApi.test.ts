import {
  FakeKubernetesApi,
  FakeObject,
  parseFieldSelector,
  parseLabelSelector,
} from './FakeKubernetesApi';

describe('parseLabelSelector', () => {
  const labels = {
    app: 'orders',
    tier: 'api',
    'backstage.io/kubernetes-id': 'orders-api',
  };
  it.each([
    [null, true],
    ['app=orders', true],
    ['app==orders', true],
    ['app=payments', false],
    ['app!=payments', true],
    ['backstage.io/kubernetes-id=orders-api,tier=api', true],
    ['backstage.io/kubernetes-id=orders-api,tier=db', false],
    ['tier in (api,web)', true],
    ['tier notin (api,web)', false],
    ['tier', true],
    ['!tier', false],
    ['missing', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });
});

describe('parseFieldSelector', () => {
  const object: FakeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'orders', namespace: 'shop' },
  };
  it.each([
    [null, true],
    ['metadata.name=orders', true],
    ['metadata.name==orders', true],
    ['metadata.name=payments', false],
    ['metadata.name!=payments', true],
    ['metadata.name=orders,metadata.namespace=shop', true],
    ['metadata.name=orders,metadata.namespace=other', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseFieldSelector(selector)(object)).toBe(expected);
  });

  it('rejects fields it does not support', () => {
    expect(() => parseFieldSelector('status.phase=Running')).toThrow(
      "unsupported field selector term 'status.phase=Running'",
    );
  });
});

const CLUSTERS = '/apis/postgresql.cnpg.io/v1/namespaces/shop/clusters';
const cluster = (spec: Record<string, unknown>, name = 'orders-db') => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name, namespace: 'shop', labels: { app: 'orders' } },
  spec,
});
const ref = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  namespace: 'shop',
  name: 'orders-db',
};
const APPLY = 'application/apply-patch+yaml';

describe('FakeKubernetesApi', () => {
  let api: FakeKubernetesApi;
  let url: string;

  beforeEach(async () => {
    api = new FakeKubernetesApi();
    url = await api.start();
    api.serve('postgresql.cnpg.io/v1', 'clusters');
  });
  afterEach(() => api.stop());

  const apply = (
    body: unknown,
    options: {
      manager?: string;
      force?: boolean;
      contentType?: string;
      path?: string;
    } = {},
  ) => {
    const query = new URLSearchParams();
    if (options.manager !== undefined)
      query.set('fieldManager', options.manager);
    if (options.force) query.set('force', 'true');
    return fetch(`${url}${options.path ?? `${CLUSTERS}/orders-db`}?${query}`, {
      method: 'PATCH',
      headers: { 'content-type': options.contentType ?? APPLY },
      body: JSON.stringify(body),
    });
  };

  /** The first `count` events of a watch. */
  async function watchEvents(path: string, count: number) {
    const controller = new AbortController();
    const res = await fetch(`${url}${path}`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const events: { type: string; object: FakeObject }[] = [];
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value);
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      events.push(...lines.filter(Boolean).map(l => JSON.parse(l)));
    }
    controller.abort();
    return events;
  }

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

  describe('watch', () => {
    it('sends the events of the object a field selector names, status updates included', async () => {
      const events = watchEvents(
        `${CLUSTERS}?watch=true&fieldSelector=metadata.name%3Dorders-db`,
        2,
      );
      await waitFor(() => api.openWatches === 1);
      api.apply(cluster({ instances: 1 }, 'payments-db'));
      api.apply(cluster({ instances: 1 }));
      api.setStatus(ref, {
        readyInstances: 1,
        phase: 'Cluster in healthy state',
      });
      const received = await events;
      expect(received.map(e => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'orders-db'],
        ['MODIFIED', 'orders-db'],
      ]);
      expect(received[1].object.status).toEqual({
        readyInstances: 1,
        phase: 'Cluster in healthy state',
      });
    });

    it('replays what changed after the resourceVersion it starts from', async () => {
      api.apply(cluster({ instances: 1 }));
      const version = api.get(ref)!.metadata.resourceVersion;
      api.setStatus(ref, { readyInstances: 1 });
      const [event] = await watchEvents(
        `${CLUSTERS}?watch=true&fieldSelector=metadata.name%3Dorders-db&resourceVersion=${version}`,
        1,
      );
      expect(event.type).toBe('MODIFIED');
      expect(event.object.status).toEqual({ readyInstances: 1 });
    });
  });

  describe('authorization', () => {
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

  it('answers configured failures the given number of times', async () => {
    api.fail(
      { method: 'GET', path: /\/clusters\/orders-db$/ },
      { code: 500, reason: 'InternalError', message: 'etcd is down' },
    );
    const failed = await fetch(`${url}${CLUSTERS}/orders-db`);
    expect(failed.status).toBe(500);
    expect((await failed.json()).message).toBe('etcd is down');
    expect((await fetch(`${url}${CLUSTERS}/orders-db`)).status).toBe(404);
  });
});

async function waitFor(check: () => boolean) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('condition not met within 2 s');
}
