import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const step = (name: string, input: Record<string, unknown>) =>
  yaml.stringify({
    steps: [
      {
        id: 'promote',
        name,
        action: 'argocd:app:promote',
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'Promote the commit staging runs to production: orders-api-production is pinned to it once orders-api-staging is Synced and Healthy at that commit, its Rollout is fully promoted, and CI and the runway/staging-verification status succeeded on it.',
    example: step('Promote to production', {
      appName: 'orders-api',
      commit: '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
    }),
  },
  {
    description:
      'A template with a commit parameter: promote through a pull request on the argocd.gitops repository instead of the Argo CD API.',
    example: step('Open the promotion pull request', {
      appName: '${{ parameters.name }}',
      commit: '${{ parameters.commit }}',
      mode: 'gitops',
    }),
  },
  {
    description:
      'Other environments: promote from qa to eu-production on the edge instance, reading the verification status qa/verified.',
    example: step('Promote to eu-production', {
      appName: 'storefront',
      commit: '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
      instance: 'edge',
      project: 'web',
      from: 'qa',
      to: 'eu-production',
      verificationContext: 'qa/verified',
    }),
  },
];
