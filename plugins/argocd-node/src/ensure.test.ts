import { ConflictError, NotFoundError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgoCdClient } from './ArgoCdClient';
import { ensureApplication, ensureProject } from './ensure';
import { Application } from './types';
import { buildApplications, buildAppProject } from './__testUtils__/build';

const BASE = 'https://argocd.example.com';
const client = new ArgoCdClient({
  instance: {
    name: 'main',
    url: BASE,
    timeoutMs: 1000,
    maxAttempts: 1,
    hasToken: true,
  },
  token: 't',
});

const input = {
  appName: 'orders-api',
  repoUrl: 'https://github.com/example-org/orders-api.git',
  environments: [{ name: 'staging' }],
};
const [desired] = buildApplications(input);

function served(application: Application): Application {
  return {
    ...structuredClone(application),
    metadata: {
      ...structuredClone(application.metadata),
      namespace: 'argocd',
      resourceVersion: '42',
      annotations: { note: 'kept' },
      labels: { ...application.metadata.labels, extra: 'kept' },
    },
    status: { sync: { status: 'Synced' } },
  };
}

type Seen = { method: string; path: string; query: string; body?: unknown };

describe('ensureApplication and ensureProject', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let seen: Seen[];

  beforeEach(() => {
    seen = [];
  });

  function argo(routes: {
    existingApp?: Application;
    existingProject?: boolean;
  }) {
    const record = async (request: Request) => {
      const url = new URL(request.url);
      const text = await request.text();
      seen.push({
        method: request.method,
        path: url.pathname,
        query: url.search,
        ...(text && { body: JSON.parse(text) }),
      });
    };
    server.use(
      http.get(`${BASE}/api/v1/applications/:name`, async ({ request }) => {
        await record(request);
        return routes.existingApp
          ? HttpResponse.json(routes.existingApp)
          : HttpResponse.json({ code: 5 }, { status: 404 });
      }),
      http.post(`${BASE}/api/v1/applications`, async ({ request }) => {
        await record(request);
        return HttpResponse.json(desired);
      }),
      http.put(`${BASE}/api/v1/applications/:name`, async ({ request }) => {
        await record(request);
        return HttpResponse.json(desired);
      }),
      http.get(`${BASE}/api/v1/projects/:name`, async ({ request }) => {
        await record(request);
        return routes.existingProject
          ? HttpResponse.json({ metadata: { name: 'orders' }, spec: {} })
          : HttpResponse.json({ code: 5 }, { status: 404 });
      }),
      http.post(`${BASE}/api/v1/projects`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({});
      }),
    );
  }

  it('creates a missing Application', async () => {
    argo({});
    await expect(ensureApplication(client, desired)).resolves.toEqual({
      name: 'orders-api-staging',
      status: 'created',
      differences: [],
    });
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/api/v1/applications/orders-api-staging',
        query: '?project=default',
      },
      {
        method: 'POST',
        path: '/api/v1/applications',
        query: '',
        body: desired,
      },
    ]);
  });

  it('leaves an Application with the same spec alone', async () => {
    argo({ existingApp: served(desired) });
    await expect(ensureApplication(client, desired)).resolves.toEqual({
      name: 'orders-api-staging',
      status: 'unchanged',
      differences: [],
    });
    expect(seen.map(s => s.method)).toEqual(['GET']);
  });

  it('refuses a different spec without upsert, naming the app and the fields, writing nothing', async () => {
    const existing = served(desired);
    existing.spec.source!.targetRevision = 'v1';
    existing.spec.destination.namespace = 'legacy';
    argo({ existingApp: existing });
    const result = ensureApplication(client, desired);
    await expect(result).rejects.toThrow(ConflictError);
    await expect(result).rejects.toThrow(
      "Argo CD Application 'orders-api-staging' already exists on instance 'main' with a different spec (differs in spec.destination.namespace, spec.source.targetRevision); nothing was changed. Set upsert: true to update it, or choose another appName",
    );
    expect(seen.every(s => s.method === 'GET')).toBe(true);
  });

  it('updates a different spec with upsert, keeping what others set', async () => {
    const existing = served(desired);
    existing.spec.source!.targetRevision = 'v1';
    existing.spec.project = 'legacy';
    argo({ existingApp: existing });
    await expect(
      ensureApplication(client, desired, { upsert: true }),
    ).resolves.toEqual({
      name: 'orders-api-staging',
      status: 'updated',
      differences: ['spec.project', 'spec.source.targetRevision'],
    });
    const put = seen.find(s => s.method === 'PUT')!;
    expect(put.path).toBe('/api/v1/applications/orders-api-staging');
    expect(put.query).toBe('?project=legacy');
    expect(put.body).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        ...existing.metadata,
        labels: {
          'backstage.io/kubernetes-id': 'orders-api',
          extra: 'kept',
        },
      },
      spec: desired.spec,
    });
  });

  const project = buildAppProject({ ...input, project: 'orders' });

  it('uses an existing AppProject as it is', async () => {
    argo({ existingProject: true });
    await expect(
      ensureProject(client, project, { create: true }),
    ).resolves.toEqual({ name: 'orders', status: 'unchanged' });
    expect(seen.map(s => `${s.method} ${s.path}`)).toEqual([
      'GET /api/v1/projects/orders',
    ]);
  });

  it('creates a missing AppProject when asked to', async () => {
    argo({});
    await expect(
      ensureProject(client, project, { create: true }),
    ).resolves.toEqual({ name: 'orders', status: 'created' });
    expect(seen[1]).toEqual({
      method: 'POST',
      path: '/api/v1/projects',
      query: '',
      body: { project, upsert: false },
    });
  });

  it('says how to fix a missing AppProject otherwise', async () => {
    argo({});
    const result = ensureProject(client, project, { create: false });
    await expect(result).rejects.toThrow(NotFoundError);
    await expect(result).rejects.toThrow(
      "AppProject 'orders' does not exist on Argo CD instance 'main': create it in Argo CD, choose an existing project, or set createProject: true to let Runway create it",
    );
    expect(seen.map(s => s.method)).toEqual(['GET']);
  });
});
