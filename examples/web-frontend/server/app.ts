/**
 * The HTTP request listener: health checks, metrics, /config.json and the
 * built app, behind a wrapper that assigns request ids, sets the security
 * headers, logs every request and records RED metrics.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { FALLBACK_HEADER, type AssetFallback } from './assetFallback.ts';
import { ASSETS_PREFIX, CACHE_IMMUTABLE, CACHE_NEVER, CACHE_REVALIDATE, cacheControlFor, securityHeaders } from './headers.ts';
import type { Logger, LogLevel } from './logging.ts';
import { METRICS_CONTENT_TYPE, type Metrics } from './metrics.ts';
import { apiOrigin, type PublicConfig } from './publicConfig.ts';
import { acceptsHtml, etagOf, negotiateEncoding, type StaticFile, type StaticIndex } from './static.ts';

export interface AppOptions {
  /** The built app (dist/public), indexed by URL path; must contain /index.html. */
  files: StaticIndex;
  /** Served as /config.json. */
  publicConfig: PublicConfig;
  logger: Logger;
  metrics: Metrics;
  /** False while the server shuts down: /readyz then answers 503. */
  isReady: () => boolean;
  /** True once the server stops: responses then close their keep-alive connection. */
  isClosing?: () => boolean;
  /** Where a hashed asset this build lacks is fetched from (the other canary track). */
  assetFallback?: AssetFallback;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Route labels of requests that matched no route (404, 405, 400). */
export const UNMATCHED = 'unmatched';

/** The headers every request may carry the id in; Istio's sidecars set it. */
const REQUEST_ID_HEADER = 'x-request-id';
const ALLOWED_METHODS = 'GET, HEAD';
/**
 * Probes and scrapes arrive every few seconds: logged at debug, or at warn
 * when they fail (as /readyz does, by design, during a shutdown).
 */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
/** Longest path written to the logs. */
const MAX_LOGGED_PATH = 1024;

interface RequestContext {
  /** The route pattern, for metrics and logs. */
  route: string;
  /** Body bytes sent. */
  bytes: number;
}

