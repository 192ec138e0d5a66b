import { ImageReference, parseImageReference } from './imageReference';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each<[string, ImageReference]>([
    [
      'node:22',
      {
        registry: 'docker.io',
        repository: 'library/node',
        tag: '22',
        tagged: true,
      },
    ],
    [
      'node',
      {
        registry: 'docker.io',
        repository: 'library/node',
        tag: 'latest',
        tagged: false,
      },
    ],
    [
      'docker/dockerfile:1',
      {
        registry: 'docker.io',
        repository: 'docker/dockerfile',
        tag: '1',
        tagged: true,
      },
    ],
    [
      'index.docker.io/library/node:22',
      {
        registry: 'docker.io',
        repository: 'library/node',
        tag: '22',
        tagged: true,
      },
    ],
    [
      'registry-1.docker.io/bitnami/redis:7',
      {
        registry: 'docker.io',
        repository: 'bitnami/redis',
        tag: '7',
        tagged: true,
      },
    ],
    [
      'gcr.io/distroless/static-debian13:nonroot',
      {
        registry: 'gcr.io',
        repository: 'distroless/static-debian13',
        tag: 'nonroot',
        tagged: true,
      },
    ],
    [
      'localhost/app:1',
      { registry: 'localhost', repository: 'app', tag: '1', tagged: true },
    ],
    [
      'localhost:5000/a/b/c',
      {
        registry: 'localhost:5000',
        repository: 'a/b/c',
        tag: 'latest',
        tagged: false,
      },
    ],
    [
      `node:22@${D}`,
      {
        registry: 'docker.io',
        repository: 'library/node',
        tag: '22',
        tagged: true,
        digest: D,
      },
    ],
    [
      `ghcr.io/org/app@${D}`,
      {
        registry: 'ghcr.io',
        repository: 'org/app',
        tag: 'latest',
        tagged: false,
        digest: D,
      },
    ],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  it.each([
    [
      'Node:22',
      "'Node:22' is not an image reference (lowercase name components separated by /)",
    ],
    ['node:', "'node:' has an invalid tag ''"],
    ['node:-x', "'node:-x' has an invalid tag '-x'"],
    [
      'a//b:1',
      "'a//b:1' is not an image reference (lowercase name components separated by /)",
    ],
    [
      'node@sha256:short',
      "'node@sha256:short' has an invalid digest 'sha256:short'",
    ],
  ])('refuses %j', (text, message) => {
    expect(() => parseImageReference(text)).toThrow(new Error(message));
  });
});
