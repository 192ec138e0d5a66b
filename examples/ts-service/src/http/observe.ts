// Request ids, access logs and RED metrics for every request.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { HttpMetrics } from '../metrics.ts';

/**
 * The header carrying the request id. Istio's Envoy sidecars set it on every
 * request, so reusing it ties these logs to the mesh's access logs.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The route label of requests that matched no route. */
export const UNMATCHED = 'unmatched';

/** Probes and scrapes arrive every few seconds: they are logged at debug unless they fail. */
const QUIET_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

const METHODS: ReadonlySet<string> = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE',
]);

/**
 * Accepts ids of up to 128 characters from a conservative set, so that a
 * client cannot inject arbitrary text into logs and headers.
 */
export function validRequestId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(id);
}

/** The incoming request id when it is valid, a new one otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return validRequestId(header) ? header : randomUUID();
}

/** Keeps arbitrary client-sent methods from creating metric series. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/** The route pattern of a request, e.g. /api/items/:id; one shared label without a route. */
export function routeLabel(request: FastifyRequest): string {
  return request.is404 ? UNMATCHED : (request.routeOptions.url ?? UNMATCHED);
}

/** The level of a request's access log line. */
export function accessLogLevel(route: string, status: number): 'debug' | 'info' | 'error' {
  if (status >= 500) return 'error';
  if (status < 400 && QUIET_ROUTES.has(route)) return 'debug';
  return 'info';
}

/**
 * Adds the request id to every response and, when a request ends, records
 * its metrics and writes its access log line. The end is the response's
 * "close" event, which also fires when the client goes away first.
 */
export function observeRequests(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onRequest', (request, reply, done) => {
    const start = performance.now();
    const stop = metrics.start();
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.raw.once('close', () => {
      stop();
      finish(request, reply, metrics, (performance.now() - start) / 1000);
    });
    done();
  });
}

function finish(request: FastifyRequest, reply: FastifyReply, metrics: HttpMetrics, seconds: number): void {
  const route = routeLabel(request);
  const status = reply.statusCode;
  metrics.observe(methodLabel(request.method), route, status, seconds);
  const aborted = !reply.raw.writableFinished;
  request.log[accessLogLevel(route, status)](
    {
      method: request.method,
      path: request.url.split('?', 1)[0],
      route,
      status,
      duration_ms: Math.round(seconds * 1e6) / 1000,
      remote_addr: request.ip,
      user_agent: request.headers['user-agent'],
      ...(aborted ? { aborted: true } : {}),
    },
    'request',
  );
}
