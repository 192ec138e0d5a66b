import { ServerResponse } from 'node:http';

/*
 * How the fake reads a request's URL and writes its answers: the resource a path names,
 * and Kubernetes `Status` bodies for failures.
 */

/** `VirtualService` → `virtualservices`, the plural every kind Runway reads uses. */
export const pluralOf = (kind: string) => `${kind.toLowerCase()}s`;

/** The resource type of an object or a request: `<apiVersion>/<plural>`. */
export const resourceOf = (apiVersion: string, kind: string) =>
  `${apiVersion}/${pluralOf(kind)}`;

/** What a request's path names. */
export type RequestTarget = {
  /** `v1` for the core group, else `<group>/<version>`. */
  apiVersion: string;
  /** The API group, `''` for the core group. */
  apiGroup: string;
  plural: string;
  /** `<apiVersion>/<plural>`. */
  resource: string;
  namespace?: string;
  /** Set for requests of one object. */
  name?: string;
  /** `watch=true` (or `1`) on a collection. */
  watch: boolean;
};

/**
 * The target of `/api/v1/...` or `/apis/<group>/<version>/...`:
 * `[namespaces/<ns>/]<plural>[/<name>]`. Undefined for any other path.
 */
export function parseTarget(url: URL): RequestTarget | undefined {
  const m = url.pathname.match(/^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))\/(.+)$/);
  if (!m) return undefined;
  const segments = m[3].split('/').map(decodeURIComponent);
  const namespaced =
    segments[0] === 'namespaces' &&
    segments.length >= 3 &&
    segments.every(Boolean);
  const [plural, name, ...rest] = namespaced ? segments.slice(2) : segments;
  if (!plural || rest.length) return undefined;
  const [, core, groupVersion] = m;
  const apiVersion = core ?? groupVersion;
  return {
    apiVersion,
    apiGroup: core ? '' : groupVersion.split('/')[0],
    plural,
    resource: `${apiVersion}/${plural}`,
    namespace: namespaced ? segments[1] : undefined,
    name,
    watch: ['true', '1'].includes(url.searchParams.get('watch') ?? ''),
  };
}

/** A Kubernetes `Status` failure body. */
export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    reason,
    message,
    ...(details && { details }),
    code,
  };
}

export function writeStatus(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
) {
  writeJson(res, code, statusBody(code, reason, message, details));
}

export function writeJson(res: ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The 404 of a path the API server does not serve. */
export function writePathNotFound(
  res: ServerResponse,
  method: string,
  url: URL,
) {
  writeStatus(
    res,
    404,
    'NotFound',
    `the server could not find the requested resource (${method} ${url.pathname})`,
  );
}

/** The 404 of a resource type the server does not serve (a CRD not installed). */
export function writeResourceNotFound(res: ServerResponse, plural: string) {
  writeStatus(
    res,
    404,
    'NotFound',
    `the server could not find the requested resource (${plural})`,
  );
}

/** The 404 of a missing object, naming it as the API server does. */
export function writeObjectNotFound(
  res: ServerResponse,
  group: string,
  plural: string,
  name: string,
) {
  const qualified = group ? `${plural}.${group}` : plural;
  writeStatus(res, 404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(group && { group }),
    kind: plural,
  });
}

/** A failure a request handler throws; the server answers it as a Status. */
export class FakeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
