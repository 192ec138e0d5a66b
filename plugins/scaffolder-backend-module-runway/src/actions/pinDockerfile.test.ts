import { JsonObject } from '@backstage/types';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { setupServer } from 'msw/node';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerHub, FakeRegistry, gcr } from '../__testUtils__/FakeRegistry';
import { createPinDockerfileAction } from './pinDockerfile';
import { examples } from './pinDockerfile.examples';
import yaml from 'yaml';

const GO_DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  '',
  'FROM --platform=$BUILDPLATFORM golang:1.26.8-trixie AS build',
  'RUN go build -o /out/server ./cmd/server',
  '',
  'FROM gcr.io/distroless/static-debian13:nonroot',
  'COPY --from=build /out/server /app/server',
  '',
].join('\n');

describe('runway:dockerfile:pin', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  let workspace: string;
  let hub: FakeRegistry;
  let google: FakeRegistry;
  let digests: Record<string, string>;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'runway-pin-'));
    hub = dockerHub();
    google = gcr();
    digests = {
      syntax: hub.push('docker/dockerfile', '1'),
      golang: hub.push('library/golang', '1.26.8-trixie'),
      static: google.push('distroless/static-debian13', 'nonroot'),
    };
    server.use(...hub.handlers(), ...google.handlers());
  });

  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  const action = createPinDockerfileAction({
    config: new ConfigReader({}),
    clientOptions: { sleep: async () => undefined },
  });

  const run = async (
    input: JsonObject = {},
    options: { isDryRun?: boolean } = {},
  ) => {
    const logger = mockServices.logger.mock();
    const ctx = {
      ...createMockActionContext({ input, workspacePath: workspace, logger }),
      // createMockActionContext drops isDryRun
      isDryRun: options.isDryRun,
    };
    await action.handler(ctx);
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    const logs = (level: 'info' | 'warn') =>
      logger[level].mock.calls.map(([message]) => String(message));
    return { outputs, logs };
  };

  const failure = async (input: JsonObject = {}) => {
    const error = await run(input).then(
      () => undefined,
      e => e as Error,
    );
    if (!error) throw new Error('expected the action to fail');
    return error;
  };

  const dockerfile = (path = 'Dockerfile') =>
    readFileSync(join(workspace, path), 'utf8');
  const requests = () => [...hub.requests, ...google.requests];

  it("pins the # syntax frontend and every FROM image to its tag's digest, then has nothing left to do", async () => {
    writeFileSync(join(workspace, 'Dockerfile'), GO_DOCKERFILE);
    const { outputs, logs } = await run();

    expect(dockerfile()).toBe(
      [
        `# syntax=docker/dockerfile:1@${digests.syntax}`,
        '',
        `FROM --platform=$BUILDPLATFORM golang:1.26.8-trixie@${digests.golang} AS build`,
        'RUN go build -o /out/server ./cmd/server',
        '',
        `FROM gcr.io/distroless/static-debian13:nonroot@${digests.static}`,
        'COPY --from=build /out/server /app/server',
        '',
      ].join('\n'),
    );
    expect(outputs).toEqual({
      pinned: [
        {
          line: 1,
          kind: 'syntax',
          image: 'docker/dockerfile:1',
          digest: digests.syntax,
        },
        {
          line: 3,
          kind: 'from',
          image: 'golang:1.26.8-trixie',
          digest: digests.golang,
        },
        {
          line: 6,
          kind: 'from',
          image: 'gcr.io/distroless/static-debian13:nonroot',
          digest: digests.static,
        },
      ],
      unpinned: [],
    });
    expect(logs('info')).toEqual([
      `Dockerfile: pinned docker/dockerfile:1 to ${digests.syntax}`,
      `Dockerfile: pinned golang:1.26.8-trixie to ${digests.golang}`,
      `Dockerfile: pinned gcr.io/distroless/static-debian13:nonroot to ${digests.static}`,
    ]);

    expect(readdirSync(workspace)).toEqual(['Dockerfile']);

    // A re-run: no registry call, the file unchanged.
    const pinned = dockerfile();
    const before = requests().length;
    const again = await run();
    expect(requests()).toHaveLength(before);
    expect(dockerfile()).toBe(pinned);
    expect(again.outputs).toEqual({ pinned: [], unpinned: [] });
    expect(again.logs('info')).toEqual([
      'Dockerfile: every base image is pinned already',
    ]);
  });

  it('resolves an image named twice once, and pins both lines', async () => {
    writeFileSync(
      join(workspace, 'Dockerfile'),
      'FROM golang:1.26.8-trixie AS deps\nFROM golang:1.26.8-trixie AS build\n',
    );
    await run();
    expect(dockerfile()).toBe(
      `FROM golang:1.26.8-trixie@${digests.golang} AS deps\nFROM golang:1.26.8-trixie@${digests.golang} AS build\n`,
    );
    expect(hub.requests.filter(r => r.url.includes('/manifests/')).length).toBe(
      2,
    ); // the challenged HEAD, then the HEAD with the token
  });

  it('leaves images naming a build argument, with a warning and in the output', async () => {
    writeFileSync(
      join(workspace, 'Dockerfile'),
      'ARG GO=1.26.8\nFROM golang:${GO}-trixie AS build\nFROM gcr.io/distroless/static-debian13:nonroot\n',
    );
    const { outputs, logs } = await run();
    expect(dockerfile()).toBe(
      `ARG GO=1.26.8\nFROM golang:\${GO}-trixie AS build\nFROM gcr.io/distroless/static-debian13:nonroot@${digests.static}\n`,
    );
    expect(outputs.unpinned).toEqual([
      {
        line: 2,
        kind: 'from',
        image: 'golang:${GO}-trixie',
        reason: 'it names a build argument, known only at build time',
      },
    ]);
    expect(logs('warn')).toEqual([
      'Dockerfile:2: golang:${GO}-trixie left unpinned: it names a build argument, known only at build time',
    ]);
  });

  it('in a dry run calls no registry, writes nothing and logs what it would pin', async () => {
    writeFileSync(join(workspace, 'Dockerfile'), GO_DOCKERFILE);
    const { outputs, logs } = await run({}, { isDryRun: true });
    expect(requests()).toEqual([]);
    expect(dockerfile()).toBe(GO_DOCKERFILE);
    expect(logs('info')).toEqual([
      'Dry run: would pin docker/dockerfile:1 in Dockerfile to the digest of https://registry-1.docker.io/v2/docker/dockerfile/manifests/1',
      'Dry run: would pin golang:1.26.8-trixie in Dockerfile to the digest of https://registry-1.docker.io/v2/library/golang/manifests/1.26.8-trixie',
      'Dry run: would pin gcr.io/distroless/static-debian13:nonroot in Dockerfile to the digest of https://gcr.io/v2/distroless/static-debian13/manifests/nonroot',
    ]);
    expect(outputs.pinned).toEqual([
      { line: 1, kind: 'syntax', image: 'docker/dockerfile:1' },
      { line: 3, kind: 'from', image: 'golang:1.26.8-trixie' },
      {
        line: 6,
        kind: 'from',
        image: 'gcr.io/distroless/static-debian13:nonroot',
      },
    ]);
  });

  it('an unknown tag fails naming the image, and the file stays as it was', async () => {
    const text =
      'FROM golang:1.26.8-trixie AS build\nFROM gcr.io/distroless/static-debian13:nope\n';
    writeFileSync(join(workspace, 'Dockerfile'), text);
    const error = await failure();
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      'gcr.io/distroless/static-debian13:nope (https://gcr.io/v2/distroless/static-debian13/manifests/nope): no such image or tag on gcr.io (404)',
    );
    expect(dockerfile()).toBe(text);
  });

  it.each([
    [{ path: '' }, 'path: must not be empty'],
    [{ path: 3 }, 'path: must be a string, got 3'],
    [
      { path: '../Dockerfile' },
      "path: '../Dockerfile' is outside the workspace",
    ],
    [
      { path: 'service/Dockerfile' },
      "path: there is no file 'service/Dockerfile' in the workspace",
    ],
  ])('refuses %j before any registry call: %s', async (input, message) => {
    writeFileSync(join(workspace, 'Dockerfile'), GO_DOCKERFILE);
    const error = await failure(input);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(message);
    expect(requests()).toEqual([]);
  });

  it('an image that is not a reference is an InputError naming the file and line', async () => {
    writeFileSync(
      join(workspace, 'Dockerfile'),
      'FROM node:22\nFROM Golang:1\n',
    );
    const error = await failure();
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      "path: Dockerfile, line 2: 'Golang:1' is not an image reference (lowercase name components separated by /)",
    );
    expect(requests()).toEqual([]);
  });

  describe('examples', () => {
    it.each(examples.map((example, index) => [example.description, index]))(
      '%s',
      async (_description, index) => {
        const [step] = yaml.parse(examples[index as number].example).steps;
        expect(step.action).toBe('runway:dockerfile:pin');
        const path = step.input?.path ?? 'Dockerfile';
        await mkdir(join(workspace, path, '..'), { recursive: true });
        writeFileSync(join(workspace, path), GO_DOCKERFILE);
        await run(step.input ?? {});
        expect(dockerfile(path)).toContain(
          `FROM gcr.io/distroless/static-debian13:nonroot@${digests.static}\n`,
        );
        expect(dockerfile(path)).toContain(
          `# syntax=docker/dockerfile:1@${digests.syntax}\n`,
        );
      },
    );
  });
});
