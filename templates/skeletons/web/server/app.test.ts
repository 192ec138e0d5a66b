import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, isValidRequestId, methodLabel, requestPath } from './app.ts';
import { createLogger } from './logging.ts';
import { Metrics } from './metrics.ts';
import { buildPublicConfig } from './publicConfig.ts';
import { indexStaticFiles, type StaticIndex } from './static.ts';
import { APP_JS, captureLogs, createTestBuild, INDEX_HTML, SECRET, send, type TestBuild } from './testing.ts';

const HTML = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const JSON_ACCEPT = { Accept: 'application/json' };

let build: TestBuild;
let files: StaticIndex;
let server: Server;
let port: number;
let ready: boolean;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  build = await createTestBuild();
  files = await indexStaticFiles(build.root);
  const { config } = buildPublicConfig({
    APP_ENVIRONMENT: 'staging',
    APP_VERSION: 'abc123',
    PUBLIC_SUPPORT_EMAIL: 'help@example.com',
    DB_PASSWORD: 'hunter2',
    AWS_SECRET_ACCESS_KEY: 'do-not-leak',
  });
  server = createServer(
    createApp({
      files,
      publicConfig: config,
      logger: createLogger({
        level: 'debug',
        write: line => {
          logs.write(line);
        },
      }),
      metrics: new Metrics({ version: 'abc123' }),
      isReady: () => ready,
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.close();
  await build.cleanup();
});

beforeEach(() => {
  ready = true;
  logs = captureLogs();
});

describe('the app page', () => {
  it.each(['/', '/index.html'])('serves index.html at %s, revalidated on every use', async path => {
    const res = await send(port, path, { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.text).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
  });

  it.each(['/orders', '/orders/42/edit', '/some/route?tab=2'])(
    'answers the navigation %s with index.html (client-side routing)',
    async path => {
      const res = await send(port, path, { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.text).toBe(INDEX_HTML);
      expect(res.headers['cache-control']).toBe('no-cache');
    },
  );

  it.each([
    ['a fetch() call', JSON_ACCEPT],
    ['a client that accepts anything', { Accept: '*/*' }],
    ['a client that refuses HTML', { Accept: 'text/html;q=0, application/json' }],
    ['no Accept header', undefined],
  ])('answers an unknown path with 404 for %s', async (_, headers) => {
    const res = await send(port, '/some/route', { headers });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ error: 'not found' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each(['/assets/index-OLD.js', '/assets/', '/api/items', '/api'])(
    'never falls back to index.html for %s, even for a navigation',
    async path => {
      const res = await send(port, path, { headers: HTML });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('<html');
    },
  );
});

describe('files of the build', () => {
  it('serves hashed assets with a year of immutable caching', async () => {
    const res = await send(port, '/assets/index-Bx3k9.js');
    expect(res.status).toBe(200);
    expect(res.text).toBe(APP_JS);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(APP_JS)));
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
  });

  it('revalidates files that are not hashed', async () => {
    const res = await send(port, '/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.vary).toBeUndefined();
  });

  it.each([
    ['gzip, deflate, br', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['br;q=0, gzip;q=0.5', 'gzip', gunzipSync],
  ])('sends the precompressed copy for Accept-Encoding %s', async (acceptEncoding, encoding, decode) => {
    const res = await send(port, '/assets/index-Bx3k9.js', {
      headers: { 'Accept-Encoding': acceptEncoding },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(decode(res.body).toString()).toBe(APP_JS);
  });

  it('answers 304 when the ETag matches', async () => {
    const first = await send(port, '/assets/index-Qm7a1.css');
    const etag = String(first.headers.etag);
    const res = await send(port, '/assets/index-Qm7a1.css', {
      headers: { 'If-None-Match': `"other", ${etag}` },
    });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(etag);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await send(port, '/assets/index-Bx3k9.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(APP_JS)));
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('refuses %s with 405 and Allow', async method => {
    const res = await send(port, '/', { method });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(res.text)).toEqual({ error: `method ${method} not allowed, use GET or HEAD` });
  });
});

describe('path traversal', () => {
  it.each([
    '/../secret.txt',
    '/../../../../etc/passwd',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/../../secret.txt',
    '/..%5csecret.txt',
    '//secret.txt',
    '/linked-secret.txt',
    '/public/index.html',
  ])('never serves a file outside the build for %s', async path => {
    for (const headers of [HTML, JSON_ACCEPT]) {
      const res = await send(port, path, { headers });
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toContain('root:');
      expect([200, 404]).toContain(res.status);
      // A 200 can only be the app page, for navigations.
      expect(res.status === 404 || res.text === INDEX_HTML).toBe(true);
    }
  });

  it.each(['/%E0%A4%A', '/a%00b', '/%'])('rejects the malformed path %s with 400', async path => {
    const res = await send(port, path);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'malformed request path' });
  });
});

describe('/config.json', () => {
  it('serves the public configuration only, revalidated on every use', async () => {
    const res = await send(port, '/config.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(res.text)).toEqual({
      environment: 'staging',
      apiBaseUrl: '/api',
      version: 'abc123',
      supportEmail: 'help@example.com',
    });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('do-not-leak');
  });

  it('answers 304 when the ETag matches', async () => {
    const first = await send(port, '/config.json');
    const res = await send(port, '/config.json', {
      headers: { 'If-None-Match': String(first.headers.etag) },
    });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
  });
});

describe('probes and metrics', () => {
  it('answers /healthz', async () => {
    const res = await send(port, '/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers /readyz with 200 when ready and 503 while shutting down', async () => {
    expect((await send(port, '/readyz')).status).toBe(200);
    ready = false;
    const res = await send(port, '/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toEqual({ status: 'unavailable' });
    expect((await send(port, '/healthz')).status).toBe(200);
  });

  it('counts requests by method, route pattern and status on /metrics', async () => {
    await send(port, '/orders/42', { headers: HTML });
    await send(port, '/assets/index-Bx3k9.js');
    await send(port, '/assets/gone.js');
    await send(port, '/nothing', { headers: JSON_ACCEPT });
    const res = await send(port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toMatch(
      /^http_requests_total\{method="GET",route="\/\{path\.\.\.\}",status="200"\} \d+$/m,
    );
    expect(res.text).toMatch(
      /^http_requests_total\{method="GET",route="\/assets\/\{file\}",status="200"\} \d+$/m,
    );
    expect(res.text).toMatch(
      /^http_requests_total\{method="GET",route="\/assets\/\{file\}",status="404"\} \d+$/m,
    );
    expect(res.text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} \d+$/m);
    expect(res.text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+$/m,
    );
    // The scrape itself is in flight while it renders.
    expect(res.text).toMatch(/^http_requests_in_flight 1$/m);
    expect(res.text).toContain('service_build_info{version="abc123",node_version="');
    expect(res.text).not.toContain('/orders/42');
  });
});

describe('every response', () => {
  it.each(['/', '/assets/index-Bx3k9.js', '/config.json', '/healthz', '/nothing'])(
    'carries the security headers (%s)',
    async path => {
      const res = await send(port, path, { headers: HTML });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['permissions-policy']).toContain('camera=()');
    },
  );

  it('keeps a well-formed incoming request id and replaces a bad one', async () => {
    const kept = await send(port, '/healthz', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await send(port, '/healthz', { headers: { 'X-Request-Id': 'bad id\u00e9' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is logged as one JSON line, probes at debug or warn', async () => {
    await send(port, '/orders/7?secret=1', {
      headers: { ...HTML, 'X-Request-Id': 'req-1', 'User-Agent': 'test' },
    });
    await send(port, '/healthz');
    ready = false;
    await send(port, '/readyz');
    // Lines are written when the response closes, which can be after the client has read it.
    await vi.waitFor(() => {
      expect(logs.records()).toHaveLength(3);
    });
    const records = logs.records();
    expect(records[0]).toMatchObject({
      level: 'INFO',
      msg: 'request',
      request_id: 'req-1',
      method: 'GET',
      path: '/orders/7',
      route: '/{path...}',
      status: 200,
      bytes: INDEX_HTML.length,
      user_agent: 'test',
    });
    expect(records[0]?.duration_ms).toEqual(expect.any(Number));
    expect(records[1]).toMatchObject({ level: 'DEBUG', route: '/healthz', status: 200 });
    expect(records[2]).toMatchObject({ level: 'WARN', route: '/readyz', status: 503 });
  });
});

describe('a file that cannot be read', () => {
  it('is a clean 500, logged as an error', async () => {
    const favicon = files.get('/favicon.svg');
    if (!favicon) throw new Error('the test build has no favicon');
    const broken = new Map(files).set('/gone.svg', { ...favicon, path: '/nonexistent/gone.svg' });
    const errorLogs = captureLogs();
    const brokenServer = createServer(
      createApp({
        files: broken,
        publicConfig: buildPublicConfig({}).config,
        logger: createLogger({ level: 'info', write: errorLogs.write }),
        metrics: new Metrics({ version: 'dev' }),
        isReady: () => true,
      }),
    );
    brokenServer.listen(0, '127.0.0.1');
    await once(brokenServer, 'listening');
    try {
      const res = await send((brokenServer.address() as AddressInfo).port, '/gone.svg');
      expect(res.status).toBe(500);
      expect(JSON.parse(res.text)).toEqual({ error: 'internal error' });
      expect(res.headers.etag).toBeUndefined();
      await vi.waitFor(() => {
        expect(errorLogs.records().map(record => [record.level, record.msg])).toEqual([
          ['ERROR', 'request failed'],
          ['ERROR', 'request'],
        ]);
      });
      expect(errorLogs.records()[0]?.error).toMatch(/ENOENT/);
    } finally {
      brokenServer.close();
    }
  });
});

describe('createApp', () => {
  it('needs an index.html', () => {
    const withoutIndex = new Map(files);
    withoutIndex.delete('/index.html');
    expect(() =>
      createApp({
        files: withoutIndex,
        publicConfig: buildPublicConfig({}).config,
        logger: createLogger({ level: 'error', write: () => undefined }),
        metrics: new Metrics({ version: 'dev' }),
        isReady: () => true,
      }),
    ).toThrow('the build has no index.html: run npm run build first');
  });
});

describe('requestPath', () => {
  it.each([
    ['/', '/'],
    ['/a/b?c=d#e', '/a/b'],
    ['/caf%C3%A9', '/café'],
    ['/a%2Fb', '/a/b'],
    ['http://example.com/x/y?z', '/x/y'],
    ['/%E0%A4%A', undefined],
    ['/a%00', undefined],
    ['*', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (target, want) => {
    expect(requestPath(target)).toBe(want);
  });
});

describe('methodLabel', () => {
  it.each([
    ['GET', 'GET'],
    ['PATCH', 'PATCH'],
    ['BREW', 'OTHER'],
    [undefined, 'OTHER'],
  ])('%s → %s', (method, want) => {
    expect(methodLabel(method)).toBe(want);
  });
});

describe('isValidRequestId', () => {
  it.each([
    ['abc-123', true],
    ['0a1b2c3d:4e5f.6_7', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ['with space', false],
    ['new\nline', false],
  ])('%j → %s', (id, want) => {
    expect(isValidRequestId(id)).toBe(want);
  });
});
