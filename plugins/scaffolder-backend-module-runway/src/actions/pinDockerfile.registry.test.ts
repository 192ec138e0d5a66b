import { JsonObject } from '@backstage/types';
/*
 * runway:dockerfile:pin against a real OCI registry: CNCF distribution's `registry` on a free
 * localhost port (plain HTTP, no auth), filled with go-containerregistry's `crane`; both built
 * from the Go module proxy into .cache/tools by scripts/ensure-template-tools.sh
 * --registry-only, which this test runs (a no-op once built). The digests the action writes
 * must be the ones `crane digest` reads: a single image's manifest and a multi-arch index's.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { freePort } from '@runway/testing';
import {
  ChildProcess,
  execFile,
  execFileSync,
  spawn,
} from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createPinDockerfileAction } from './pinDockerfile';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../../../..');

describe('runway:dockerfile:pin against a real registry', () => {
  let work: string;
  let tools: string;
  let registry: ChildProcess;
  let host: string;
  let log = '';

  const crane = async (...args: string[]) =>
    (await run(join(tools, 'crane'), args, { cwd: work })).stdout.trim();

  beforeAll(async () => {
    tools = execFileSync(
      join(repoRoot, 'scripts/ensure-template-tools.sh'),
      ['--registry-only'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ).trim();
    work = mkdtempSync(join(tmpdir(), 'runway-registry-'));
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    writeFileSync(
      join(work, 'config.yml'),
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(work, 'storage')}`,
        'http:',
        `  addr: ${host}`,
        '',
      ].join('\n'),
    );
    registry = spawn(
      join(tools, 'registry'),
      ['serve', join(work, 'config.yml')],
      {
        env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    registry.stderr!.on('data', chunk => {
      log += chunk;
    });
    // Ready once /v2/ answers.
    for (let attempt = 0; ; attempt++) {
      const ok = await fetch(`http://${host}/v2/`).then(
        r => r.ok,
        () => false,
      );
      if (ok) break;
      if (attempt > 100 || registry.exitCode !== null) {
        throw new Error(`the registry did not start:\n${log}`);
      }
      await new Promise(r => setTimeout(r, 100));
    }

    // One layer; an image per platform, and an index of both.
    mkdirSync(join(work, 'layer'));
    writeFileSync(join(work, 'layer', 'hello.txt'), 'hello\n');
    execFileSync('tar', [
      '-cf',
      join(work, 'layer.tar'),
      '-C',
      join(work, 'layer'),
      '.',
    ]);
    await crane('append', '-f', 'layer.tar', '-t', `${host}/base/static:1`);
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      await crane(
        'mutate',
        `${host}/base/static:1`,
        '--set-platform',
        platform,
        '-t',
        `${host}/base/node:${platform.split('/')[1]}`,
      );
    }
    await crane(
      'index',
      'append',
      '-m',
      `${host}/base/node:amd64`,
      '-m',
      `${host}/base/node:arm64`,
      '-t',
      `${host}/base/node:22`,
    );
    await crane('append', '-f', 'layer.tar', '-t', `${host}/dockerfile:1`);
  }, 600_000);

  afterAll(() => {
    registry?.kill();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const pin = async (dockerfile: string, registries: JsonObject[]) => {
    const workspace = mkdtempSync(join(work, 'workspace-'));
    writeFileSync(join(workspace, 'Dockerfile'), dockerfile);
    const ctx = createMockActionContext({
      input: {},
      workspacePath: workspace,
      logger: mockServices.logger.mock(),
    });
    await createPinDockerfileAction({
      config: new ConfigReader({ runway: { registries } }),
      clientOptions: { sleep: async () => undefined, maxAttempts: 1 },
    }).handler(ctx);
    return readFileSync(join(workspace, 'Dockerfile'), 'utf8');
  };

  it('pins the syntax frontend, an image and a multi-arch index to the digests crane reads', async () => {
    const index = await crane('digest', `${host}/base/node:22`);
    const image = await crane('digest', `${host}/base/static:1`);
    const frontend = await crane('digest', `${host}/dockerfile:1`);
    const manifest = JSON.parse(
      await crane('manifest', `${host}/base/node:22`),
    );
    expect(manifest.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(manifest.manifests.map((m: any) => m.platform.architecture)).toEqual(
      ['amd64', 'arm64'],
    );

    const pinned = await pin(
      [
        `# syntax=${host}/dockerfile:1`,
        `FROM --platform=$BUILDPLATFORM ${host}/base/node:22 AS build`,
        'RUN echo build',
        `FROM ${host}/base/static:1`,
        'COPY --from=build /out /out',
        '',
      ].join('\n'),
      [{ host, insecure: true }],
    );
    expect(pinned).toBe(
      [
        `# syntax=${host}/dockerfile:1@${frontend}`,
        `FROM --platform=$BUILDPLATFORM ${host}/base/node:22@${index} AS build`,
        'RUN echo build',
        `FROM ${host}/base/static:1@${image}`,
        'COPY --from=build /out /out',
        '',
      ].join('\n'),
    );
    // The pinned references are pullable as written.
    await expect(
      crane('digest', `${host}/base/node:22@${index}`),
    ).resolves.toBe(index);
  });

  it('an unknown tag is a NotFoundError naming the image', async () => {
    await expect(
      pin(`FROM ${host}/base/node:99\n`, [{ host, insecure: true }]),
    ).rejects.toThrow(
      `${host}/base/node:99 (http://${host}/v2/base/node/manifests/99): no such image or tag on ${host} (404)`,
    );
  });

  it('speaks plain HTTP only to a registry configured insecure', async () => {
    // Not configured: HTTPS, which a plain-HTTP registry cannot answer.
    const error = await pin(`FROM ${host}/base/static:1\n`, []).then(
      () => undefined,
      e => e as Error,
    );
    expect(error?.name).toBe('ServiceUnavailableError');
    const url = `https://${host}/v2/base/static/manifests/1`;
    expect(error?.message).toContain(
      `${host}/base/static:1 (${url}): ${host} is unreachable (`,
    );
  });
});
