/**
 * Two builds of the app served side by side, as during a canary: each build's
 * index.html and every asset it names load through the other build's server.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createAssetFallback, FALLBACK_HEADER } from './assetFallback.ts';
import { createLogger } from './logging.ts';
import { Metrics } from './metrics.ts';
import { buildPublicConfig } from './publicConfig.ts';
import { indexStaticFiles } from './static.ts';
import { send } from './testing.ts';

/** One build: an index.html naming its own hashed script and stylesheet. */
function buildFiles(hash: string): Record<string, string> {
  return {
    'index.html': `<!doctype html><html><head><script type="module" src="/assets/index-${hash}.js"></script><link rel="stylesheet" href="/assets/index-${hash}.css"></head><body></body></html>`,
    [`assets/index-${hash}.js`]: `console.log(${JSON.stringify(`build ${hash}`)});`,
    [`assets/index-${hash}.css`]: `body{--build:"${hash}"}`,
  };
}

interface Track {
  server: Server;
  port: number;
  files: Record<string, string>;
}

const BUILDS = { stable: 'St4bl3', canary: 'C4n4ry' } as const;
const tracks = {} as Record<keyof typeof BUILDS, Track>;
let base: string;

/** The asset URLs an index.html names. */
const assetsOf = (html: string) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(m => m[1] ?? '');

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'two-builds-'));
  const servers = {} as Record<keyof typeof BUILDS, Server>;
  const origins: string[] = [];
  // Listen first: each server's fallback names both (as the chart does: both Services).
  for (const track of Object.keys(BUILDS) as (keyof typeof BUILDS)[]) {
    servers[track] = createServer();
    servers[track].listen(0, '127.0.0.1');
    await once(servers[track], 'listening');
    origins.push(`http://127.0.0.1:${String((servers[track].address() as AddressInfo).port)}`);
  }
  for (const [track, hash] of Object.entries(BUILDS) as [keyof typeof BUILDS, string][]) {
    const files = buildFiles(hash);
    const root = join(base, track);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
    const server = servers[track];
    server.on(
      'request',
      createApp({
        files: await indexStaticFiles(root),
        publicConfig: buildPublicConfig({}).config,
        logger: createLogger({ level: 'error', write: () => undefined }),
        metrics: new Metrics({ version: hash }),
        isReady: () => true,
        assetFallback: createAssetFallback(origins, { timeoutMs: 1000 }),
      }),
    );
    tracks[track] = { server, port: (server.address() as AddressInfo).port, files };
  }
});

afterAll(async () => {
  for (const { server } of Object.values(tracks)) server.close();
  await rm(base, { recursive: true, force: true });
});

describe('two builds during a canary', () => {
  it.each([
    ['stable', 'canary'],
    ['canary', 'stable'],
  ] as const)("%s's page loads with every asset through the %s server", async (from, through) => {
    const page = await send(tracks[from].port, '/');
    expect(page.status).toBe(200);
    const assets = assetsOf(page.text);
    expect(assets).toEqual([`/assets/index-${BUILDS[from]}.js`, `/assets/index-${BUILDS[from]}.css`]);
    for (const asset of assets) {
      const res = await send(tracks[through].port, asset);
      expect({ asset, status: res.status, body: res.text }).toEqual({
        asset,
        status: 200,
        body: tracks[from].files[asset.slice(1)],
      });
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-type']).toMatch(asset.endsWith('.js') ? /javascript/ : /css/);
      expect(res.headers['x-asset-fallback']).toBe('hit');
    }
  });

  it("serves its own assets itself", async () => {
    const res = await send(tracks.stable.port, `/assets/index-${BUILDS.stable}.js`);
    expect(res.status).toBe(200);
    expect(res.headers['x-asset-fallback']).toBeUndefined();
  });

  it('answers 404 for an asset no build has, without the servers asking each other in a loop', async () => {
    const started = Date.now();
    const res = await send(tracks.canary.port, '/assets/index-Gone99.js');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ error: 'not found' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('never forwards a fallback request', async () => {
    const res = await send(tracks.stable.port, `/assets/index-${BUILDS.canary}.js`, {
      headers: { [FALLBACK_HEADER]: '1' },
    });
    expect(res.status).toBe(404);
  });
});

/** The URL a fetch was asked for, whichever form it came in. */
function hrefOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

describe('createAssetFallback', () => {
  it('tries the next origin when one is down, and gives up quietly when none has it', async () => {
    const asked: string[] = [];
    const fallback = createAssetFallback(['http://down', 'http://up'], {
      fetch: (url, init) => {
        const href = hrefOf(url);
        asked.push(`${href} ${new Headers(init?.headers).get(FALLBACK_HEADER) ?? '(none)'}`);
        if (href.startsWith('http://down')) return Promise.reject(new TypeError('fetch failed'));
        return Promise.resolve(
          href.endsWith('/assets/a.js')
            ? new Response('a', { headers: { 'content-type': 'text/javascript' } })
            : new Response('{}', { status: 404 }),
        );
      },
    });
    expect(await fallback('/assets/a.js')).toEqual({
      body: Buffer.from('a'),
      contentType: 'text/javascript',
      origin: 'http://up',
    });
    expect(await fallback('/assets/b.js')).toBeUndefined();
    expect(asked).toEqual([
      'http://down/assets/a.js 1',
      'http://up/assets/a.js 1',
      'http://down/assets/b.js 1',
      'http://up/assets/b.js 1',
    ]);
  });
});
