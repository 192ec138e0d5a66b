import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  instantQuery,
  PrometheusResponse,
  rangeQuery,
  SYNTHETIC_NOTICE,
} from './synthetic';

/** A running synthetic endpoint. */
export type SyntheticPrometheus = {
  /** http://127.0.0.1:<port>, what a Prometheus client or provider takes as its address. */
  url: string;
  stop(): Promise<void>;
};

/** Prometheus's time parameter: Unix seconds (with a fraction) or RFC 3339. */
export function parseTime(value: string | null, now: number): number {
  if (value === null || value === '') return now;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.NaN : ms / 1000;
}

/** Prometheus's duration parameter: seconds, or a duration such as 30s, 5m, 1h. */
export function parseDuration(value: string | null): number {
  if (value === null) return Number.NaN;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  return match ? Number(match[1]) * units[match[2]] : Number.NaN;
}

const missing = (name: string) => ({
  status: 400,
  body: {
    status: 'error',
    errorType: 'bad_data',
    error: `parameter "${name}" is required`,
  },
});

/** The answer to one API request, by path and parameters (GET query or POSTed form). */
export function answer(
  path: string,
  params: URLSearchParams,
  now: number,
): { status: number; body: unknown } {
  const send = (response: PrometheusResponse) => ({
    status: response.status === 'success' ? 200 : 400,
    body: response,
  });
  const query = params.get('query');
  switch (path) {
    case '/api/v1/query':
      if (!query) return missing('query');
      return send(instantQuery(query, parseTime(params.get('time'), now)));
    case '/api/v1/query_range':
      if (!query) return missing('query');
      return send(
        rangeQuery(
          query,
          parseTime(params.get('start'), Number.NaN),
          parseTime(params.get('end'), Number.NaN),
          parseDuration(params.get('step')),
        ),
      );
    case '/api/v1/status/buildinfo':
      return {
        status: 200,
        body: {
          status: 'success',
          data: { version: 'synthetic', revision: SYNTHETIC_NOTICE },
        },
      };
    case '/-/healthy':
    case '/-/ready':
      return { status: 200, body: 'synthetic Prometheus is ready.\n' };
    default:
      return {
        status: 404,
        body: {
          status: 'error',
          errorType: 'not_found',
          error: `${path}: the synthetic endpoint serves /api/v1/query and /api/v1/query_range`,
        },
      };
  }
}

async function paramsOf(req: IncomingMessage, url: URL) {
  const params = new URLSearchParams(url.searchParams);
  if (req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    for (const [key, value] of new URLSearchParams(body)) {
      params.append(key, value);
    }
  }
  return params;
}

/**
 * Serves the synthetic series on loopback with Prometheus's HTTP API: the address the demo gives
 * the Argo Rollouts controller's AnalysisTemplates and the portal's Prometheus config.
 */
export async function startSyntheticPrometheus(
  options: { port?: number; host?: string } = {},
): Promise<SyntheticPrometheus> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    paramsOf(req, url)
      .then(params => {
        const { status, body } = answer(
          url.pathname,
          params,
          Date.now() / 1000,
        );
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, {
          'content-type':
            typeof body === 'string' ? 'text/plain' : 'application/json',
        });
        res.end(text);
      })
      .catch(error => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
