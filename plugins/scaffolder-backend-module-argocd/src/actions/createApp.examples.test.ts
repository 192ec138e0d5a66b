import { ConfigReader } from '@backstage/config';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { validateCrd } from '@runway/testing';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import { FakeArgoCd, FakeGitHub } from '@runway/plugin-argocd-node-test-utils';
import { createArgocdAppCreateAction } from './createApp';
import { examples } from './createApp.examples';

const ARGO = 'https://argocd.example.com';

/** What the template expressions of the examples evaluate to in a run. */
const TEMPLATE_VALUES: Record<string, string> = {
  '${{ parameters.name }}': 'orders-api',
  "${{ steps['publish'].output.remoteUrl }}":
    'https://github.com/example-org/orders-api.git',
};

function inputOf(example: string): Record<string, any> {
  let text = example;
  for (const [expression, value] of Object.entries(TEMPLATE_VALUES)) {
    text = text.split(expression).join(value);
  }
  expect(text).not.toContain('${{');
  const [step] = yaml.parse(text).steps;
  expect(step.action).toBe('argocd:app:create');
  return step.input;
}

describe('argocd:app:create examples', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  let argo: FakeArgoCd;
  let github: FakeGitHub;

  beforeEach(() => {
    argo = new FakeArgoCd({ url: ARGO, token: 'argo-token' });
    github = new FakeGitHub({
      owner: 'example-org',
      repo: 'gitops',
      token: 'gh-token',
    });
    server.use(...argo.handlers(), ...github.handlers());
  });

  const action = createArgocdAppCreateAction({
    config: new ConfigReader({
      integrations: { github: [{ host: 'github.com', token: 'gh-token' }] },
      argocd: {
        instances: [{ name: 'main', url: ARGO, token: 'argo-token' }],
        gitops: { repoUrl: 'https://github.com/example-org/gitops' },
      },
    }),
  });

  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples.map(example => [example.description, example]))(
    'runs: %s',
    async (_description, example) => {
      const input = inputOf(example.example);
      const ctx = createMockActionContext({ input });
      await action.handler(ctx as any);

      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      const environments = (input.environments ?? [
        { name: 'staging' },
        { name: 'production' },
      ]) as Array<{ name: string }>;
      expect(outputs.applications).toEqual(
        environments.map(({ name }) => ({
          name: `${input.appName}-${name}`,
          environment: name,
          url: `${ARGO}/applications/${input.appName}-${name}`,
        })),
      );
      for (const manifest of outputs.manifests) {
        expect(validateCrd(manifest)).toEqual([]);
      }
      const names = outputs.applications.map((a: { name: string }) => a.name);
      const registered =
        input.mode === 'gitops'
          ? Object.keys(github.files('runway/argocd-orders-api'))
              .filter(path => path.startsWith('apps/'))
              .map(
                path =>
                  yaml.parse(github.files('runway/argocd-orders-api')[path])
                    .metadata.name,
              )
          : [...argo.applications.keys()];
      expect(registered.sort()).toEqual([...names].sort());
    },
  );
});
