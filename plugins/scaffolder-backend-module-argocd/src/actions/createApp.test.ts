import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  Application,
  ApplicationsInput,
  buildApplications as buildFromResolved,
  resolveApplicationsInput,
} from '@runway/plugin-argocd-node';
import { validateCrd } from '@runway/testing';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { FakeArgoCd, FakeGitHub } from '@runway/plugin-argocd-node-test-utils';
import { createArgocdAppCreateAction } from './createApp';

/** `JsonObject`, the type of action input. */
type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const ARGO = 'https://argocd.example.com';
const EDGE = 'https://argocd-edge.example.com';
const ARGO_TOKEN = 'argo-token-s3cr3t';

const configData = {
  integrations: { github: [{ host: 'github.com', token: 'gh-token' }] },
  argocd: {
    instances: [
      {
        name: 'main',
        url: ARGO,
        token: ARGO_TOKEN,
        timeoutSeconds: 0.2,
        maxAttempts: 3,
      },
      { name: 'edge', url: EDGE, token: 'edge-token' },
      { name: 'tokenless', url: 'https://argocd-tokenless.example.com' },
    ],
    gitops: { repoUrl: 'https://github.com/example-org/gitops' },
  },
};

const baseInput = {
  appName: 'orders-api',
  repoUrl: 'https://github.com/example-org/orders-api.git',
};

/** The library's Applications for an input: what the action must build. */
const buildApplications = (input: ApplicationsInput) =>
  buildFromResolved(resolveApplicationsInput(input));

/** The Applications the action builds for `baseInput` (api mode). */
const expected = buildApplications(baseInput);

