import { FakeKubernetesApi } from './FakeKubernetesApi';
import { cluster, CLUSTERS, ref } from './__testUtils__/fixtures';
import { waitFor, watchEvents } from './__testUtils__/http';

const names = (items: { metadata: { name: string } }[]) =>
  items.map(i => i.metadata.name);

describe('FakeKubernetesApi list and watch', () => {
  let api: FakeKubernetesApi;
  let url: string;

  beforeEach(async () => {
    api = new FakeKubernetesApi({ historyLimit: 50 });
    url = await api.start();
    api.serve('postgresql.cnpg.io/v1', 'clusters');
  });
  afterEach(() => api.stop());

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: await res.json() };
  };

  describe('list', () => {
    it('pages with limit and continue, every page from the first one’s snapshot', async () => {
      api.apply(
        ...['e', 'c', 'a', 'd', 'b'].map(n => cluster({}, `${n}-db`)),
        // another namespace and another kind: not listed here
        {
          ...cluster({}, 'x-db'),
          metadata: { name: 'x-db', namespace: 'other' },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'a', namespace: 'shop' },
        },
      );
      const first = await get(`${CLUSTERS}?limit=2`);
      expect(names(first.body.items)).toEqual(['a-db', 'b-db']);
      expect(first.body.metadata).toEqual({
        resourceVersion: api.resourceVersion,
        continue: expect.any(String),
        remainingItemCount: 3,
      });
      // A change after the first page is not in the later pages: they come from the snapshot.
      api.remove({ ...ref, name: 'c-db' });
      const second = await get(
        `${CLUSTERS}?limit=2&continue=${first.body.metadata.continue}`,
      );
      expect(names(second.body.items)).toEqual(['c-db', 'd-db']);
      expect(second.body.metadata.resourceVersion).toBe(
        first.body.metadata.resourceVersion,
      );
      const last = await get(
        `${CLUSTERS}?limit=2&continue=${second.body.metadata.continue}`,
      );
      expect(names(last.body.items)).toEqual(['e-db']);
      expect(last.body.metadata.continue).toBeUndefined();
      // Without a limit, one list of everything as it is now.
      expect(names((await get(CLUSTERS)).body.items)).toEqual([
        'a-db',
        'b-db',
        'd-db',
        'e-db',
      ]);
      expect(
        names((await get('/apis/postgresql.cnpg.io/v1/clusters')).body.items),
        // in key order: namespace, then name
      ).toEqual(['x-db', 'a-db', 'b-db', 'd-db', 'e-db']);
    });

    it('answers 410 Expired for a continue token older than a compaction', async () => {
      api.apply(cluster({}, 'a-db'), cluster({}, 'b-db'));
      const first = await get(`${CLUSTERS}?limit=1`);
      api.apply(cluster({ instances: 2 }, 'a-db'));
      api.compact();
      const next = await get(
        `${CLUSTERS}?limit=1&continue=${first.body.metadata.continue}`,
      );
      expect(next.status).toBe(410);
      expect(next.body).toMatchObject({ kind: 'Status', reason: 'Expired' });
      expect((await get(`${CLUSTERS}?limit=1&continue=bogus`)).status).toBe(
        400,
      );
    });

    it('filters by label selector and answers 404 for a resource it does not serve', async () => {
      api.apply(cluster({}, 'a-db'), {
        ...cluster({}, 'b-db'),
        metadata: {
          name: 'b-db',
          namespace: 'shop',
          labels: { app: 'payments' },
        },
      });
      const res = await get(`${CLUSTERS}?labelSelector=app%20in%20(payments)`);
      expect(names(res.body.items)).toEqual(['b-db']);
      const missing = await get('/apis/argoproj.io/v1alpha1/rollouts');
      expect(missing).toEqual({
        status: 404,
        body: expect.objectContaining({
          message:
            'the server could not find the requested resource (rollouts)',
        }),
      });
    });
  });

  describe('watch', () => {
    it('sends the events of the object a field selector names, status updates included', async () => {
      const { events, opened } = watchEvents(
        `${url}${CLUSTERS}?watch=true&fieldSelector=metadata.name%3Dorders-db&resourceVersion=${api.resourceVersion}`,
        2,
      );
      await opened;
      await waitFor(() => api.openWatches === 1);
      api.apply(cluster({ instances: 1 }, 'payments-db'));
      api.apply(cluster({ instances: 1 }));
      api.setStatus(ref, { readyInstances: 1 });
      const received = await events;
      expect(received.map(e => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'orders-db'],
        ['MODIFIED', 'orders-db'],
      ]);
      expect(received[1].object.status).toEqual({ readyInstances: 1 });
    });

    it('replays every change after the resourceVersion it starts from, deletions included', async () => {
      api.apply(cluster({ instances: 1 }), cluster({}, 'old-db'));
      const version = api.resourceVersion;
      api.setStatus(ref, { readyInstances: 1 });
      api.remove({ ...ref, name: 'old-db' });
      api.apply(cluster({}, 'new-db'));
      const received = await watchEvents(
        `${url}${CLUSTERS}?watch=true&resourceVersion=${version}`,
        3,
      ).events;
      expect(
        received.map(e => [
          e.type,
          e.object.metadata.name,
          e.object.metadata.resourceVersion,
        ]),
      ).toEqual([
        ['MODIFIED', 'orders-db', String(Number(version) + 1)],
        ['DELETED', 'old-db', String(Number(version) + 2)],
        ['ADDED', 'new-db', String(Number(version) + 3)],
      ]);
    });

    it('starts with the current objects as ADDED without a resourceVersion', async () => {
      api.apply(cluster({}, 'a-db'));
      const [event] = await watchEvents(`${url}${CLUSTERS}?watch=true`, 1)
        .events;
      expect([event.type, event.object.metadata.name]).toEqual([
        'ADDED',
        'a-db',
      ]);
    });

    it('tells a label-filtered watch when an object starts or stops matching', async () => {
      const { events, opened } = watchEvents(
        `${url}${CLUSTERS}?watch=true&labelSelector=tier%3Ddb&resourceVersion=${api.resourceVersion}`,
        2,
      );
      await opened;
      await waitFor(() => api.openWatches === 1);
      const tiered = (tier: string) => ({
        ...cluster({}),
        metadata: { name: 'orders-db', namespace: 'shop', labels: { tier } },
      });
      api.apply(tiered('db'), tiered('cache'), tiered('other'));
      const received = await events;
      expect(received.map(e => e.type)).toEqual(['ADDED', 'DELETED']);
    });

    it('answers a resourceVersion older than its history with an ERROR event carrying 410 Gone, then ends', async () => {
      api.apply(cluster({}));
      const old = api.resourceVersion;
      api.setStatus(ref, { readyInstances: 1 });
      api.setStatus(ref, { readyInstances: 2 });
      api.compact();
      const received = await watchEvents(
        `${url}${CLUSTERS}?watch=true&resourceVersion=${old}`,
        5,
      ).events;
      expect(received).toEqual([
        {
          type: 'ERROR',
          object: expect.objectContaining({
            kind: 'Status',
            code: 410,
            reason: 'Expired',
            message: `too old resource version: ${old} (${Number(old) + 3})`,
          }),
        },
      ]);
      expect(api.openWatches).toBe(0);
    });

    it('forgets history beyond historyLimit changes', async () => {
      api.apply(cluster({}));
      const old = api.resourceVersion;
      for (let i = 0; i < 60; i++) api.setStatus(ref, { readyInstances: i });
      const [event] = await watchEvents(
        `${url}${CLUSTERS}?watch=true&resourceVersion=${old}`,
        1,
      ).events;
      expect(event.object.code).toBe(410);
    });

    it('sends bookmarks at the latest resourceVersion to watches that allow them', async () => {
      api.apply(cluster({}));
      const start = api.resourceVersion;
      const withBookmarks = watchEvents(
        `${url}${CLUSTERS}?watch=true&allowWatchBookmarks=true&resourceVersion=${start}`,
        1,
      );
      const without = watchEvents(
        `${url}${CLUSTERS}?watch=true&resourceVersion=${start}`,
        1,
      );
      await Promise.all([withBookmarks.opened, without.opened]);
      await waitFor(() => api.openWatches === 2);
      // Changes elsewhere move the resourceVersion without an event here.
      api.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'elsewhere', namespace: 'shop' },
      });
      api.bookmark();
      expect(await withBookmarks.events).toEqual([
        {
          type: 'BOOKMARK',
          object: {
            kind: 'Bookmark',
            apiVersion: 'postgresql.cnpg.io/v1',
            metadata: { resourceVersion: api.resourceVersion },
          },
        },
      ]);
      api.endWatches();
      expect(await without.events).toEqual([]);
    });

    it('ends a watch after its timeoutSeconds', async () => {
      const { events } = watchEvents(
        `${url}${CLUSTERS}?watch=true&timeoutSeconds=1&resourceVersion=${api.resourceVersion}`,
        1,
      );
      expect(await events).toEqual([]);
      expect(api.openWatches).toBe(0);
    });
  });
});
