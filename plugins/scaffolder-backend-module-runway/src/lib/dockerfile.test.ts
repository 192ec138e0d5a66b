import { BaseImage, findBaseImages, pinDockerfile } from './dockerfile';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

/** [kind, image, line, status] of each image found. */
const summary = (images: BaseImage[]) =>
  images.map(i => [i.kind, i.image, i.line, i.status]);

describe('findBaseImages', () => {
  it.each<[string, string, (string | number)[][]]>([
    [
      'a multi-stage build with --platform, AS names and a stage used as a base',
      [
        '# syntax=docker/dockerfile:1',
        '',
        'FROM --platform=$BUILDPLATFORM golang:1.26.8-trixie AS build',
        'RUN go build ./...',
        'FROM build AS test',
        'FROM gcr.io/distroless/static-debian13:nonroot',
        'COPY --from=build /out/server /app/server',
      ].join('\n'),
      [
        ['syntax', 'docker/dockerfile:1', 1, 'pin'],
        ['from', 'golang:1.26.8-trixie', 3, 'pin'],
        ['from', 'build', 5, 'stage'],
        ['from', 'gcr.io/distroless/static-debian13:nonroot', 6, 'pin'],
      ],
    ],
    [
      'stage names are case-insensitive and only count once defined',
      'FROM build\nFROM node:22 as Build\nFROM BUILD',
      [
        ['from', 'build', 1, 'pin'],
        ['from', 'node:22', 2, 'pin'],
        ['from', 'BUILD', 3, 'stage'],
      ],
    ],
    [
      'images already pinned, with or without a tag',
      `# syntax=docker/dockerfile:1@${D1}\nFROM node:22@${D2}\nFROM alpine@${D3}`,
      [
        ['syntax', `docker/dockerfile:1@${D1}`, 1, 'pinned'],
        ['from', `node:22@${D2}`, 2, 'pinned'],
        ['from', `alpine@${D3}`, 3, 'pinned'],
      ],
    ],
    [
      'build arguments in the image are left (global ARG before FROM)',
      'ARG GO=1.26\nARG BASE\nFROM golang:${GO}\nFROM $BASE AS run\nFROM ${REGISTRY}/app:1',
      [
        ['from', 'golang:${GO}', 3, 'variable'],
        ['from', '$BASE', 4, 'variable'],
        ['from', '${REGISTRY}/app:1', 5, 'variable'],
      ],
    ],
    [
      'scratch, lowercase instructions, indentation and CRLF line endings',
      'from scratch\r\n  From node:22-slim\r\n',
      [
        ['from', 'scratch', 1, 'scratch'],
        ['from', 'node:22-slim', 2, 'pin'],
      ],
    ],
    [
      'comments are not instructions, and the syntax directive counts only at the top',
      '# FROM commented:1\nFROM node:22\n# syntax=docker/dockerfile:1\n  # FROM indented:1',
      [['from', 'node:22', 2, 'pin']],
    ],
    [
      'a syntax directive after a comment or blank line is a comment',
      '\n# syntax=docker/dockerfile:1\nFROM node:22',
      [['from', 'node:22', 3, 'pin']],
    ],
    [
      'directives in any case and spacing, with escape before syntax',
      '#  Escape = `\n# SYNTAX = docker/dockerfile:1.7-labs\nFROM `\n  node:22 AS a\nFROM a',
      [
        ['syntax', 'docker/dockerfile:1.7-labs', 2, 'pin'],
        ['from', 'node:22', 4, 'pin'],
        ['from', 'a', 5, 'stage'],
      ],
    ],
    [
      'a FROM continued over lines, a comment line inside the continuation',
      'FROM \\\n# the builder platform\n  --platform=linux/amd64 \\\n  node:22 \\\n  AS build\nFROM build',
      [
        ['from', 'node:22', 4, 'pin'],
        ['from', 'build', 6, 'stage'],
      ],
    ],
    [
      'here-documents are not instructions',
      [
        'FROM node:22',
        'RUN <<EOF',
        'FROM not-an-instruction:1',
        'EOF',
        'COPY <<-"END" /Dockerfile.inner',
        '\tFROM not-either:1',
        '\tEND',
        'FROM alpine:3',
      ].join('\n'),
      [
        ['from', 'node:22', 1, 'pin'],
        ['from', 'alpine:3', 8, 'pin'],
      ],
    ],
    [
      'registries with ports, localhost and nested repositories',
      'FROM localhost:5000/team/base:1\nFROM 127.0.0.1:5000/base\nFROM ghcr.io/org/group/img:v1.2',
      [
        ['from', 'localhost:5000/team/base:1', 1, 'pin'],
        ['from', '127.0.0.1:5000/base', 2, 'pin'],
        ['from', 'ghcr.io/org/group/img:v1.2', 3, 'pin'],
      ],
    ],
  ])('%s', (_title, dockerfile, expected) => {
    expect(summary(findBaseImages(dockerfile))).toEqual(expected);
  });

  it.each([
    ['FROM Node:22', "line 1: 'Node:22' is not an image reference"],
    [
      'FROM node:22\nFROM node:bad:tag!',
      "line 2: 'node:bad:tag!' has an invalid tag 'tag!'",
    ],
    [
      'FROM node@sha256:abc',
      "line 1: 'node@sha256:abc' has an invalid digest 'sha256:abc'",
    ],
    ['FROM --platform=linux/amd64', 'line 1: FROM names no image'],
  ])('%j is refused: %s', (dockerfile, message) => {
    expect(() => findBaseImages(dockerfile)).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(message),
      }),
    );
  });
});

