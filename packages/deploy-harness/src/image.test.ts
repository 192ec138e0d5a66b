import { checkDockerfile } from '@runway/template-harness';
import { readFileSync } from 'node:fs';
import { hadolint } from './hadolint';
import { checkProductionImage, finalCommand, parseDockerfile } from './image';
import { dockerfilePath } from './paths';

const NODE = `node:22-trixie-slim@sha256:${'a'.repeat(64)}`;
const DISTROLESS = `gcr.io/distroless/nodejs22-debian13:nonroot@sha256:${'b'.repeat(
  64,
)}`;

/** A Dockerfile like the portal's, with parts replaced. */
function dockerfile(parts: {
  build?: string;
  deps?: string;
  finalFrom?: string;
  final?: string;
}) {
  return [
    `FROM ${NODE} AS build`,
    parts.build ??
      'RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++',
    'WORKDIR /src',
    'COPY . .',
    `FROM ${NODE} AS deps`,
    'WORKDIR /app',
    parts.deps ??
      'RUN node .yarn/releases/yarn-*.cjs workspaces focus --all --production',
    `FROM ${parts.finalFrom ?? DISTROLESS}`,
    'WORKDIR /app',
    'COPY --from=deps /app /app',
    parts.final ?? 'ENV NODE_ENV=production',
    'USER 65532:65532',
    'ENTRYPOINT ["/nodejs/bin/node"]',
    'CMD ["packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]',
    '',
  ].join('\n');
}

describe('deploy/Dockerfile', () => {
  const text = readFileSync(dockerfilePath, 'utf8');

  it("passes the template harness's Dockerfile checks (multi-stage, distroless nonroot, USER, exec form)", () => {
    expect(checkDockerfile(dockerfilePath)).toEqual([]);
  });

  it("passes the production image's rules (digests, Node 22, no build tools or mkdocs in what ships)", () => {
    expect(checkProductionImage(parseDockerfile(text))).toEqual([]);
  });

  it('starts the backend with both configurations as node, PID 1, non-root, in production mode', () => {
    expect(finalCommand(parseDockerfile(text))).toEqual({
      workdir: '/app',
      env: { NODE_ENV: 'production' },
      user: '65532:65532',
      argv: [
        '/nodejs/bin/node',
        'packages/backend',
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
      ],
    });
  });

  it('has nothing hadolint reports, at any level (its shell checks included)', () => {
    expect(hadolint(text)).toEqual([]);
  });

  it('installs production dependencies only, from the backend bundle', () => {
    const deps = parseDockerfile(text).find(s => s.name === 'deps')!;
    const runs = deps.steps.flatMap(s => (s.kind === 'RUN' ? [s.command] : []));
    expect(runs).toContain(
      'node .yarn/releases/yarn-*.cjs workspaces focus --all --production',
    );
    expect(runs.join('\n')).not.toMatch(/apt-get|g\+\+|python|mkdocs/);
  });
});

describe('hadolint', () => {
  it('reports what it finds, with line, rule and level', () => {
    expect(
      hadolint(
        dockerfile({
          build: 'RUN cd /src && apt-get install -y g++',
          final: 'ENV NODE_ENV=production\nCMD node packages/backend',
        }),
      ),
    ).toEqual([
      'Dockerfile:2 DL3003 warning: Use WORKDIR to switch to a directory',
      'Dockerfile:2 DL3008 warning: Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
      'Dockerfile:2 DL3015 info: Avoid additional packages by specifying `--no-install-recommends`',
      'Dockerfile:12 DL3025 warning: Use arguments JSON notation for CMD and ENTRYPOINT arguments',
      'Dockerfile:15 DL4003 warning: Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
    ]);
  });
});

describe('checkProductionImage', () => {
  it('accepts the model Dockerfile', () => {
    expect(checkProductionImage(parseDockerfile(dockerfile({})))).toEqual([]);
  });

  it.each([
    [
      'a base image pinned by tag only',
      { finalFrom: 'gcr.io/distroless/nodejs22-debian13:nonroot' },
      'Dockerfile:8: FROM gcr.io/distroless/nodejs22-debian13:nonroot is not pinned by digest (<image>:<tag>@sha256:<64 hex>)',
    ],
    [
      'another Node.js major',
      {
        finalFrom: `gcr.io/distroless/nodejs20-debian12:nonroot@sha256:${'c'.repeat(
          64,
        )}`,
      },
      'Dockerfile:8: the final stage is gcr.io/distroless/nodejs20-debian12; it must be gcr.io/distroless/nodejs22-debian13 (Node.js 22)',
    ],
    [
      'a command in the final stage',
      { final: 'ENV NODE_ENV=production\nRUN ["/nodejs/bin/node", "-e", "1"]' },
      'Dockerfile:12: the final stage runs a command; do the work in an earlier stage and copy the result',
    ],
    [
      'a compiler in the stage the final image copies from',
      {
        deps: 'RUN apt-get update && apt-get install -y g++ && node .yarn/releases/yarn-*.cjs workspaces focus --all --production',
      },
      'Dockerfile:7: stage deps, which the final image copies from, installs build tools (g++)',
    ],
    [
      'mkdocs anywhere',
      { build: 'RUN pip install mkdocs-techdocs-core' },
      'Dockerfile:2: installs or runs mkdocs: TechDocs are built in CI and published to S3, never in the image',
    ],
    [
      'no NODE_ENV',
      { final: 'ENV LOG_LEVEL=info' },
      'Dockerfile:8: the final stage must set NODE_ENV=production',
    ],
  ])('reports %s', (_, parts, problem) => {
    expect(checkProductionImage(parseDockerfile(dockerfile(parts)))).toEqual([
      problem,
    ]);
  });
});
