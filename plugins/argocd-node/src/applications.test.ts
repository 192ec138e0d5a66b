import { InputError } from '@backstage/errors';
import { validateCrd } from '@runway/testing';
import {
  ApplicationsInput,
  destinationFor,
  resolveApplicationsInput,
} from './applications';
import { buildApplications, buildAppProject } from './__testUtils__/build';

const minimal: ApplicationsInput = {
  appName: 'orders-api',
  repoUrl: 'https://github.com/example-org/orders-api.git',
};

describe('buildApplications', () => {
  it('builds staging and production with every default', () => {
    expect(buildApplications(minimal)).toEqual(
      ['staging', 'production'].map(environment => ({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: `orders-api-${environment}`,
          labels: { 'backstage.io/kubernetes-id': 'orders-api' },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://github.com/example-org/orders-api.git',
            path: 'chart',
            targetRevision: 'HEAD',
            helm: {
              releaseName: 'orders-api',
              valueFiles: [`values-${environment}.yaml`],
            },
          },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'orders-api',
          },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: [
              'CreateNamespace=true',
              'RespectIgnoreDifferences=true',
            ],
          },
          ignoreDifferences: [
            {
              group: 'networking.istio.io',
              kind: 'VirtualService',
              name: 'orders-api',
              jqPathExpressions: [
                '.spec.http[].route[].weight',
                '.spec.http[] | select(.name == "canary-header")',
              ],
            },
          ],
        },
      })),
    );
  });

  const cases: Array<[string, ApplicationsInput]> = [
    ['the defaults', minimal],
    [
      'every option',
      {
        appName: 'storefront',
        project: 'team-web',
        repoUrl: 'https://github.com/example-org/storefront.git',
        path: 'deploy/chart',
        targetRevision: 'v1.2.3',
        environments: [
          {
            name: 'dev',
            namespace: 'web-dev',
            valueFiles: ['values.yaml', 'values-dev.yaml'],
          },
          { name: 'prod', cluster: 'eks-prod' },
          { name: 'dr', cluster: 'https://dr.eks.example.com' },
        ],
        syncPolicy: {
          automated: { prune: false, selfHeal: true, allowEmpty: true },
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
          retry: {
            limit: 5,
            backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
          },
        },
        labels: { team: 'web', 'example.com/tier': 'frontend' },
        applicationNamespace: 'argocd',
      },
    ],
    [
      'manual sync without sync options',
      { ...minimal, syncPolicy: { automated: false, syncOptions: [] } },
    ],
    ['one environment', { ...minimal, environments: [{ name: 'staging' }] }],
  ];

  it.each(cases)(
    'builds Applications valid against the Application CRD schema: %s',
    (_name, input) => {
      const applications = buildApplications(input);
      expect(applications.map(a => a.metadata.name)).toEqual(
        (
          input.environments ?? [{ name: 'staging' }, { name: 'production' }]
        ).map(environment => `${input.appName}-${environment.name}`),
      );
      for (const application of applications) {
        expect(validateCrd(application)).toEqual([]);
      }
    },
  );

  it.each(cases)(
    'always labels, finalizes and names the Helm release after the app: %s',
    (_name, input) => {
      for (const application of buildApplications(input)) {
        expect(application.metadata.labels).toMatchObject({
          'backstage.io/kubernetes-id': input.appName,
        });
        expect(application.metadata.finalizers).toEqual([
          'resources-finalizer.argocd.argoproj.io',
        ]);
        expect(application.spec.source?.helm?.releaseName).toBe(input.appName);
        expect(application.metadata.name.startsWith(`${input.appName}-`)).toBe(
          true,
        );
      }
    },
  );

  it('pins an environment to its own revision: staging follows main, production a commit', () => {
    const commit = '0123456789abcdef0123456789abcdef01234567';
    const [staging, production] = buildApplications({
      ...minimal,
      targetRevision: 'main',
      environments: [
        { name: 'staging' },
        { name: 'production', targetRevision: commit },
      ],
    });
    expect(staging.spec.source?.targetRevision).toBe('main');
    expect(production.spec.source?.targetRevision).toBe(commit);
  });

  it('applies every option', () => {
    const [dev, prod, dr] = buildApplications(cases[1][1]);
    expect(dev.metadata).toEqual({
      name: 'storefront-dev',
      namespace: 'argocd',
      labels: {
        team: 'web',
        'example.com/tier': 'frontend',
        'backstage.io/kubernetes-id': 'storefront',
      },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
    expect(dev.spec.project).toBe('team-web');
    expect(dev.spec.source).toEqual({
      repoURL: 'https://github.com/example-org/storefront.git',
      path: 'deploy/chart',
      targetRevision: 'v1.2.3',
      helm: {
        releaseName: 'storefront',
        valueFiles: ['values.yaml', 'values-dev.yaml'],
      },
    });
    expect(dev.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'web-dev',
    });
    expect(prod.spec.destination).toEqual({
      name: 'eks-prod',
      namespace: 'storefront',
    });
    expect(prod.spec.source?.helm?.valueFiles).toEqual(['values-prod.yaml']);
    expect(dr.spec.destination).toEqual({
      server: 'https://dr.eks.example.com',
      namespace: 'storefront',
    });
    expect(dev.spec.syncPolicy).toEqual({
      automated: { prune: false, selfHeal: true, allowEmpty: true },
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      retry: {
        limit: 5,
        backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
      },
    });
  });

  it('turns automated sync off with automated: false and drops an empty sync policy', () => {
    const [manual] = buildApplications({
      ...minimal,
      syncPolicy: { automated: false },
    });
    expect(manual.spec.syncPolicy).toEqual({
      syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'],
    });
    const [bare] = buildApplications(cases[2][1]);
    expect(bare.spec).not.toHaveProperty('syncPolicy');
  });

  it('does not share objects between Applications or with the input', () => {
    const input: ApplicationsInput = {
      ...minimal,
      labels: { team: 'a' },
      environments: [{ name: 'a', valueFiles: ['v.yaml'] }, { name: 'b' }],
    };
    const [a, b] = buildApplications(input);
    a.metadata.labels!.team = 'changed';
    a.spec.syncPolicy!.syncOptions!.push('X=y');
    a.spec.source!.helm!.valueFiles!.push('more.yaml');
    expect(b.metadata.labels!.team).toBe('a');
    expect(b.spec.syncPolicy!.syncOptions).toEqual([
      'CreateNamespace=true',
      'RespectIgnoreDifferences=true',
    ]);
    a.spec.ignoreDifferences![0].jqPathExpressions!.push('.x');
    expect(b.spec.ignoreDifferences![0].jqPathExpressions).toEqual([
      '.spec.http[].route[].weight',
      '.spec.http[] | select(.name == "canary-header")',
    ]);
    expect(input.environments![0].valueFiles).toEqual(['v.yaml']);
  });
});

