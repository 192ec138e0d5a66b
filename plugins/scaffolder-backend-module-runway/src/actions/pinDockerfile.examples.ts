import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const step = (name: string, input?: Record<string, unknown>) =>
  yaml.stringify({
    steps: [
      {
        id: 'pin-images',
        name,
        action: 'runway:dockerfile:pin',
        ...(input ? { input } : {}),
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      "Pin the base images of the workspace's Dockerfile (after fetch:template, before publish): every FROM image and the # syntax= frontend get the digest their tag has now, e.g. golang:1.26.8-trixie@sha256:….",
    example: step('Pin the base images'),
  },
  {
    description:
      'Pin the Dockerfile of a sub-directory (a repository with several images).',
    example: step('Pin the worker image', { path: 'worker/Dockerfile' }),
  },
];
