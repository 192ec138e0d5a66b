import { FakeKubernetesApi } from './FakeKubernetesApi';
import { cluster, CLUSTERS } from './__testUtils__/fixtures';

// What the fake answers before it serves anything: the token, the forbidden mode, and the
// writes it does not serve (writes are tested against @runway/control-plane).
describe('FakeKubernetesApi access', () => {
  const apis: FakeKubernetesApi[] = [];
  const start = async (
    options: ConstructorParameters<typeof FakeKubernetesApi>[0],
  ) => {
    const api = new FakeKubernetesApi(options);
    apis.push(api);
    const url = await api.start();
    api.apply(cluster({ instances: 1 }));
    return { api, url };
  };
  afterEach(async () => {
    await Promise.all(apis.splice(0).map(a => a.stop()));
  });

  it.each([
    {
      what: 'the right token',
      options: { token: 't' },
      authorization: 'Bearer t',
      status: 200,
      reason: undefined,
    },
    {
      what: 'a wrong token',
      options: { token: 't' },
      authorization: 'Bearer x',
      status: 401,
      reason: 'Unauthorized',
    },
    {
      what: 'no token',
      options: { token: 't' },
      authorization: undefined,
      status: 401,
      reason: 'Unauthorized',
    },
    {
      what: 'any token without a required one',
      options: {},
      authorization: 'Bearer x',
      status: 200,
      reason: undefined,
    },
    {
      what: 'the forbidden mode',
      options: { token: 't', forbidden: true },
      authorization: 'Bearer t',
      status: 403,
      reason: 'Forbidden',
    },
  ])(
    'a read with $what: $status',
    async ({ options, authorization, status, reason }) => {
      const { url } = await start(options);
      const res = await fetch(`${url}${CLUSTERS}/orders-db`, {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject(
        reason
          ? { kind: 'Status', reason }
          : { metadata: { name: 'orders-db' } },
      );
    },
  );

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'refuses a %s with 405 naming where writes are tested, and changes nothing',
    async method => {
      const { api, url } = await start({});
      const before = api.resourceVersion;
      const res = await fetch(
        `${url}${CLUSTERS}${method === 'POST' ? '' : '/orders-db'}`,
        { method, body: method === 'DELETE' ? undefined : '{}' },
      );
      expect(res.status).toBe(405);
      expect(await res.json()).toMatchObject({
        reason: 'MethodNotAllowed',
        message: expect.stringContaining(
          'serves reads only: test writes against @runway/control-plane',
        ),
      });
      expect(api.resourceVersion).toBe(before);
      expect(api.takeRequests().map(r => r.method)).toEqual([method]);
    },
  );
});
