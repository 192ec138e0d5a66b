import { vi } from 'vitest';

/** A Response with a JSON body. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

type Route = (init: RequestInit | undefined) => Response | Promise<Response>;

/**
 * A fetch mock answering by "METHOD url" (e.g. "GET /api/items?limit=100");
 * unknown requests fail the test loudly.
 */
export function mockFetch(routes: Record<string, Route>) {
  return vi.fn<typeof fetch>((input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const key = `${init?.method ?? 'GET'} ${url}`;
    const route = routes[key];
    if (!route) return Promise.reject(new Error(`unexpected request: ${key}`));
    return Promise.resolve(route(init));
  });
}

/** A promise to settle by hand, for states in between (loading, pending). */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
