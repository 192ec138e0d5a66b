import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleCnpg } from './module';

describe('scaffolderModuleCnpg', () => {
  it('adds cnpg:database:create, starting with no cluster configured', async () => {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleCnpg],
    });
    expect(addActions).toHaveBeenCalledTimes(1);
    const [action] = addActions.mock.calls[0];
    expect(action.id).toBe('cnpg:database:create');
    expect(action.supportsDryRun).toBe(true);
    expect(Object.keys(action.schema.input.properties).sort()).toEqual([
      'backup',
      'cluster',
      'createNamespace',
      'database',
      'environments',
      'instances',
      'mode',
      'name',
      'namespace',
      'owner',
      'postgresVersion',
      'sharedCluster',
      'sharedClusterNamespace',
      'storageClass',
      'storageSize',
      'waitForReady',
      'waitTimeoutSeconds',
    ]);
    expect(action.schema.input.required).toEqual(['name']);

    // The rules show in the published schema, for template authors and the MCP endpoint.
    const { properties } = action.schema.input;
    expect(properties.name).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: 40,
      pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
    });
    expect(properties.instances).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 9,
    });
    expect(properties.mode).toMatchObject({
      enum: ['dedicated', 'shared'],
      default: 'dedicated',
    });
    expect(properties.storageSize.default).toBe('1Gi');
    expect(properties.waitTimeoutSeconds).toMatchObject({
      minimum: 1,
      maximum: 3600,
      default: 600,
    });
    expect(properties.environments.minItems).toBe(1);

    // Every input and output field, nested ones included, is described.
    const undescribed = (schema: any, path: string): string[] => [
      ...(schema.description ? [] : [path]),
      ...Object.entries(schema.properties ?? {}).flatMap(([key, child]) =>
        undescribed(child, `${path}.${key}`),
      ),
      ...(schema.items ? undescribed(schema.items, `${path}[]`) : []),
    ];
    expect([
      ...Object.entries(action.schema.input.properties).flatMap(([k, v]) =>
        undescribed(v, `input.${k}`),
      ),
      ...Object.entries(action.schema.output.properties).flatMap(([k, v]) =>
        undescribed(v, `output.${k}`),
      ),
    ]).toEqual([]);
    await backend.stop();
  });
});