describe('resolveApplicationsInput rejects bad input, naming the field and the rule', () => {
  const long = 'a'.repeat(53);
  it.each<[string, Partial<ApplicationsInput>, string]>([
    [
      'appName not DNS-1123',
      { appName: 'Orders_API' },
      `appName: "Orders_API" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
    ],
    ['appName empty', { appName: '' }, 'appName: must not be empty'],
    [
      'appName longer than a Helm release name',
      { appName: 'a'.repeat(54) },
      `appName: "${'a'.repeat(
        54,
      )}" is longer than 53 characters (it names the Helm release)`,
    ],
    ['appName missing', { appName: undefined }, 'appName: is required'],
    [
      'Application name longer than 63',
      { appName: long, environments: [{ name: 'production' }] },
      `environments[0].name: the Application name '${long}-production' (<appName>-<environment>) is 64 characters long; it must be at most 63, so shorten appName or the environment name`,
    ],
    [
      'project not a DNS subdomain',
      { project: 'Team A' },
      'project: "Team A" is not a DNS-1123 subdomain',
    ],
    [
      'repoUrl not a URL',
      { repoUrl: 'orders' },
      "repoUrl: 'orders' is not a repository URL; use an https:// or ssh:// Git URL, or a scp-like 'git@host:owner/repo.git'",
    ],
    [
      "repoUrl in the scaffolder's picker form",
      { repoUrl: 'github.com?owner=example-org&repo=storefront' },
      "repoUrl: 'github.com?owner=example-org&repo=storefront' is the scaffolder's 'host?owner=…&repo=…' form, which the action resolves with its integrations",
    ],
    [
      'repoUrl with a token',
      { repoUrl: 'https://x:ghp_abc@github.com/o/r' },
      'repoUrl: must not contain credentials; Argo CD uses the repository credentials configured in Argo CD',
    ],
    [
      'absolute path',
      { path: '/chart' },
      "path: '/chart' must be relative to the repository root (no leading '/')",
    ],
    [
      'path out of the repository',
      { path: 'a/../../chart' },
      "path: 'a/../../chart' must stay inside the repository (no '..' segments)",
    ],
    [
      'targetRevision with a space',
      { targetRevision: 'my branch' },
      'targetRevision: "my branch" must not contain whitespace or control characters',
    ],
    [
      'no environments',
      { environments: [] },
      'environments: must list at least one environment',
    ],
    [
      'environment name not DNS-1123',
      { environments: [{ name: 'Prod' }] },
      'environments[0].name: "Prod" is not a DNS-1123 label',
    ],
    [
      'duplicate environments',
      { environments: [{ name: 'staging' }, { name: 'staging' }] },
      "environments[1].name: 'staging' is listed twice; environment names must be unique",
    ],
    [
      'namespace not DNS-1123',
      { environments: [{ name: 'staging', namespace: 'Orders' }] },
      'environments[0].namespace: "Orders" is not a DNS-1123 label',
    ],
    [
      'empty value file',
      { environments: [{ name: 'staging', valueFiles: [''] }] },
      'environments[0].valueFiles[0]: must not be empty',
    ],
    [
      'empty cluster',
      { environments: [{ name: 'staging', cluster: '' }] },
      'environments[0].cluster: must not be empty',
    ],
    [
      'sync option without =',
      { syncPolicy: { syncOptions: ['CreateNamespace'] } },
      'syncPolicy.syncOptions[0]: "CreateNamespace" must have the form Key=Value, e.g. CreateNamespace=true',
    ],
    [
      'automated neither false nor an object',
      { syncPolicy: { automated: true as never } },
      'syncPolicy.automated: true must be false or { prune, selfHeal, allowEmpty }',
    ],
    [
      'retry limit below -1',
      { syncPolicy: { retry: { limit: -2 } } },
      'syncPolicy.retry.limit: -2 is less than -1 (-1: unlimited)',
    ],
    [
      'retry limit not an integer',
      { syncPolicy: { retry: { limit: 1.5 } } },
      'syncPolicy.retry.limit: 1.5 is not an integer',
    ],
    [
      'bad label key',
      { labels: { 'bad key': 'x' } },
      "labels: label key 'bad key' is invalid; the name (after an optional prefix and '/') must be 1-63 characters",
    ],
    [
      'bad label value',
      { labels: { team: 'a b' } },
      'labels.team: "a b" is not a label value',
    ],
    [
      'kubernetes-id label overridden',
      { labels: { 'backstage.io/kubernetes-id': 'other' } },
      "labels: 'backstage.io/kubernetes-id' is always set to the app name 'orders-api' (Backstage finds the Applications by it); do not set it to 'other'",
    ],
    [
      'applicationNamespace not DNS-1123',
      { applicationNamespace: 'Argo CD' },
      'applicationNamespace: "Argo CD" is not a DNS-1123 label',
    ],
    [
      'a field of the wrong type',
      { environments: 'staging' as never },
      'environments: must be a list, got "staging"',
    ],
  ])('%s', (_name, override, message) => {
    const input = { ...minimal, ...override } as ApplicationsInput;
    expect(() => resolveApplicationsInput(input)).toThrow(InputError);
    expect(() => resolveApplicationsInput(input)).toThrow(message);
  });

  it('names every field that breaks a rule at once', () => {
    expect(() =>
      resolveApplicationsInput({
        ...minimal,
        appName: 'Orders',
        project: 'A B',
        environments: [{ name: 'staging' }, { name: 'staging' }],
      }),
    ).toThrow(
      /^appName: "Orders" is not a DNS-1123 label .*; project: "A B" is not a DNS-1123 subdomain .*; environments\[1\]\.name: 'staging' is listed twice; environment names must be unique$/,
    );
  });

  it('accepts the kubernetes-id label when it equals the app name', () => {
    expect(
      resolveApplicationsInput({
        ...minimal,
        labels: { 'backstage.io/kubernetes-id': 'orders-api' },
      }).labels,
    ).toEqual({ 'backstage.io/kubernetes-id': 'orders-api' });
  });
});

