import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
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
import { parse } from 'yaml';
import yaml from 'yaml';
import { createArgocdAppPromoteAction } from './promoteApp';
import { examples } from './promoteApp.examples';

const ARGO = 'https://argocd.example.com';
const OLD = '1f'.repeat(20);
const NEW = '2e'.repeat(20);

const configData = {
  integrations: { github: [{ host: 'github.com', token: 'gh-token' }] },
  argocd: {
    instances: [{ name: 'main', url: ARGO, token: 'argo-token' }],
    gitops: { repoUrl: 'https://github.com/example-org/gitops' },
  },
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

describe('argocd:app:promote', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let argo: FakeArgoCd;
  let service: FakeGitHub;
  let gitops: FakeGitHub;

  beforeEach(() => {
    ({ argo, github: service } = fakePromotableCommit({
      argocd: { url: ARGO, token: 'argo-token' },
      github: { owner: 'example-org', repo: 'orders-api', token: 'gh-token' },
      staging: stagingApp as ArgoObject,
      production: productionApp as ArgoObject,
      previous: OLD,
      commit: NEW,
    }));
    gitops = new FakeGitHub({
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
    server.use(...argo.handlers(), ...service.handlers(), ...gitops.handlers());
  });

  const action = (data: object = configData) =>
    createArgocdAppPromoteAction({
      config: new ConfigReader(
        data as ConstructorParameters<typeof ConfigReader>[0],
      ),
      clientOptions: { sleep: async () => {} },
      githubRetry: { sleep: async () => {} },
    });

  async function run(input: object, extra: object = {}, data?: object) {
    const ctx = {
      ...createMockActionContext({ input: input as any }),
      ...extra,
    };
    await action(data).handler(ctx as any);
    return {
      ctx,
      outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  }

  it('pins production to the commit staging verified, and outputs what it did', async () => {
    const { outputs } = await run({ appName: 'orders-api', commit: NEW });
    expect(outputs).toMatchObject({
      application: {
        name: 'orders-api-production',
        url: `${ARGO}/applications/orders-api-production`,
      },
      status: 'promoted',
      previousRevision: OLD,
    });
    expect(outputs.gates.every((g: { passed: boolean }) => g.passed)).toBe(
      true,
    );
    expect(outputs.manifest.spec.source.targetRevision).toBe(NEW);
    expect(
      argo.applications.get('orders-api-production')!.spec.source
        .targetRevision,
    ).toBe(NEW);
    expect(argo.writes.map(r => [r.method, r.path, r.authorization])).toEqual([
      [
        'PUT',
        '/api/v1/applications/orders-api-production',
        'Bearer argo-token',
      ],
    ]);
    expect(
      service.requests.every(r => r.authorization === 'token gh-token'),
    ).toBe(true);

    const again = await run({ appName: 'orders-api', commit: NEW });
    expect(again.outputs.status).toBe('unchanged');
    expect(argo.writes).toHaveLength(1);
  });

  it('fails with the failing gate named and writes nothing', async () => {
    service.statuses.delete(NEW);
    const error = await run({ appName: 'orders-api', commit: NEW }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      "verification-passed: commit 2e2e2e2e2e2e has no 'runway/staging-verification' status: the staging verification has not run for it",
    );
    expect(argo.writes).toEqual([]);
  });

  it('runs inside a checkpoint keyed by instance, Application and commit', async () => {
    const checkpoint = jest.fn(async ({ fn }: { fn: () => unknown }) => fn());
    await run({ appName: 'orders-api', commit: NEW }, { checkpoint });
    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({
        key: `argocd.promote.main.orders-api-production.${NEW}`,
      }),
    );
  });

  it('gitops mode: opens a pull request pinning the manifest', async () => {
    const { outputs } = await run({
      appName: 'orders-api',
      commit: NEW,
      mode: 'gitops',
    });
    expect(outputs.status).toBe('pull-request');
    expect(outputs.pullRequestUrl).toBe(
      'https://github.com/example-org/gitops/pull/1',
    );
    expect(
      parse(
        gitops.files('runway/promote-orders-api-production')[
          'apps/production/orders-api.yaml'
        ],
      ).spec.source.targetRevision,
    ).toBe(NEW);
    expect(argo.writes).toEqual([]);
  });

  it.each([
    ['configured', configData],
    ['with nothing configured', {}],
  ])(
    'dry run (%s): says what it would check and do, with zero calls',
    async (_name, data) => {
      const ctx = {
        ...createMockActionContext({
          input: { appName: 'orders-api', commit: NEW },
        }),
        isDryRun: true,
      };
      const info = jest.spyOn(ctx.logger, 'info');
      await action(data).handler(ctx as any);
      expect(argo.requests).toEqual([]);
      expect(service.requests).toEqual([]);
      expect(gitops.requests).toEqual([]);
      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(outputs.status).toBe('dry-run');
      expect(outputs.application.name).toBe('orders-api-production');
      expect(info.mock.calls.map(([m]) => m)).toContain(
        `Dry run: would check that orders-api-staging is Synced and Healthy at ${NEW} with its Rollouts fully promoted, that CI and the 'runway/staging-verification' status succeeded on it, then pin orders-api-production to it on Argo CD instance '${
          data === configData ? 'main' : 'default'
        }'; nothing was called`,
      );
    },
  );

  it('rejects a branch name as commit before any call', async () => {
    await expect(
      run({ appName: 'orders-api', commit: 'main' }, { isDryRun: true }),
    ).rejects.toThrow(
      'commit: "main" must be a full commit SHA: 40 (or 64) lowercase hexadecimal characters, not a branch, tag or short SHA',
    );
    expect(argo.requests).toEqual([]);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example passes input validation in a dry run: %s',
    async (_description, example) => {
      const [step] = yaml.parse(
        example
          .split('${{ parameters.name }}')
          .join('orders-api')
          .split('${{ parameters.commit }}')
          .join(NEW),
      ).steps;
      expect(step.action).toBe('argocd:app:promote');
      const { outputs } = await run(
        step.input,
        { isDryRun: true },
        {
          argocd: {
            instances: [
              { name: 'main', url: ARGO, token: 't' },
              { name: 'edge', url: 'https://edge.example.com', token: 't' },
            ],
            gitops: configData.argocd.gitops,
          },
        },
      );
      expect(outputs.status).toBe('dry-run');
    },
  );
});
