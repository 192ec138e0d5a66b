// The HTTP interface of the service: health checks, Prometheus metrics and
// the example items API, with request ids, access logs and RED metrics.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

import type { ItemStore } from '../items/items.ts';
import type { HttpMetrics } from '../metrics.ts';
import { clientError, HttpError, internalError, MAX_BODY_BYTES, sendError } from './errors.ts';
import { registerItemRoutes } from './items.ts';
import { observeRequests, requestIdFrom, REQUEST_ID_HEADER } from './observe.ts';

export interface AppOptions {
  /** The service's logger (logging.ts); each request gets a child with its id. */
  logger: FastifyBaseLogger;
  /** Served on /metrics. */
  registry: Registry;
  metrics: HttpMetrics;
  items: ItemStore;
  /**
   * Resolves when the service can take traffic, rejects with the reason
   * otherwise; it should stop when signal aborts. Without it, always ready.
   */
  ready?: (signal: AbortSignal) => Promise<void>;
  /** How long a readiness check may take, below the usual probe timeout. */
  readyTimeoutMs?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON request body; errors state why it is not acceptable. */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, 'invalid JSON body: not valid UTF-8');
  }
  if (text.trim() === '') throw new HttpError(400, 'invalid JSON body: the body is empty');
  try {
    // JSON.parse makes "__proto__" an ordinary key, which parseCreateItem
    // rejects as unknown: no prototype pollution.
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `invalid JSON body: ${(error as Error).message}`);
  }
}

/** The service's HTTP server, not yet listening. */
export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    // observeRequests writes one access line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    requestIdHeader: false,
    genReqId: request => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    bodyLimit: MAX_BODY_BYTES,
    // Timeouts keep slow or idle clients from holding connections forever.
    requestTimeout: 30_000,
    keepAliveTimeout: 120_000,
  });
  observeRequests(app, options.metrics);

  // Only JSON bodies, decoded strictly; other media types are refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as HttpError, undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const known = clientError(error);
    return known ? sendError(reply, known.status, known.message) : internalError(request, reply, 'handling request', error);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not found'));

  // Liveness: the process serves HTTP. It must not depend on the database,
  // or a database outage would restart every pod.
  app.get('/healthz', () => ({ status: 'ok' }));

  // Readiness: the service can handle requests now.
  const { ready, readyTimeoutMs = 2000 } = options;
  app.get('/readyz', async (request, reply) => {
    if (ready) {
      try {
        await withTimeout(ready, readyTimeoutMs);
      } catch (error) {
        // The reason, without a stack trace: this is an expected state.
        request.log.warn({ error: (error as Error).message }, 'not ready');
        return reply.code(503).send({ status: 'unavailable' });
      }
    }
    return { status: 'ok' };
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(text);
  });

  registerItemRoutes(app, options.items);
  return app;
}

/** Runs check with a signal that aborts after ms, and rejects then even if check ignores it. */
async function withTimeout(check: (signal: AbortSignal) => Promise<void>, ms: number): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`readiness check timed out after ${ms}ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    await Promise.race([check(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