describe('destinationFor', () => {
  it.each([
    [undefined, { server: 'https://kubernetes.default.svc', namespace: 'ns' }],
    ['eks-prod', { name: 'eks-prod', namespace: 'ns' }],
    [
      'https://api.eks.example.com',
      { server: 'https://api.eks.example.com', namespace: 'ns' },
    ],
  ])('cluster %j → %j', (cluster, expected) => {
    expect(destinationFor('ns', cluster)).toEqual(expected);
  });
});

describe('buildAppProject', () => {
  it('allows the app repository, every destination once and namespace creation', () => {
    const project = buildAppProject({
      ...minimal,
      project: 'orders',
      environments: [
        { name: 'staging' },
        { name: 'qa' },
        { name: 'production', cluster: 'eks-prod' },
      ],
    });
    expect(project).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'orders' },
      spec: {
        description: 'Created by Runway for orders-api',
        sourceRepos: ['https://github.com/example-org/orders-api.git'],
        destinations: [
          { server: 'https://kubernetes.default.svc', namespace: 'orders-api' },
          { name: 'eks-prod', namespace: 'orders-api' },
        ],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    });
  });

  it.each([
    ['defaults', minimal],
    [
      'GitOps namespace',
      { ...minimal, project: 'team', applicationNamespace: 'argocd' },
    ],
  ])('validates against the AppProject CRD schema: %s', (_name, input) => {
    expect(validateCrd(buildAppProject(input))).toEqual([]);
  });

  it('rejects the same bad input as buildApplications', () => {
    expect(() =>
      buildAppProject({ ...minimal, project: 'Bad Project' }),
    ).toThrow('project: "Bad Project" is not a DNS-1123 subdomain');
  });
});
