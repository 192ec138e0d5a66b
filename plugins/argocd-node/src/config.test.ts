import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { inspect } from 'node:util';
import { ArgoCdInstances, readGitOpsConfig } from './config';

const TOKEN = 'argocd-token-s3cr3t';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

function instances(list: JsonObject[]) {
  return ArgoCdInstances.fromConfig(
    new ConfigReader({ argocd: { instances: list } }),
  );
}

describe('ArgoCdInstances', () => {
  const registry = instances([
    { name: 'main', url: 'https://argocd.example.com/', token: TOKEN },
    {
      name: 'edge',
      url: 'https://argocd-edge.example.com',
      token: 'other',
      timeoutSeconds: 5,
      maxAttempts: 2,
    },
    { name: 'gitops-only', url: 'https://argocd-gitops.example.com' },
  ]);

  it('lists the instances with defaults and without tokens', () => {
    expect(registry.list()).toEqual([
      {
        name: 'main',
        url: 'https://argocd.example.com',
        timeoutMs: 20000,
        maxAttempts: 4,
        hasToken: true,
      },
      {
        name: 'edge',
        url: 'https://argocd-edge.example.com',
        timeoutMs: 5000,
        maxAttempts: 2,
        hasToken: true,
      },
      {
        name: 'gitops-only',
        url: 'https://argocd-gitops.example.com',
        timeoutMs: 20000,
        maxAttempts: 4,
        hasToken: false,
      },
    ]);
  });

  it('defaults to the first instance', () => {
    expect(registry.get().name).toBe('main');
    expect(registry.get('edge').name).toBe('edge');
    expect(registry.client().instance.name).toBe('main');
    expect(registry.client('edge').instance.name).toBe('edge');
  });

  it('names the configured instances when asked for an unknown one', () => {
    expect(() => registry.get('prod')).toThrow(InputError);
    expect(() => registry.get('prod')).toThrow(
      "instance 'prod' is not a configured Argo CD instance; configured: 'main', 'edge', 'gitops-only'",
    );
    expect(() => registry.client('prod')).toThrow(
      "instance 'prod' is not a configured Argo CD instance; configured: 'main', 'edge', 'gitops-only'",
    );
  });

  it('says what to configure when there is no instance', () => {
    const empty = ArgoCdInstances.fromConfig(new ConfigReader({}));
    expect(empty.list()).toEqual([]);
    expect(() => empty.get()).toThrow(
      'No Argo CD instance is configured: add one under argocd.instances (name, url, token) in app-config',
    );
  });

  it('refuses a client for an instance without a token, naming the config key', () => {
    expect(() => registry.client('gitops-only')).toThrow(
      "Argo CD instance 'gitops-only' has no token: set argocd.instances[2].token to an API token of an Argo CD account (or use mode 'gitops')",
    );
  });

  it('never exposes the token', () => {
    const client = registry.client('main');
    const shown = [
      JSON.stringify(registry.list()),
      JSON.stringify(registry.get('main')),
      inspect(registry, { depth: 10, showHidden: true }),
      inspect(client, { depth: 10, showHidden: true }),
      JSON.stringify(client),
      JSON.stringify(client.instance),
    ].join('\n');
    expect(shown).not.toContain(TOKEN);
  });

  it.each([
    [
      [
        { name: 'a', url: 'https://a.example.com' },
        { name: 'a', url: 'https://b.example.com' },
      ],
      "argocd.instances: instance name 'a' is configured twice; names must be unique",
    ],
    [
      [{ name: ' ', url: 'https://a.example.com' }],
      'argocd.instances[0].name must not be empty',
    ],
    [
      [{ name: 'a', url: 'argocd.example.com' }],
      "argocd.instances[0].url 'argocd.example.com' of Argo CD instance 'a' is not a URL; use e.g. https://argocd.example.com",
    ],
    [
      [{ name: 'a', url: 'ftp://argocd.example.com' }],
      "argocd.instances[0].url of Argo CD instance 'a' must be an http(s) URL",
    ],
    [
      [{ name: 'a', url: 'https://admin:pw@argocd.example.com' }],
      "argocd.instances[0].url of Argo CD instance 'a' must not contain credentials; set argocd.instances[0].token",
    ],
    [
      [{ name: 'a', url: 'https://a.example.com', timeoutSeconds: 0 }],
      'argocd.instances[0].timeoutSeconds must be greater than 0',
    ],
    [
      [{ name: 'a', url: 'https://a.example.com', maxAttempts: 0 }],
      'argocd.instances[0].maxAttempts must be an integer of at least 1',
    ],
  ])('rejects bad config %j', (list, message) => {
    expect(() => instances(list)).toThrow(message);
  });
});

