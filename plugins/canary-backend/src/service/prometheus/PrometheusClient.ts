/*
 * Instant queries against one Prometheus (GET /api/v1/query), with a timeout. The
 * authorization header is sent and never appears in an error message or a log.
 */

/** One cluster's Prometheus, from `canary.prometheus.<cluster>`. */
export type PrometheusEndpoint = {
  /** Base URL, e.g. `https://prometheus.example.com` or `http://host:9090/prometheus`. */
  url: string;
  /** The `Authorization` header value (`Bearer …`, `Basic …`). Secret. */
  authorization?: string;
  timeoutMs: number;
};

/** A query that failed: unreachable, too slow, or refused by Prometheus. */
export class PrometheusUnavailableError extends Error {
  name = 'PrometheusUnavailableError';
}

type QueryResponse = {
  status?: string;
  error?: string;
  errorType?: string;
  /** Annotations about the answer (Prometheus 3: `infos`; also `warnings`). */
  infos?: unknown;
  warnings?: unknown;
  data?: {
    resultType?: string;
    result?: Array<{ value?: [number, string] }>;
  };
};

/**
 * The single value of an instant query whose result is a vector of at most one sample
 * (a `sum(...)`), or `null` for no data: an empty vector, NaN, or ±Inf.
 */
export function parseInstantValue(body: QueryResponse): number | null {
  if (body.status !== 'success' || body.data?.resultType !== 'vector') {
    throw new PrometheusUnavailableError(
      `Prometheus answered an unexpected result (status ${
        body.status ?? 'missing'
      }, type ${body.data?.resultType ?? 'missing'})`,
    );
  }
  const sample = body.data.result?.[0]?.value?.[1];
  if (sample === undefined) return null;
  const value = Number(sample);
  return Number.isFinite(value) ? value : null;
}

/** One instant query's value and what Prometheus said about it. */
export type InstantResult = {
  value: number | null;
  /** The answer's `infos` and `warnings`, in that order (strings only). */
  notices: string[];
};

/** The `infos` and `warnings` of an answer: Prometheus's notes on it (e.g. synthetic series). */
export function parseNotices(body: QueryResponse): string[] {
  return [body.infos, body.warnings].flatMap(list =>
    Array.isArray(list)
      ? list.filter((n): n is string => typeof n === 'string' && n !== '')
      : [],
  );
}

/** The URL of the query API under a base URL that may have a path prefix. */
function queryUrl(base: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
  return url;
}

/** Runs one instant query; rejects with PrometheusUnavailableError on any failure. */
export async function instantQuery(
  endpoint: PrometheusEndpoint,
  query: string,
): Promise<InstantResult> {
  const url = queryUrl(endpoint.url);
  url.searchParams.set('query', query);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(endpoint.authorization && {
          authorization: endpoint.authorization,
        }),
      },
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new PrometheusUnavailableError(
      timedOut
        ? `Prometheus did not answer within ${endpoint.timeoutMs / 1000} s`
        : `Prometheus is unreachable (${
            (error as { cause?: { code?: string } }).cause?.code ??
            (error as Error).message
          })`,
    );
  }
  let body: QueryResponse;
  try {
    body = (await response.json()) as QueryResponse;
  } catch {
    throw new PrometheusUnavailableError(
      `Prometheus answered ${response.status} without a JSON body`,
    );
  }
  if (!response.ok) {
    throw new PrometheusUnavailableError(
      `Prometheus answered ${response.status}${
        body.error ? `: ${body.errorType ?? 'error'}: ${body.error}` : ''
      }`,
    );
  }
  return { value: parseInstantValue(body), notices: parseNotices(body) };
}
