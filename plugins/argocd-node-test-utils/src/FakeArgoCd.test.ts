import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { ArgoObject, FakeArgoCd } from './FakeArgoCd';

const application = (name: string, labels: Record<string, string> = {}) =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, labels },
    spec: { project: 'default', source: { repoURL: 'https://g/o/r' } },
  } satisfies ArgoObject);

describe('FakeArgoCd on a loopback port', () => {
  const argo = new FakeArgoCd({ token: 't' });
  beforeAll(() => argo.start());
  afterAll(() => argo.stop());

  const get = (path: string, token = 't') =>
    fetch(`${argo.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it('lists by label selector, name and project, logging each request', async () => {
    argo.seed(
      application('orders-staging', { 'backstage.io/kubernetes-id': 'orders' }),
      application('orders-production', {
        'backstage.io/kubernetes-id': 'orders',
      }),
      application('payments-staging', {
        'backstage.io/kubernetes-id': 'payments',
      }),
    );
    const response = await get(
      '/api/v1/applications?selector=backstage.io/kubernetes-id%3Dorders',
    );
    expect(response.status).toBe(200);
    const { items } = await response.json();
    expect(items.map((i: ArgoObject) => i.metadata.name)).toEqual([
      'orders-staging',
      'orders-production',
    ]);
    expect(items[0].metadata).toMatchObject({
      namespace: 'argocd',
      uid: 'uid-orders-staging',
    });
    expect(items[0].status).toEqual({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    expect(argo.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/api/v1/applications',
      query: { selector: 'backstage.io/kubernetes-id=orders' },
      authorization: 'Bearer t',
    });
    const byName = await (
      await get('/api/v1/applications?name=payments-staging')
    ).json();
    expect(byName.items.map((i: ArgoObject) => i.metadata.name)).toEqual([
      'payments-staging',
    ]);
  });

  it('answers a missing app 404 with a project, 403 without (Argo CD hides it)', async () => {
    expect(
      (await get('/api/v1/applications/nope?project=default')).status,
    ).toBe(404);
    const hidden = await get('/api/v1/applications/nope');
    expect(hidden.status).toBe(403);
    expect(await hidden.json()).toEqual({
      error: 'permission denied',
      code: 7,
      message: 'permission denied',
    });
  });

  it('serves revision metadata of a known app', async () => {
    const response = await get(
      '/api/v1/applications/orders-staging/revisions/5e1f0c2a9b/metadata',
    );
    expect(await response.json()).toMatchObject({ message: 'Release 5e1f0c2' });
  });

  it('refuses a wrong token with 401', async () => {
    const response = await get('/api/v1/applications', 'wrong');
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe(16);
  });
});

describe('FakeArgoCd through msw', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const URL = 'https://argocd.example.com';
  let argo: FakeArgoCd;
  beforeEach(() => {
    argo = new FakeArgoCd({ url: URL, token: 't' });
    server.use(...argo.handlers());
  });

  const post = (body: unknown, query = '') =>
    fetch(`${URL}/api/v1/applications${query}`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: JSON.stringify(body),
    });

  it('creates, answers the same spec with the existing app, refuses another spec unless upsert', async () => {
    const created = await (await post(application('a'))).json();
    expect(created.metadata.resourceVersion).toBe('1');
    expect((await (await post(application('a'))).json()).metadata).toEqual(
      created.metadata,
    );
    const changed = {
      ...application('a'),
      spec: { project: 'default', source: { repoURL: 'https://g/o/other' } },
    };
    const refused = await post(changed);
    expect(refused.status).toBe(400);
    expect((await refused.json()).message).toBe(
      'existing application spec is different, use upsert flag to force update',
    );
    expect((await post(changed, '?upsert=true')).status).toBe(200);
    expect(argo.applications.get('a')?.spec).toEqual(changed.spec);
    expect(argo.writes.map(r => r.query)).toEqual([
      {},
      {},
      {},
      { upsert: 'true' },
    ]);
  });

  it('refuses an app in a project that does not exist', async () => {
    const response = await post({
      ...application('a'),
      spec: { project: 'team' },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(
      'app is not allowed in project "team", or the project does not exist',
    );
  });

  it('serves injected failures first, one per request, and forbids when asked', async () => {
    argo.failures.push(503);
    const failed = await post(application('a'));
    expect(failed.status).toBe(503);
    expect((await post(application('a'))).status).toBe(200);
    argo.forbidden = true;
    expect((await post(application('b'))).status).toBe(403);
    expect([...argo.applications.keys()]).toEqual(['a']);
  });
});