describe('pinDockerfile', () => {
  const digests = new Map([
    ['docker/dockerfile:1', D1],
    ['golang:1.26.8-trixie', D2],
    ['gcr.io/distroless/static-debian13:nonroot', D3],
  ]);

  it('appends the digest to each image to pin and changes nothing else', () => {
    const dockerfile = [
      '# syntax=docker/dockerfile:1',
      '',
      '# The builder.',
      'FROM --platform=$BUILDPLATFORM golang:1.26.8-trixie AS build',
      'FROM build AS test',
      `FROM node:22@${D1}`,
      'FROM golang:${GO}',
      'FROM gcr.io/distroless/static-debian13:nonroot\r',
      'USER nonroot:nonroot',
      '',
    ].join('\n');
    expect(pinDockerfile(dockerfile, findBaseImages(dockerfile), digests)).toBe(
      [
        `# syntax=docker/dockerfile:1@${D1}`,
        '',
        '# The builder.',
        `FROM --platform=$BUILDPLATFORM golang:1.26.8-trixie@${D2} AS build`,
        'FROM build AS test',
        `FROM node:22@${D1}`,
        'FROM golang:${GO}',
        `FROM gcr.io/distroless/static-debian13:nonroot@${D3}\r`,
        'USER nonroot:nonroot',
        '',
      ].join('\n'),
    );
  });

  it('is idempotent: a pinned Dockerfile has nothing left to pin', () => {
    const dockerfile =
      '# syntax=docker/dockerfile:1\nFROM golang:1.26.8-trixie AS build\nFROM golang:1.26.8-trixie\n';
    const pinned = pinDockerfile(
      dockerfile,
      findBaseImages(dockerfile),
      digests,
    );
    expect(pinned).toBe(
      `# syntax=docker/dockerfile:1@${D1}\nFROM golang:1.26.8-trixie@${D2} AS build\nFROM golang:1.26.8-trixie@${D2}\n`,
    );
    const again = findBaseImages(pinned);
    expect(again.map(i => i.status)).toEqual(['pinned', 'pinned', 'pinned']);
    expect(pinDockerfile(pinned, again, new Map())).toBe(pinned);
  });

  it('refuses to pin when a digest is missing (nothing half-pinned)', () => {
    const dockerfile = 'FROM golang:1.26.8-trixie\nFROM alpine:3\n';
    expect(() =>
      pinDockerfile(dockerfile, findBaseImages(dockerfile), digests),
    ).toThrow(new Error('no digest for alpine:3'));
  });
});