describe('readGitOpsConfig', () => {
  const read = (gitops: JsonObject) =>
    readGitOpsConfig(new ConfigReader({ argocd: { gitops } }));

  it('is undefined when not configured', () => {
    expect(readGitOpsConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('applies the defaults', () => {
    expect(read({ repoUrl: 'https://github.com/example-org/gitops' })).toEqual({
      repository: { host: 'github.com', owner: 'example-org', repo: 'gitops' },
      baseBranch: 'main',
      pathPattern: 'apps/{environment}/{appName}.yaml',
      projectPathPattern: 'projects/{project}.yaml',
      applicationNamespace: 'argocd',
    });
  });

  it('reads every key', () => {
    expect(
      read({
        repoUrl: 'ghe.example.com/platform/deployments',
        baseBranch: 'trunk',
        pathPattern: 'clusters/{instance}/{applicationName}.yaml',
        projectPathPattern: 'clusters/{instance}/projects/{project}.yaml',
        applicationNamespace: 'gitops',
      }),
    ).toEqual({
      repository: {
        host: 'ghe.example.com',
        owner: 'platform',
        repo: 'deployments',
      },
      baseBranch: 'trunk',
      pathPattern: 'clusters/{instance}/{applicationName}.yaml',
      projectPathPattern: 'clusters/{instance}/projects/{project}.yaml',
      applicationNamespace: 'gitops',
    });
  });

  it.each([
    [
      { repoUrl: 'github.com?owner=o&repo=r' },
      "argocd.gitops.repoUrl 'github.com?owner=o&repo=r' must name a GitHub repository",
    ],
    [
      { repoUrl: 'gitops' },
      "argocd.gitops.repoUrl 'gitops' must name a GitHub repository as https://<host>/<owner>/<repo> or <host>/<owner>/<repo>",
    ],
    [
      { repoUrl: 'https://github.com/o/r', baseBranch: 'my branch' },
      'argocd.gitops.baseBranch: "my branch" must not contain whitespace or control characters',
    ],
    [
      { repoUrl: 'https://github.com/o/r', pathPattern: 'apps/{appName}.yaml' },
      "argocd.gitops.pathPattern 'apps/{appName}.yaml' must contain {environment} or {applicationName} so that each object gets its own file",
    ],
    [
      {
        repoUrl: 'https://github.com/o/r',
        pathPattern: 'apps/{env}/{appName}.yaml',
      },
      "argocd.gitops.pathPattern 'apps/{env}/{appName}.yaml' uses the unknown placeholder '{env}'; known: {appName}, {environment}, {applicationName}, {instance}, {project}",
    ],
    [
      {
        repoUrl: 'https://github.com/o/r',
        pathPattern: '/apps/{environment}.yaml',
      },
      "argocd.gitops.pathPattern: '/apps/x.yaml' must be relative to the repository root (no leading '/')",
    ],
    [
      {
        repoUrl: 'https://github.com/o/r',
        projectPathPattern: 'projects/p.yaml',
      },
      "argocd.gitops.projectPathPattern 'projects/p.yaml' must contain {project} so that each object gets its own file",
    ],
    [
      { repoUrl: 'https://github.com/o/r', applicationNamespace: 'Argo' },
      'argocd.gitops.applicationNamespace: "Argo" is not a DNS-1123 label',
    ],
  ])('rejects %j', (gitops, message) => {
    expect(() => read(gitops)).toThrow(message);
  });
});
