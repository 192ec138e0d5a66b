import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { examples } from './actions/pinDockerfile.examples';
import scaffolderModuleRunway from './index';

describe('scaffolderModuleRunway', () => {
  async function start(data: Record<string, any>) {
    const actions: TemplateAction<any, any, any>[] = [];
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
        scaffolderModuleRunway,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    return actions;
  }

  it('registers runway:dockerfile:pin with its schema and examples, without any config', async () => {
    const [action, ...others] = await start({});
    expect(others).toEqual([]);
    expect(action.id).toBe('runway:dockerfile:pin');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples).toEqual(examples);
    const input = action.schema?.input as any;
    expect(Object.keys(input.properties)).toEqual(['path']);
    expect(input.properties.path.default).toBe('Dockerfile');
    expect(Object.keys((action.schema?.output as any).properties)).toEqual([
      'pinned',
      'unpinned',
    ]);
  });

  it('fails to start on a wrong runway.registries entry, naming the key', async () => {
    await expect(
      start({
        runway: {
          registries: [{ host: 'r.example', url: 'http://r.example' }],
        },
      }),
    ).rejects.toThrow(
      'runway.registries[0].url: plain http is only allowed with insecure: true (a local or test registry)',
    );
  });
});
