import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDockerfile, checkDockerfileText } from './dockerfile';

/** A Dockerfile that passes every rule; cases replace parts of it. */
function dockerfile(
  options: { builder?: string; final?: string; tail?: string } = {},
) {
  return `# syntax=docker/dockerfile:1
ARG GO_VERSION=1.26
FROM --platform=$BUILDPLATFORM ${
    options.builder ?? 'golang:${GO_VERSION}-trixie'
  } AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/server

FROM ${options.final ?? 'gcr.io/distroless/static-debian13:nonroot'}
COPY --from=build /out/app /app
${options.tail ?? 'USER nonroot:nonroot\nENTRYPOINT ["/app"]'}
`;
}

describe('checkDockerfileText', () => {
  it.each<[string, string, RegExp[]]>([
    ['a multi-stage distroless Dockerfile', dockerfile(), []],
    [
      'a single stage',
      'FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\nUSER nonroot\nENTRYPOINT ["/app"]\n',
      [/not multi-stage/],
    ],
    ['no FROM at all', 'RUN echo "hi"\n', [/no FROM instruction/]],
    [
      'the unsuffixed distroless image',
      dockerfile({ final: 'gcr.io/distroless/static:nonroot' }),
      [
        /final stage is gcr.io\/distroless\/static:nonroot; it must be gcr.io\/distroless\/<image>-debian13:nonroot/,
      ],
    ],
    [
      'an older Debian',
      dockerfile({ final: 'gcr.io/distroless/static-debian12:nonroot' }),
      [/must be gcr.io\/distroless\/<image>-debian13:nonroot/],
    ],
    [
      'the root tag of distroless',
      dockerfile({ final: 'gcr.io/distroless/static-debian13' }),
      [/must be gcr.io\/distroless\/<image>-debian13:nonroot/],
    ],
    [
      'the debug-nonroot tag',
      dockerfile({ final: 'gcr.io/distroless/static-debian13:debug-nonroot' }),
      [/must be gcr.io\/distroless\/<image>-debian13:nonroot/],
    ],
    [
      'a final stage on a full OS image',
      dockerfile({ final: 'debian:13-slim' }),
      [/final stage is debian:13-slim/],
    ],
    [
      'a distroless image pinned by digest as well',
      dockerfile({
        final: `gcr.io/distroless/static-debian13:nonroot@sha256:${'b'.repeat(
          64,
        )}`,
      }),
      [],
    ],
    [
      'another distroless debian13 image (Node.js)',
      dockerfile({ final: 'gcr.io/distroless/nodejs24-debian13:nonroot' }),
      [],
    ],
    [
      'a latest builder',
      dockerfile({ builder: 'golang:latest' }),
      [/the builder image golang:latest does not pin a version/],
    ],
    [
      'an untagged builder',
      dockerfile({ builder: 'golang' }),
      [/the builder image golang does not pin a version/],
    ],
    [
      'a builder tag without a version',
      dockerfile({ builder: 'golang:trixie' }),
      [/the builder image golang:trixie does not pin a version/],
    ],
    [
      'a builder from a registry with a port, untagged',
      dockerfile({ builder: 'registry.example.com:5000/golang' }),
      [/registry.example.com:5000\/golang does not pin a version/],
    ],
    [
      'a builder pinned by digest',
      dockerfile({ builder: `golang@sha256:${'c'.repeat(64)}` }),
      [],
    ],
    [
      'a builder version from an ARG without a default',
      `ARG GO_VERSION\n${dockerfile()}`.replace('ARG GO_VERSION=1.26\n', ''),
      [/a variable without a default/],
    ],
    [
      'no USER in the final stage',
      dockerfile({ tail: 'ENTRYPOINT ["/app"]' }),
      [/the final stage sets no USER/],
    ],
    [
      'USER root',
      dockerfile({ tail: 'USER root\nENTRYPOINT ["/app"]' }),
      [/USER root runs as root/],
    ],
    [
      'USER 0:0',
      dockerfile({ tail: 'USER 0:0\nENTRYPOINT ["/app"]' }),
      [/USER 0:0 runs as root/],
    ],
    [
      'a non-root USER followed by root',
      dockerfile({ tail: 'USER 65532\nUSER root\nENTRYPOINT ["/app"]' }),
      [/USER root runs as root/],
    ],
    [
      'a numeric non-root USER',
      dockerfile({ tail: 'USER 65532:65532\nENTRYPOINT ["/app"]' }),
      [],
    ],
    [
      'a shell-form ENTRYPOINT',
      dockerfile({ tail: 'USER nonroot\nENTRYPOINT /app' }),
      [/ENTRYPOINT is in shell form/],
    ],
    [
      'an ENTRYPOINT that is not valid JSON',
      dockerfile({ tail: `USER nonroot\nENTRYPOINT ['/app']` }),
      [/ENTRYPOINT is in shell form/],
    ],
    [
      'a shell-form CMD',
      dockerfile({ tail: 'USER nonroot\nCMD /app serve' }),
      [/CMD is in shell form/],
    ],
    [
      'an exec-form CMD',
      dockerfile({ tail: 'USER nonroot\nCMD ["/app", "serve"]' }),
      [],
    ],
    [
      'an exec-form ENTRYPOINT over two lines',
      dockerfile({ tail: 'USER nonroot\nENTRYPOINT ["/app", \\\n  "serve"]' }),
      [],
    ],
    [
      'neither ENTRYPOINT nor CMD',
      dockerfile({ tail: 'USER nonroot' }),
      [/no ENTRYPOINT or CMD/],
    ],
  ])('%s', (_, text, expected) => {
    const problems = checkDockerfileText(text);
    expect(problems).toEqual(
      expected.map(problem => expect.stringMatching(problem)),
    );
  });

  it('checks only the final stage for USER and ENTRYPOINT', () => {
    const text = dockerfile({ tail: 'ENTRYPOINT /app' }).replace(
      'WORKDIR /src',
      'WORKDIR /src\nUSER 1000\nENTRYPOINT ["/x"]',
    );
    expect(checkDockerfileText(text)).toEqual([
      expect.stringMatching(/the final stage sets no USER/),
      expect.stringMatching(/ENTRYPOINT is in shell form/),
    ]);
  });

  it('exempts earlier stages and scratch from the version rule', () => {
    const text = dockerfile().replace(
      '\nFROM gcr.io',
      '\nFROM build AS test\nRUN go test ./...\nFROM scratch AS empty\nFROM gcr.io',
    );
    expect(checkDockerfileText(text)).toEqual([]);
  });

  it('names the line of each problem', () => {
    expect(
      checkDockerfileText(
        dockerfile({ tail: 'USER root\nCMD /app' }),
        'x/Dockerfile',
      ),
    ).toEqual([
      expect.stringMatching(/^x\/Dockerfile:10: USER root runs as root/),
      expect.stringMatching(/^x\/Dockerfile:11: CMD is in shell form/),
    ]);
  });
});

describe('checkDockerfile', () => {
  it('reads and checks a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockerfile-check-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), dockerfile());
      expect(checkDockerfile(join(dir, 'Dockerfile'))).toEqual([]);
      writeFileSync(join(dir, 'Dockerfile'), dockerfile({ builder: 'golang' }));
      expect(checkDockerfile(join(dir, 'Dockerfile'))).toEqual([
        expect.stringMatching(/^Dockerfile:3: the builder image golang/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