describe('argocd:app:create', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  let argo: FakeArgoCd;
  let edge: FakeArgoCd;
  let github: FakeGitHub;
  let sleep: jest.Mock;

  beforeEach(() => {
    argo = new FakeArgoCd({ url: ARGO, token: ARGO_TOKEN });
    edge = new FakeArgoCd({ url: EDGE, token: 'edge-token' });
    github = new FakeGitHub({
      owner: 'example-org',
      repo: 'gitops',
      token: 'gh-token',
    });
    server.use(...argo.handlers(), ...edge.handlers(), ...github.handlers());
    sleep = jest.fn(async () => {});
  });

  function action(data: object = configData) {
    return createArgocdAppCreateAction({
      config: new ConfigReader(
        data as ConstructorParameters<typeof ConfigReader>[0],
      ),
      clientOptions: { sleep },
    });
  }

  /** A mock context; `extra` overrides fields the mock does not take (isDryRun, checkpoint). */
  function context(input: JsonObject, extra: object = {}) {
    return { ...createMockActionContext({ input }), ...extra };
  }

  async function run(input: JsonObject, extra: object = {}) {
    const ctx = context(input, extra);
    await action().handler(ctx as any);
    return ctx;
  }

  function outputs(ctx: { output: jest.Mock | unknown }) {
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  describe('api mode', () => {
    it('creates one Application per environment with the bearer token, checking the project first', async () => {
      const ctx = await run(baseInput);

      expect(argo.requests.map(r => `${r.method} ${r.path}`)).toEqual([
        'GET /api/v1/projects/default',
        'GET /api/v1/applications/orders-api-staging',
        'POST /api/v1/applications',
        'GET /api/v1/applications/orders-api-production',
        'POST /api/v1/applications',
      ]);
      expect(argo.requests[1].query).toEqual({ project: 'default' });
      expect(argo.writes.map(r => r.body)).toEqual(expected);
      expect(new Set(argo.requests.map(r => r.authorization))).toEqual(
        new Set([`Bearer ${ARGO_TOKEN}`]),
      );
      expect(edge.requests).toEqual([]);

      expect(outputs(ctx)).toEqual({
        applications: [
          {
            name: 'orders-api-staging',
            environment: 'staging',
            url: `${ARGO}/applications/orders-api-staging`,
          },
          {
            name: 'orders-api-production',
            environment: 'production',
            url: `${ARGO}/applications/orders-api-production`,
          },
        ],
        manifests: expected,
      });
      for (const manifest of outputs(ctx).manifests) {
        expect(validateCrd(manifest)).toEqual([]);
      }
    });

    it('is idempotent: a second run changes nothing', async () => {
      const first = await run(baseInput);
      const writesAfterFirst = argo.writes.length;
      const second = await run(baseInput);

      expect(writesAfterFirst).toBe(2);
      expect(argo.writes).toHaveLength(2);
      expect(argo.requests.slice(5).map(r => `${r.method} ${r.path}`)).toEqual([
        'GET /api/v1/projects/default',
        'GET /api/v1/applications/orders-api-staging',
        'GET /api/v1/applications/orders-api-production',
      ]);
      expect(outputs(second)).toEqual(outputs(first));
    });

    it('refuses an existing Application with another spec, naming it and the fields, writing nothing', async () => {
      const [staging] = buildApplications({
        ...baseInput,
        targetRevision: 'legacy',
        environments: [{ name: 'staging', namespace: 'orders' }],
      });
      argo.seed(staging);

      const result = run(baseInput);
      await expect(result).rejects.toThrow(ConflictError);
      await expect(run(baseInput)).rejects.toThrow(
        "Argo CD Application 'orders-api-staging' already exists on instance 'main' with a different spec (differs in spec.destination.namespace, spec.source.targetRevision); nothing was changed. Set upsert: true to update it, or choose another appName",
      );
      expect(argo.writes).toEqual([]);
      expect(
        argo.applications.get('orders-api-staging')?.spec.source
          ?.targetRevision,
      ).toBe('legacy');
    });

    it('updates an existing Application with another spec when upsert is set', async () => {
      const [staging] = buildApplications({
        ...baseInput,
        targetRevision: 'legacy',
        environments: [{ name: 'staging' }],
      });
      argo.seed({
        ...staging,
        metadata: {
          ...staging.metadata,
          labels: { ...staging.metadata.labels, owner: 'kept' },
        },
      });

      await run({ ...baseInput, upsert: true });

      expect(argo.writes.map(r => `${r.method} ${r.path}`)).toEqual([
        'PUT /api/v1/applications/orders-api-staging',
        'POST /api/v1/applications',
      ]);
      const put = argo.writes[0];
      expect(put.query).toEqual({ project: 'default' });
      expect(put.body.spec).toEqual(expected[0].spec);
      expect(put.body.metadata.labels).toEqual({
        'backstage.io/kubernetes-id': 'orders-api',
        owner: 'kept',
      });
      expect(put.body).not.toHaveProperty('status');
      expect(argo.applications.get('orders-api-staging')?.spec).toEqual(
        expected[0].spec,
      );
    });

    it('says which instance rejected the token (401) and what to check', async () => {
      argo = new FakeArgoCd({ url: ARGO, token: 'another-token' });
      server.use(...argo.handlers());
      const result = run(baseInput);
      await expect(result).rejects.toThrow(AuthenticationError);
      await expect(run(baseInput)).rejects.toThrow(
        /Argo CD instance 'main' rejected the token when trying to read AppProject 'default' \(401 Unauthorized\).*Check that argocd.instances\[\].token of 'main' is a valid, unexpired API token/,
      );
      expect(argo.requests.every(r => r.method === 'GET')).toBe(true);
      expect(sleep).not.toHaveBeenCalled();
    });

    it('says which permission is missing (403)', async () => {
      argo.forbidden = true;
      await expect(run(baseInput)).rejects.toThrow(NotAllowedError);
      await expect(run(baseInput)).rejects.toThrow(
        "Argo CD instance 'main' denied the request to read AppProject 'default' (403 Forbidden): permission denied. Grant the account whose token is configured for 'main' the RBAC permission 'projects, get, default' (argocd-rbac-cm)",
      );
    });

    it('says how to fix a missing project (404) and creates it with createProject', async () => {
      const input = { ...baseInput, project: 'orders' };
      await expect(run(input)).rejects.toThrow(NotFoundError);
      await expect(run(input)).rejects.toThrow(
        "AppProject 'orders' does not exist on Argo CD instance 'main': create it in Argo CD, choose an existing project, or set createProject: true to let Runway create it",
      );
      expect(argo.writes).toEqual([]);

      const ctx = await run({ ...input, createProject: true });
      expect(argo.writes.map(r => `${r.method} ${r.path}`)).toEqual([
        'POST /api/v1/projects',
        'POST /api/v1/applications',
        'POST /api/v1/applications',
      ]);
      const project = argo.writes[0].body.project;
      expect(argo.writes[0].body.upsert).toBe(false);
      expect(validateCrd(project)).toEqual([]);
      expect(project.spec.sourceRepos).toEqual([baseInput.repoUrl]);
      expect(outputs(ctx).manifests.map((m: Application) => m.kind)).toEqual([
        'AppProject',
        'Application',
        'Application',
      ]);
      expect(argo.writes[1].body.spec.project).toBe('orders');
    });

    it('retries a 503 with backoff and then succeeds', async () => {
      argo.failures.push(503);
      await run(baseInput);
      expect(
        argo.requests.map(r => `${r.method} ${r.path}`).slice(0, 2),
      ).toEqual([
        'GET /api/v1/projects/default',
        'GET /api/v1/projects/default',
      ]);
      expect(sleep.mock.calls).toEqual([[500]]);
      expect(argo.applications.size).toBe(2);
    });

    it('gives up on a hanging Argo CD after the configured attempts with a clear error', async () => {
      argo.failures.push('hang', 'hang', 'hang', 'hang');
      const result = run(baseInput);
      await expect(result).rejects.toThrow(ServiceUnavailableError);
      await expect(result).rejects.toThrow(
        "Argo CD instance 'main' (https://argocd.example.com) could not read AppProject 'default': GET /api/v1/projects/default timed out after 200 ms on each of 3 attempts",
      );
      expect(argo.requests).toHaveLength(3);
      expect(sleep.mock.calls).toEqual([[500], [1000]]);
      expect(argo.applications.size).toBe(0);
    });

    it('uses the chosen instance and its token', async () => {
      await run({ ...baseInput, instance: 'edge' });
      expect(argo.requests).toEqual([]);
      expect(edge.applications.size).toBe(2);
      expect(new Set(edge.requests.map(r => r.authorization))).toEqual(
        new Set(['Bearer edge-token']),
      );
    });

    it('checkpoints each environment, so a retried task does not redo finished ones', async () => {
      const store = new Map<string, unknown>();
      const checkpoint = jest.fn(
        async ({ key, fn }: { key: string; fn: () => Promise<unknown> }) => {
          if (store.has(key)) return store.get(key);
          const value = await fn();
          store.set(key, value);
          return value;
        },
      );

      // The first attempt fails at production: the account may not create it.
      const [, production] = expected;
      argo.seed({
        ...production,
        spec: { ...production.spec, project: 'other' },
      });
      argo.projects.set('other', {
        ...argo.projects.get('default')!,
        metadata: { name: 'other' },
      });
      await expect(run(baseInput, { checkpoint })).rejects.toThrow(
        ConflictError,
      );
      expect(argo.applications.has('orders-api-staging')).toBe(true);

      // Someone fixes it; the retried task resumes at production.
      argo.applications.delete('orders-api-production');
      argo.requests.length = 0;
      await run(baseInput, { checkpoint });
      expect(argo.requests.map(r => `${r.method} ${r.path}`)).toEqual([
        'GET /api/v1/applications/orders-api-production',
        'POST /api/v1/applications',
      ]);
      expect(checkpoint.mock.calls.map(([{ key }]) => key)).toEqual([
        'argocd.project.main.default',
        'argocd.app.main.orders-api.staging',
        'argocd.app.main.orders-api.production',
        'argocd.project.main.default',
        'argocd.app.main.orders-api.staging',
        'argocd.app.main.orders-api.production',
      ]);
    });
  });

  describe('dry run', () => {
    it.each([
      ['api', {}],
      ['gitops', { mode: 'gitops' }],
      ['api on an instance without a token', { instance: 'tokenless' }],
    ])(
      'validates, logs and outputs the manifests without any HTTP call: %s',
      async (_name, extra) => {
        const ctx = await run({ ...baseInput, ...extra }, { isDryRun: true });
        expect(argo.requests).toEqual([]);
        expect(edge.requests).toEqual([]);
        expect(github.requests).toEqual([]);
        const { applications, manifests } = outputs(ctx);
        expect(applications.map((a: { name: string }) => a.name)).toEqual([
          'orders-api-staging',
          'orders-api-production',
        ]);
        expect(manifests.map((m: Application) => m.metadata.name)).toEqual([
          'orders-api-staging',
          'orders-api-production',
        ]);
        for (const manifest of manifests) {
          expect(validateCrd(manifest)).toEqual([]);
        }
      },
    );

    it.each([
      [
        'api',
        {},
        "Dry run: would register orders-api-staging, orders-api-production on Argo CD instance 'main'; nothing was called",
      ],
      [
        'gitops',
        { mode: 'gitops' },
        'Dry run: would open a pull request in example-org/gitops with apps/staging/orders-api.yaml, apps/production/orders-api.yaml; nothing was called',
      ],
    ])(
      'logs each manifest as YAML and what it would do: %s',
      async (_name, extra, summary) => {
        const ctx = context({ ...baseInput, ...extra }, { isDryRun: true });
        const info = jest.spyOn(ctx.logger, 'info');
        await action().handler(ctx as any);
        const messages = info.mock.calls.map(([message]) => String(message));
        expect(messages).toContain(summary);
        const staging = messages.find(m =>
          m.startsWith('Application orders-api-staging:\n'),
        );
        expect(
          parse(staging!.slice(staging!.indexOf('\n') + 1)).spec.source.helm,
        ).toEqual({
          releaseName: 'orders-api',
          valueFiles: ['values-staging.yaml'],
        });
      },
    );

    it.each([
      ['api', {}],
      ['gitops', { mode: 'gitops' }],
    ])(
      'works with no Argo CD instance and no GitOps repository configured, saying a real run would fail: %s',
      async (_name, extra) => {
        const ctx = context(
          {
            ...baseInput,
            repoUrl: 'github.com?owner=example-org&repo=orders-api',
            ...extra,
          },
          { isDryRun: true },
        );
        const warn = jest.spyOn(ctx.logger, 'warn');
        await action({}).handler(ctx as any);
        expect(argo.requests).toEqual([]);
        expect(github.requests).toEqual([]);
        const { applications, manifests } = outputs(ctx);
        expect(applications).toEqual([
          {
            name: 'orders-api-staging',
            environment: 'staging',
            url: 'https://argocd.invalid/applications/orders-api-staging',
          },
          {
            name: 'orders-api-production',
            environment: 'production',
            url: 'https://argocd.invalid/applications/orders-api-production',
          },
        ]);
        expect(
          manifests.map((m: Application) => m.spec.source?.repoURL),
        ).toEqual([
          'https://github.com/example-org/orders-api.git',
          'https://github.com/example-org/orders-api.git',
        ]);
        expect(warn.mock.calls.map(([message]) => message)).toContain(
          'No Argo CD instance is configured (argocd.instances in app-config): a real run would fail; this dry run shows what it would do',
        );
      },
    );

    it('still fails a real run without an instance, before any call', async () => {
      await expect(
        action({}).handler(context(baseInput) as any),
      ).rejects.toThrow(
        'No Argo CD instance is configured: add one under argocd.instances (name, url, token) in app-config',
      );
    });

    it('still rejects bad input', async () => {
      await expect(
        run({ ...baseInput, appName: 'Orders' }, { isDryRun: true }),
      ).rejects.toThrow('appName: "Orders" is not a DNS-1123 label');
    });
  });

  describe('input', () => {
    it.each<[string, JsonObject, string]>([
      [
        'appName not DNS-1123',
        { appName: 'Orders_API' },
        `appName: "Orders_API" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
      ],
      ['appName missing', { appName: undefined }, 'appName: is required'],
      [
        'unknown instance',
        { instance: 'prod' },
        "instance 'prod' is not a configured Argo CD instance; configured: 'main', 'edge', 'tokenless'",
      ],
      [
        'unknown mode',
        { mode: 'kubectl' },
        `mode: must be 'api' or 'gitops', got "kubectl"`,
      ],
      [
        'upsert not a boolean',
        { upsert: 'yes' },
        'upsert: must be true or false, got "yes"',
      ],
      [
        'duplicate environment',
        { environments: [{ name: 'qa' }, { name: 'qa' }] },
        "environments[1].name: 'qa' is listed twice; environment names must be unique",
      ],
      [
        'bad namespace',
        { environments: [{ name: 'qa', namespace: 'QA' }] },
        'environments[0].namespace: "QA" is not a DNS-1123 label',
      ],
      [
        'credentials in repoUrl',
        { repoUrl: 'https://x:ghp_secret@github.com/o/r' },
        'repoUrl: must not contain credentials; Argo CD uses the repository credentials configured in Argo CD',
      ],
      [
        'a picker-form repoUrl without repo',
        { repoUrl: 'github.com?owner=example-org' },
        'repoUrl: Invalid repo URL passed to publisher: https://github.com/?owner=example-org, missing repo',
      ],
      [
        'a picker-form repoUrl on a host without integration',
        { repoUrl: 'git.example.com?owner=o&repo=r' },
        'repoUrl: No matching integration configuration for host git.example.com, please check your integrations config',
      ],
      [
        'instance without a token',
        { instance: 'tokenless' },
        "Argo CD instance 'tokenless' has no token: set argocd.instances[2].token",
      ],
      [
        'bad sync option',
        { syncPolicy: { syncOptions: ['Prune'] } },
        'syncPolicy.syncOptions[0]: "Prune" must have the form Key=Value, e.g. CreateNamespace=true',
      ],
    ])('rejects %s before any HTTP call', async (_name, override, message) => {
      const result = run({ ...baseInput, ...override } as JsonObject);
      await expect(result).rejects.toThrow(InputError);
      await expect(result).rejects.toThrow(message);
      expect(argo.requests).toEqual([]);
      expect(edge.requests).toEqual([]);
      expect(github.requests).toEqual([]);
    });

    it("resolves the scaffolder's host?owner=…&repo=… form to the clone URL", async () => {
      const ctx = await run(
        {
          ...baseInput,
          repoUrl: 'github.com?owner=example-org&repo=orders-api',
        },
        { isDryRun: true },
      );
      expect(
        outputs(ctx).manifests.map((m: Application) => m.spec.source?.repoURL),
      ).toEqual([
        'https://github.com/example-org/orders-api.git',
        'https://github.com/example-org/orders-api.git',
      ]);
    });

    it('fails clearly at run time when no instance is configured', async () => {
      const ctx = context(baseInput);
      await expect(action({}).handler(ctx as any)).rejects.toThrow(
        'No Argo CD instance is configured: add one under argocd.instances (name, url, token) in app-config',
      );
    });

    it('needs argocd.gitops for the gitops mode', async () => {
      const { gitops: _gitops, ...argocd } = configData.argocd;
      const ctx = context({ ...baseInput, mode: 'gitops' });
      await expect(
        action({ ...configData, argocd }).handler(ctx as any),
      ).rejects.toThrow(
        "mode 'gitops' needs argocd.gitops in app-config (repoUrl, and optionally baseBranch, pathPattern)",
      );
      expect(github.requests).toEqual([]);
    });
  });

  describe('gitops mode', () => {
    const gitopsInput = { ...baseInput, mode: 'gitops' };

    it('commits the Applications through a pull request and makes no Argo CD call', async () => {
      const ctx = await run(gitopsInput);

      expect(argo.requests).toEqual([]);
      expect(github.pulls).toHaveLength(1);
      const [pull] = github.pulls;
      expect(pull).toMatchObject({
        head: 'runway/argocd-orders-api',
        base: 'main',
        state: 'open',
        title: 'Argo CD: register orders-api',
      });
      expect(pull.body).toContain('`apps/staging/orders-api.yaml`');
      expect(new Set(github.requests.map(r => r.authorization))).toEqual(
        new Set(['token gh-token']),
      );

      const files = github.files('runway/argocd-orders-api');
      const staging = parse(files['apps/staging/orders-api.yaml']);
      const production = parse(files['apps/production/orders-api.yaml']);
      expect(staging.metadata.namespace).toBe('argocd');
      expect(staging.spec).toEqual(expected[0].spec);
      expect(production.spec).toEqual(expected[1].spec);
      expect(validateCrd(staging)).toEqual([]);
      expect(
        files['apps/staging/orders-api.yaml'].startsWith('# Managed by Runway'),
      ).toBe(true);

      expect(outputs(ctx)).toEqual({
        applications: [
          {
            name: 'orders-api-staging',
            environment: 'staging',
            url: `${ARGO}/applications/orders-api-staging`,
          },
          {
            name: 'orders-api-production',
            environment: 'production',
            url: `${ARGO}/applications/orders-api-production`,
          },
        ],
        manifests: [staging, production],
        pullRequestUrl: 'https://github.com/example-org/gitops/pull/1',
      });
    });

    it('reuses the open pull request on a second run, without a new commit', async () => {
      await run(gitopsInput);
      const writes = github.writes.length;
      const head = github.branches.get('runway/argocd-orders-api');

      const second = await run(gitopsInput);

      expect(github.pulls).toHaveLength(1);
      expect(github.writes).toHaveLength(writes);
      expect(github.branches.get('runway/argocd-orders-api')).toBe(head);
      expect(outputs(second).pullRequestUrl).toBe(
        'https://github.com/example-org/gitops/pull/1',
      );
    });

    it('pushes a new commit to the open pull request when the spec changed', async () => {
      await run(gitopsInput);
      await run({ ...gitopsInput, targetRevision: 'v2' });
      expect(github.pulls).toHaveLength(1);
      const files = github.files('runway/argocd-orders-api');
      expect(
        parse(files['apps/staging/orders-api.yaml']).spec.source.targetRevision,
      ).toBe('v2');
    });

    it('opens no pull request once the manifests are merged', async () => {
      await run(gitopsInput);
      github.merge(1);
      const ctx = await run(gitopsInput);
      expect(github.pulls).toHaveLength(1);
      expect(outputs(ctx)).not.toHaveProperty('pullRequestUrl');
      expect(
        outputs(ctx).applications.map((a: { name: string }) => a.name),
      ).toEqual(['orders-api-staging', 'orders-api-production']);
      expect(github.writes.filter(w => w.path.endsWith('/pulls'))).toHaveLength(
        1,
      );
    });

    it('commits the AppProject too with createProject', async () => {
      await run({ ...gitopsInput, project: 'orders', createProject: true });
      const project = parse(
        github.files('runway/argocd-orders-api')['projects/orders.yaml'],
      );
      expect(project.kind).toBe('AppProject');
      expect(project.metadata).toEqual({ name: 'orders', namespace: 'argocd' });
      expect(validateCrd(project)).toEqual([]);
    });

    it('says when GitHub rejects the credentials', async () => {
      github = new FakeGitHub({
        owner: 'example-org',
        repo: 'gitops',
        token: 'other',
      });
      server.use(...github.handlers());
      await expect(run(gitopsInput)).rejects.toThrow(
        /GitHub \(github.com\) rejected the credentials when trying to read branch 'main' in example-org\/gitops/,
      );
    });
  });
});
