import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const step = (name: string, input: Record<string, unknown>) =>
  yaml.stringify({
    steps: [
      {
        id: 'argocd',
        name,
        action: 'argocd:app:create',
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'Register a service for staging and production with every default: the chart in chart/, values-<env>.yaml, namespace <appName>, automated sync, the first Argo CD instance and the default project.',
    example: step('Register in Argo CD', {
      appName: 'orders-api',
      repoUrl: 'https://github.com/example-org/orders-api.git',
    }),
  },
  {
    description:
      "Right after publish:github: deploy the published repository's main branch.",
    example: step('Register in Argo CD', {
      appName: '${{ parameters.name }}',
      repoUrl: "${{ steps['publish'].output.remoteUrl }}",
      targetRevision: 'main',
    }),
  },
  {
    description:
      'Choose the instance, a project to create, the environments (one in another cluster), value files, labels and a manual sync policy; update Applications that already exist with another spec.',
    example: step('Register in Argo CD', {
      appName: 'storefront',
      instance: 'main',
      project: 'web',
      createProject: true,
      repoUrl: 'https://github.com/example-org/storefront.git',
      path: 'deploy/chart',
      targetRevision: 'v1.4.0',
      environments: [
        {
          name: 'staging',
          namespace: 'web-staging',
          valueFiles: ['values.yaml', 'values-staging.yaml'],
        },
        {
          name: 'production',
          namespace: 'web',
          valueFiles: ['values.yaml', 'values-production.yaml'],
          cluster: 'eks-production',
        },
      ],
      syncPolicy: {
        automated: false,
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
      labels: { team: 'web' },
      upsert: true,
    }),
  },
  {
    description:
      'GitOps: commit the Applications to the argocd.gitops repository through a pull request instead of calling Argo CD (re-running reuses the pull request).',
    example: step('Open the GitOps pull request', {
      appName: 'orders-api',
      repoUrl: 'https://github.com/example-org/orders-api.git',
      mode: 'gitops',
    }),
  },
];
