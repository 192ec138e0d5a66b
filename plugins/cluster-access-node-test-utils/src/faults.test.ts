import { FakeKubernetesApi } from './FakeKubernetesApi';
import { cluster, CLUSTERS } from './__testUtils__/fixtures';
import { waitFor, watchEvents } from './__testUtils__/http';

describe('FakeKubernetesApi faults', () => {
  let api: FakeKubernetesApi;
  let url: string;

  beforeEach(async () => {
    api = new FakeKubernetesApi({ token: 'secret' });
    url = await api.start();
    api.apply(cluster({ instances: 1 }));
  });
  afterEach(() => api.stop());

  const auth = { headers: { authorization: 'Bearer secret' } };

  it('answers configured failures the given number of times, only to matching requests', async () => {
    api.fail(
      { method: 'GET', path: /\/clusters\/orders-db$/ },
      { code: 500, reason: 'InternalError', message: 'etcd is down' },
      2,
    );
    api.fail(
      { watch: true },
      { code: 429, reason: 'TooManyRequests', message: 'slow down' },
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}${CLUSTERS}/orders-db`, auth);
      statuses.push([res.status, (await res.json()).message ?? 'ok']);
    }
    expect(statuses).toEqual([
      [500, 'etcd is down'],
      [500, 'etcd is down'],
      [200, 'ok'],
    ]);
    expect((await fetch(`${url}${CLUSTERS}`, auth)).status).toBe(200);
    const watch = await fetch(`${url}${CLUSTERS}?watch=true`, auth);
    expect([watch.status, (await watch.json()).reason]).toEqual([
      429,
      'TooManyRequests',
    ]);
  });

  it('holds requests it is told to delay', async () => {
    api.delay({ path: CLUSTERS }, 300);
    const order: string[] = [];
    await Promise.all([
      fetch(`${url}${CLUSTERS}`, auth).then(() => order.push('list')),
      new Promise(r => setTimeout(r, 100)).then(() => order.push('100 ms')),
    ]);
    expect(order).toEqual(['100 ms', 'list']);
  });

  it('cuts open watches, as a dropped connection does', async () => {
    const { events, opened } = watchEvents(
      `${url}${CLUSTERS}?watch=true&resourceVersion=${api.resourceVersion}`,
      1,
      auth,
    );
    await opened;
    await waitFor(() => api.openWatches === 1);
    api.dropWatches();
    await expect(events).rejects.toThrow();
    expect(api.openWatches).toBe(0);
  });

  it('answers 401 without the token, and 403 to everything in forbidden mode', async () => {
    const res = await fetch(`${url}${CLUSTERS}`);
    expect([res.status, (await res.json()).reason]).toEqual([
      401,
      'Unauthorized',
    ]);
    const forbidden = new FakeKubernetesApi({ forbidden: true });
    const forbiddenUrl = await forbidden.start();
    try {
      const denied = await fetch(`${forbiddenUrl}${CLUSTERS}`);
      expect([denied.status, (await denied.json()).message]).toEqual([
        403,
        `forbidden: User "backstage" cannot access ${CLUSTERS}`,
      ]);
    } finally {
      await forbidden.stop();
    }
  });
});