export function createApp(options: AppOptions): RequestListener {
  const { files, publicConfig, logger, metrics, isReady, isClosing = () => false, assetFallback } = options;
  const index = files.get('/index.html');
  if (!index) throw new Error('the build has no index.html: run npm run build first');

  const headers = securityHeaders(apiOrigin(publicConfig.apiBaseUrl));
  const configBody = Buffer.from(JSON.stringify(publicConfig));
  const configEtag = etagOf(configBody);
  // Requests for the API must never get the app's HTML (a misrouted API call
  // would otherwise "succeed" with a web page).
  const apiPrefix = publicConfig.apiBaseUrl.startsWith('/') ? publicConfig.apiBaseUrl : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
    const path = requestPath(req.url);
    if (path === undefined) {
      sendJson(req, res, ctx, 400, { error: 'malformed request path' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (QUIET_ROUTES.has(path) || path === '/config.json') ctx.route = path;
      res.setHeader('Allow', ALLOWED_METHODS);
      sendJson(req, res, ctx, 405, { error: `method ${req.method ?? ''} not allowed, use GET or HEAD` });
      return;
    }

    switch (path) {
      case '/healthz':
        ctx.route = path;
        sendJson(req, res, ctx, 200, { status: 'ok' });
        return;
      case '/readyz':
        ctx.route = path;
        if (isReady()) {
          sendJson(req, res, ctx, 200, { status: 'ok' });
        } else {
          sendJson(req, res, ctx, 503, { status: 'unavailable' });
        }
        return;
      case '/metrics':
        ctx.route = path;
        sendBody(req, res, ctx, 200, Buffer.from(metrics.render()), METRICS_CONTENT_TYPE, CACHE_NEVER);
        return;
      case '/config.json':
        ctx.route = path;
        res.setHeader('ETag', configEtag);
        if (isNotModified(req, configEtag)) {
          res.setHeader('Cache-Control', CACHE_REVALIDATE);
          res.writeHead(304).end();
          return;
        }
        sendBody(req, res, ctx, 200, configBody, 'application/json; charset=utf-8', CACHE_REVALIDATE);
        return;
    }

    const filePath = path === '/' ? '/index.html' : path;
    const file = files.get(filePath);
    if (file) {
      ctx.route = routeOfFile(filePath);
      await sendFile(req, res, ctx, file, cacheControlFor(filePath));
      return;
    }
    if (path.startsWith(ASSETS_PREFIX)) {
      ctx.route = `${ASSETS_PREFIX}{file}`;
      // During a canary: an asset of the other track's build. A fallback request
      // itself is never forwarded, so two servers never ask each other in a loop.
      if (assetFallback && req.headers[FALLBACK_HEADER] === undefined) {
        const asset = await assetFallback(path);
        if (asset) {
          logger.debug('asset from the other track', { path, origin: asset.origin });
          res.setHeader('X-Asset-Fallback', 'hit');
          sendBody(req, res, ctx, 200, asset.body, asset.contentType, CACHE_IMMUTABLE);
          return;
        }
      }
      // A stale page asking for the assets of an older release, or a typo:
      // HTML would be executed as a script or style.
      sendJson(req, res, ctx, 404, { error: 'not found' });
      return;
    }
    const isApiPath = apiPrefix !== undefined && (path === apiPrefix || path.startsWith(`${apiPrefix}/`));
    if (!isApiPath && acceptsHtml(req.headers.accept)) {
      // A client-side route (/orders/42): the app renders it.
      ctx.route = '/{path...}';
      await sendFile(req, res, ctx, index, CACHE_REVALIDATE);
      return;
    }
    sendJson(req, res, ctx, 404, { error: 'not found' });
  };

  return (req, res) => {
    const started = process.hrtime.bigint();
    const done = metrics.start();
    const incomingId = req.headers[REQUEST_ID_HEADER];
    const requestId =
      typeof incomingId === 'string' && isValidRequestId(incomingId) ? incomingId : randomUUID();
    const ctx: RequestContext = { route: UNMATCHED, bytes: 0 };

    res.setHeader('X-Request-Id', requestId);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (isClosing()) res.setHeader('Connection', 'close');

    res.once('close', () => {
      done();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      metrics.observe(methodLabel(req.method), ctx.route, status, seconds);
      let level: LogLevel = 'info';
      if (QUIET_ROUTES.has(ctx.route)) level = status < 400 ? 'debug' : 'warn';
      else if (status >= 500) level = 'error';
      logger.log(level, 'request', {
        request_id: requestId,
        method: req.method,
        path: (req.url ?? '').split('?', 1)[0]?.slice(0, MAX_LOGGED_PATH),
        route: ctx.route,
        status,
        bytes: ctx.bytes,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
        remote_addr: req.socket.remoteAddress,
        user_agent: req.headers['user-agent'],
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });

    handle(req, res, ctx).catch((error: unknown) => {
      if (isPrematureClose(error)) return; // the client went away
      logger.error('request failed', { request_id: requestId, error });
      if (res.headersSent) {
        res.destroy();
      } else {
        // Drop what described the file that could not be sent.
        for (const name of ['Content-Encoding', 'ETag', 'Vary']) res.removeHeader(name);
        sendJson(req, res, ctx, 500, { error: 'internal error' });
      }
    });
  };
}

/** Streams a file of the build, precompressed when the client accepts it. */
async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  file: StaticFile,
  cacheControl: string,
): Promise<void> {
  const encoding = negotiateEncoding(req.headers['accept-encoding'], file.encoded);
  const variant = (encoding ? file.encoded[encoding] : undefined) ?? file;
  res.setHeader('Cache-Control', cacheControl);
  if (Object.keys(file.encoded).length > 0) res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('ETag', variant.etag);
  if (isNotModified(req, variant.etag)) {
    res.writeHead(304).end();
    return;
  }
  res.setHeader('Content-Type', file.contentType);
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', variant.size);
  res.statusCode = 200;
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // Open the file before the status line goes out, so that a failure is still a clean 500.
  const stream = createReadStream(variant.path);
  await once(stream, 'open');
  ctx.bytes = variant.size;
  await pipeline(stream, res);
}

function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  status: number,
  body: unknown,
): void {
  sendBody(
    req,
    res,
    ctx,
    status,
    Buffer.from(JSON.stringify(body)),
    'application/json; charset=utf-8',
    CACHE_NEVER,
  );
}

function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  status: number,
  body: Buffer,
  contentType: string,
  cacheControl: string,
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': body.length,
    'Cache-Control': cacheControl,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  ctx.bytes = body.length;
  res.end(body);
}

/**
 * The decoded path of a request target, without query; undefined when it is
 * malformed (bad percent-encoding, NUL bytes, not a path).
 */
export function requestPath(target: string | undefined): string | undefined {
  if (!target) return undefined;
  let path = target;
  if (!path.startsWith('/')) {
    // Absolute form (GET http://host/path), which proxies may send.
    try {
      path = new URL(path).pathname;
    } catch {
      return undefined;
    }
  }
  path = path.split(/[?#]/, 1)[0] ?? '';
  try {
    path = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  return path.includes('\0') ? undefined : path;
}

/** The route label of a file of the build. */
function routeOfFile(urlPath: string): string {
  if (urlPath === '/index.html') return '/';
  return urlPath.startsWith(ASSETS_PREFIX) ? `${ASSETS_PREFIX}{file}` : '/{file}';
}

/** If-None-Match: a list of ETags (weak ones compare equal too) or *. */
function isNotModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some(tag => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);

/** Keeps arbitrary client-sent methods from creating metric series. */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : 'OTHER';
}

/**
 * Accepts ids of up to 128 characters from a conservative set, so that a
 * client cannot inject arbitrary text into logs and headers.
 */
export function isValidRequestId(id: string): boolean {
  return /^[A-Za-z0-9._:-]{1,128}$/.test(id);
}

function isPrematureClose(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'ERR_STREAM_PREMATURE_CLOSE'
  );
}
