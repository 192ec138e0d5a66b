import { mockCredentials } from '@backstage/backend-test-utils';
import {
  buildApplications,
  resolveApplicationsInput,
} from '@runway/plugin-argocd-node';
import {
  ArgoObject,
  FakeArgoCd,
  FakeGitHub,
  fakePromotableCommit,
} from '@runway/plugin-argocd-node-test-utils';
import { setupServer } from 'msw/node';
import request from 'supertest';
import yaml from 'yaml';
import {
  componentEntity,
  NON_OWNER,
  OWNER,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';

const ARGO = 'https://argocd.example.com';
const OLD = '1f'.repeat(20);
const NEW = '2e'.repeat(20);
const PATH = '/api/canary/entities/default/component/orders-api/promotion';

const argocdConfig = {
  integrations: { github: [{ host: 'github.com', token: 'gh-token' }] },
  argocd: { instances: [{ name: 'main', url: ARGO, token: 'argo-token' }] },
};

const [stagingApp, productionApp] = buildApplications(
  resolveApplicationsInput({
    appName: 'orders-api',
    repoUrl: 'https://github.com/example-org/orders-api.git',
    targetRevision: 'main',
    environments: [
      { name: 'staging' },
      { name: 'production', targetRevision: OLD },
    ],
  }),
);

describe('staging → production promotion routes', () => {
  // The backend runs in this process: msw answers its Argo CD and GitHub calls, and lets
  // supertest's calls to the backend through.
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  let argo: FakeArgoCd;
  let github: FakeGitHub;
  let started: Awaited<ReturnType<typeof startActionsBackend>>;

  async function start(config: Record<string, unknown> = argocdConfig) {
    started = await startActionsBackend({
      entities: [componentEntity('orders-api')],
      config,
    });
    return started;
  }
  afterEach(async () => started?.backend.stop());

  beforeEach(() => {
    ({ argo, github } = fakePromotableCommit({
      argocd: { url: ARGO, token: 'argo-token' },
      github: { owner: 'example-org', repo: 'orders-api', token: 'gh-token' },
      staging: stagingApp as ArgoObject,
      production: productionApp as ArgoObject,
      previous: OLD,
      commit: NEW,
    }));
    server.use(...argo.handlers(), ...github.handlers());
  });

  const get = (as = OWNER) =>
    request(started.backend.server)
      .get(PATH)
      .set('authorization', mockCredentials.user.header(as));
  const post = (commit: string, as = OWNER) =>
    request(started.backend.server)
      .post(PATH)
      .set('authorization', mockCredentials.user.header(as))
      .send({ commit });
  const production = () =>
    argo.applications.get('orders-api-production')!.spec.source.targetRevision;

  it('GET: staging’s commit and every gate’s verdict, without a write', async () => {
    await start();
    const res = await get(NON_OWNER);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      state: 'ready',
      appName: 'orders-api',
      instance: 'main',
      from: 'staging',
      to: 'production',
      application: 'orders-api-production',
      candidate: NEW,
      currentRevision: OLD,
      gates: [
        expect.objectContaining({ gate: 'source-synced', passed: true }),
        expect.objectContaining({ gate: 'source-healthy', passed: true }),
        expect.objectContaining({ gate: 'rollout-promoted', passed: true }),
        expect.objectContaining({ gate: 'ci-succeeded', passed: true }),
        expect.objectContaining({ gate: 'verification-passed', passed: true }),
        expect.objectContaining({ gate: 'not-older', passed: true }),
      ],
    });
    expect(argo.writes).toEqual([]);
    expect(started.audit).toEqual([]);
    // Staging's Application is read once, production's once.
    expect(argo.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/applications/orders-api-staging',
      'GET /api/v1/applications/orders-api-production',
    ]);
  });

  it('GET: a failing gate is blocked with its message', async () => {
    github.statuses.delete(NEW);
    await start();
    const res = await get();
    expect(res.body.state).toBe('blocked');
    expect(res.body.gates.filter((g: any) => !g.passed)).toEqual([
      {
        gate: 'verification-passed',
        passed: false,
        message:
          "commit 2e2e2e2e2e2e has no 'runway/staging-verification' status: the staging verification has not run for it",
      },
    ]);
  });

  it('POST by an owner, all gates passing: promoted with exactly one write, audited', async () => {
    await start();
    const res = await post(NEW);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'promoted',
      application: 'orders-api-production',
      commit: NEW,
      previousRevision: OLD,
    });
    expect(production()).toBe(NEW);
    expect(argo.writes.map(r => [r.method, r.path])).toEqual([
      ['PUT', '/api/v1/applications/orders-api-production'],
    ]);
    expect(started.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'canary.environment.promote',
          }),
          resourceRef: 'component:default/orders-api',
        },
      ],
      expect.anything(),
    );
    expect(started.audit).toHaveLength(1);
    expect(started.audit[0]).toMatchObject({
      options: {
        eventId: 'environment-promotion',
        meta: {
          action: 'promote-to-production',
          entityRef: 'component:default/orders-api',
          appName: 'orders-api',
          commit: NEW,
          permission: 'canary.environment.promote',
        },
      },
      outcome: 'success',
      meta: { outcome: 'promoted', previousRevision: OLD },
    });
    expect(
      JSON.stringify(
        started.audit.map(e => [e.options.meta, e.meta, e.error?.message]),
      ),
    ).not.toMatch(/gh-token|argo-token/);

    const again = await post(NEW);
    expect(again.body.status).toBe('unchanged');
    expect(argo.writes).toHaveLength(1);
  });

  it('POST with a failing gate: 409 naming it, zero writes, audited as refused', async () => {
    github.checkRuns.set(NEW, [
      { name: 'Test', status: 'completed', conclusion: 'failure' },
    ]);
    await start();
    const res = await post(NEW);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'ci-succeeded: CI did not succeed on 2e2e2e2e2e2e: Test (failure)',
    );
    expect(argo.writes).toEqual([]);
    expect(production()).toBe(OLD);
    expect(started.audit).toMatchObject([
      { outcome: 'fail', meta: { outcome: 'refused' } },
    ]);
  });

  it('POST by a non-owner: 403 with zero calls to Argo CD or GitHub, audited as denied', async () => {
    await start();
    const res = await post(NEW, NON_OWNER);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You may not canary.environment.promote on component:default/orders-api: only its owners and the platform teams may',
    );
    expect(argo.requests).toEqual([]);
    expect(github.requests).toEqual([]);
    expect(started.audit).toMatchObject([
      {
        options: { meta: { commit: NEW } },
        outcome: 'fail',
        meta: { outcome: 'denied' },
      },
    ]);
  });

  it('POST in gitops mode: a pull request pinning production, its URL returned, no Argo CD write', async () => {
    const gitops = new FakeGitHub({
      owner: 'example-org',
      repo: 'gitops',
      token: 'gh-token',
    });
    gitops.push('main', {
      'apps/production/orders-api.yaml': yaml.stringify({
        ...productionApp,
        metadata: { ...productionApp.metadata, namespace: 'argocd' },
      }),
    });
    server.use(...gitops.handlers());
    await start({
      ...argocdConfig,
      argocd: {
        ...argocdConfig.argocd,
        gitops: { repoUrl: 'https://github.com/example-org/gitops' },
      },
      canary: { promotion: { mode: 'gitops' } },
    });
    const res = await post(NEW);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'pull-request',
      application: 'orders-api-production',
      pullRequestUrl: 'https://github.com/example-org/gitops/pull/1',
    });
    expect(
      yaml.parse(
        gitops.files('runway/promote-orders-api-production')[
          'apps/production/orders-api.yaml'
        ],
      ).spec.source.targetRevision,
    ).toBe(NEW);
    expect(argo.writes).toEqual([]);
    expect(started.audit).toMatchObject([
      {
        outcome: 'success',
        meta: {
          outcome: 'pull-request',
          pullRequestUrl: 'https://github.com/example-org/gitops/pull/1',
        },
      },
    ]);
  });

  it('POST with a commit that is not a full SHA: 400 before anything', async () => {
    await start();
    const res = await post('main');
    expect(res.status).toBe(400);
    expect(argo.requests).toEqual([]);
  });

  it('no Argo CD instance configured: GET says not-configured, POST is 503 with the same message', async () => {
    await start({});
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      state: 'not-configured',
      message:
        'No Argo CD instance is configured (argocd.instances in app-config): promotion to production is not available',
      from: 'staging',
      to: 'production',
      gates: [],
    });
    const promoted = await post(NEW);
    expect(promoted.status).toBe(503);
    expect(promoted.body.error.message).toBe(res.body.message);
    expect(argo.requests).toEqual([]);
  });
});
