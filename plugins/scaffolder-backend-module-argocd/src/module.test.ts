import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { examples } from './actions/createApp.examples';
import { examples as promoteExamples } from './actions/promoteApp.examples';
import scaffolderModuleArgoCd from './index';

describe('scaffolderModuleArgoCd', () => {
  async function start(data: Record<string, any>) {
    const actions: TemplateAction<any, any, any>[] = [];
    const logger = mockServices.logger.mock();
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleArgoCd,
        mockServices.rootConfig.factory({ data }),
        logger.factory,
      ],
    });
    return { actions, logger };
  }

  it('registers argocd:app:create and argocd:app:promote with their schemas and examples', async () => {
    const { actions, logger } = await start({
      argocd: {
        instances: [
          { name: 'main', url: 'https://argocd.example.com', token: 't' },
        ],
      },
    });
    expect(actions.map(a => a.id)).toEqual([
      'argocd:app:create',
      'argocd:app:promote',
    ]);
    const [action, promote] = actions;
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples).toEqual(examples);
    expect(Object.keys((action.schema?.input as any).properties)).toEqual([
      'appName',
      'instance',
      'project',
      'createProject',
      'repoUrl',
      'path',
      'targetRevision',
      'environments',
      'syncPolicy',
      'labels',
      'mode',
      'upsert',
    ]);
    expect((action.schema?.input as any).required).toEqual([
      'appName',
      'repoUrl',
    ]);
    expect(Object.keys((action.schema?.output as any).properties)).toEqual([
      'applications',
      'manifests',
      'pullRequestUrl',
    ]);
    expect(promote.supportsDryRun).toBe(true);
    expect(promote.examples).toEqual(promoteExamples);
    expect(Object.keys((promote.schema?.input as any).properties)).toEqual([
      'appName',
      'commit',
      'instance',
      'project',
      'from',
      'to',
      'verificationContext',
      'mode',
    ]);
    expect((promote.schema?.input as any).required).toEqual([
      'appName',
      'commit',
    ]);
    expect((promote.schema?.input as any).properties.commit.pattern).toBe(
      '^(?:[0-9a-f]{40}|[0-9a-f]{64})$',
    );
    expect(logger.info).toHaveBeenCalledWith(
      'argocd:app:create, argocd:app:promote: Argo CD instances main',
    );
  });

  it('starts without any Argo CD config, warning that the action needs one', async () => {
    const { actions, logger } = await start({});
    expect(actions.map(a => a.id)).toEqual([
      'argocd:app:create',
      'argocd:app:promote',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      'No Argo CD instance under argocd.instances: argocd:app:create and argocd:app:promote will fail until one is configured (dry runs work)',
    );
  });

  it('publishes the rules of the input, not only its types', async () => {
    const { actions } = await start({});
    const { properties } = actions[0].schema?.input as any;
    expect(properties.appName).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: 53,
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    });
    expect(properties.project).toMatchObject({
      default: 'default',
      maxLength: 253,
    });
    expect(properties.path.default).toBe('chart');
    expect(properties.targetRevision.default).toBe('HEAD');
    expect(properties.environments).toMatchObject({
      minItems: 1,
      default: [{ name: 'staging' }, { name: 'production' }],
    });
    expect(properties.environments.items.properties.name.pattern).toBe(
      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    );
    expect(properties.syncPolicy.properties.syncOptions.items.pattern).toBe(
      '^[A-Za-z][A-Za-z0-9]*=\\S+$',
    );
    expect(properties.mode).toMatchObject({
      enum: ['api', 'gitops'],
      default: 'api',
    });
    expect(properties.upsert.default).toBe(false);
  });

  it.each([0, 1])('describes every input field (action %i)', async index => {
    const { actions } = await start({});
    const properties = (actions[index].schema?.input as any).properties;
    for (const [name, schema] of Object.entries<any>(properties)) {
      expect({ name, description: typeof schema.description }).toEqual({
        name,
        description: 'string',
      });
    }
  });
});
