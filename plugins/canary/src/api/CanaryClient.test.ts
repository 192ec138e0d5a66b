import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ResponseError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';
import { CanaryClient } from './CanaryClient';
import { oneCluster, progressingRelease } from '../__testUtils__/fixtures';

const baseUrl = 'http://localhost:7007/api/canary';

describe('CanaryClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discoveryApi = { getBaseUrl: jest.fn(async () => baseUrl) };
  const fetchApi = {
    fetch: jest.fn((input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, init),
    ),
  };
  const client = new CanaryClient({ discoveryApi, fetchApi });

  it('GETs /entities/:namespace/:kind/:name from the canary backend', async () => {
    const body = oneCluster(progressingRelease);
    const requests: Request[] = [];
    server.use(
      http.get(`${baseUrl}/entities/*`, ({ request }) => {
        requests.push(request);
        return HttpResponse.json(body);
      }),
    );

    const result = await client.getStatus({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-api',
    });

    expect(result).toEqual(body);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('canary');
    expect(fetchApi.fetch).toHaveBeenCalledTimes(1);
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe('GET');
    expect(requests[0].url).toBe(
      `${baseUrl}/entities/default/Component/orders-api`,
    );
  });

  it('URL-encodes every path segment', async () => {
    const urls: string[] = [];
    server.use(
      http.get(`${baseUrl}/entities/*`, ({ request }) => {
        urls.push(request.url);
        return HttpResponse.json(oneCluster());
      }),
    );

    await client.getStatus({
      kind: 'Component',
      namespace: 'team a',
      name: 'orders/api?x#y',
    });

    expect(new URL(urls[0]).pathname).toBe(
      '/api/canary/entities/team%20a/Component/orders%2Fapi%3Fx%23y',
    );
  });

  it('throws a ResponseError carrying the status on 404', async () => {
    server.use(
      http.get(`${baseUrl}/entities/*`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No entity component:default/missing',
            },
            request: {
              method: 'GET',
              url: '/entities/default/Component/missing',
            },
            response: { statusCode: 404 },
          },
          { status: 404, statusText: 'Not Found' },
        ),
      ),
    );

    const error = await client
      .getStatus({ kind: 'Component', namespace: 'default', name: 'missing' })
      .then(
        () => undefined,
        e => e,
      );

    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(404);
    expect(error.cause.name).toBe('NotFoundError');
    expect(error.cause.message).toBe('No entity component:default/missing');
  });

  it('throws a ResponseError on other failures, even without a JSON body', async () => {
    server.use(
      http.get(
        `${baseUrl}/entities/*`,
        () => new HttpResponse('upstream down', { status: 502 }),
      ),
    );

    await expect(
      client.getStatus({
        kind: 'Component',
        namespace: 'default',
        name: 'orders-api',
      }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 502 });
  });

  it('GETs /entities/:namespace/:kind/:name/databases for the database card', async () => {
    const body = {
      entityRef: 'component:default/orders-api',
      clusters: [{ cluster: 'production', databases: [] }],
    };
    const urls: string[] = [];
    server.use(
      http.get(`${baseUrl}/entities/*`, ({ request }) => {
        urls.push(request.url);
        return HttpResponse.json(body);
      }),
    );
    await expect(
      client.getDatabaseStatus({
        kind: 'Component',
        namespace: 'default',
        name: 'orders-api',
      }),
    ).resolves.toEqual(body);
    expect(urls).toEqual([
      `${baseUrl}/entities/default/Component/orders-api/databases`,
    ]);
  });
});

describe('CanaryClient.runRolloutAction', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const client = new CanaryClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('POSTs …/clusters/:cluster/rollouts/:namespace/:rollout/:action, each segment encoded', async () => {
    const requests: Request[] = [];
    const answer = { action: 'abort', patches: [] };
    server.use(
      http.post(`${baseUrl}/entities/*`, ({ request }) => {
        requests.push(request);
        return HttpResponse.json(answer);
      }),
    );
    const result = await client.runRolloutAction({
      entityRef: {
        kind: 'Component',
        namespace: 'default',
        name: 'orders-api',
      },
      cluster: 'eu west',
      namespace: 'orders',
      rollout: 'orders-api',
      action: 'abort',
    });
    expect(result).toEqual(answer);
    expect(requests.map(r => [r.method, r.url])).toEqual([
      [
        'POST',
        `${baseUrl}/entities/default/Component/orders-api/clusters/eu%20west/rollouts/orders/orders-api/abort`,
      ],
    ]);
  });

  it('rejects with the ResponseError of a refusal', async () => {
    server.use(
      http.post(`${baseUrl}/entities/*`, () =>
        HttpResponse.json(
          // As the backend's error handler answers.
          {
            error: { name: 'NotAllowedError', message: 'You may not' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client
      .runRolloutAction({
        entityRef: { kind: 'Component', namespace: 'default', name: 'x' },
        cluster: 'staging',
        namespace: 'orders',
        rollout: 'x',
        action: 'promote',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(403);
    expect(error.body.error.message).toBe('You may not');
  });
});
