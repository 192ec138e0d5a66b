import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { examples } from './actions/createApp.examples';
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

  it('registers argocd:app:create with its schema and examples', async () => {
    const { actions, logger } = await start({
      argocd: {
        instances: [
          { name: 'main', url: 'https://argocd.example.com', token: 't' },
        ],
      },
    });
    expect(actions.map(a => a.id)).toEqual(['argocd:app:create']);
    const [action] = actions;
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
    expect(logger.info).toHaveBeenCalledWith(
      'argocd:app:create: Argo CD instances main',
    );
  });

  it('starts without any Argo CD config, warning that the action needs one', async () => {
    const { actions, logger } = await start({});
    expect(actions.map(a => a.id)).toEqual(['argocd:app:create']);
    expect(logger.warn).toHaveBeenCalledWith(
      'No Argo CD instance under argocd.instances: argocd:app:create will fail until one is configured',
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

  it('describes every input field', async () => {
    const { actions } = await start({});
    const properties = (actions[0].schema?.input as any).properties;
    for (const [, schema] of Object.entries<any>(properties)) {
      expect(typeof schema.description).toBe('string');
    }
  });
});
