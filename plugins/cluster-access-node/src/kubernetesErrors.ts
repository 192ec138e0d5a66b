import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/*
 * Errors of requests to a Kubernetes API server (through @kubernetes/client-node: an
 * ApiException with `code` and a body, a watch error with `statusCode`, a network error
 * with a system `code`) as errors of @backstage/errors that say which cluster, where, what
 * was being done and what to do. Never a credential or a response header.
 */

const NOT_TRUSTED =
  'its TLS certificate is not trusted (set caData for the cluster)';
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: NOT_TRUSTED,
  SELF_SIGNED_CERT_IN_CHAIN: NOT_TRUSTED,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: NOT_TRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: NOT_TRUSTED,
  ERR_TLS_CERT_ALTNAME_INVALID:
    'its TLS certificate does not match the host name',
};

/**
 * The parts of the API server's `Status` object the error mapping reads.
 *
 * @public
 */
export type KubernetesStatus = {
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    kind?: string;
    causes?: { field?: string; message?: string }[];
  };
};

/**
 * The HTTP status of a failed request (`code` of an ApiException, `statusCode` of a watch
 * error), or undefined for a network failure.
 *
 * @public
 */
export function kubernetesStatusCode(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | null;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/**
 * The API server's Status from an error's body: an object, or JSON text of one. Anything
 * else (HTML from a proxy, plain text, broken JSON) gives an empty Status.
 *
 * @public
 */
export function kubernetesStatusOf(error: unknown): KubernetesStatus {
  const body = (error as { body?: unknown } | null)?.body;
  if (body && typeof body === 'object') return body as KubernetesStatus;
  if (typeof body === 'string' && body.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(body);
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      return {};
    }
  }
  return {};
}

/**
 * A URL without user info, query or fragment: safe to show.
 *
 * @public
 */
export function displayUrl(url: string | undefined): string {
  if (!url) return '(no URL)';
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * What a failed request was, for {@link describeKubernetesError}.
 *
 * @public
 */
export type KubernetesErrorContext = {
  /** The cluster's name in the `kubernetes` config. */
  cluster: string;
  /** Its API server, as {@link displayUrl} shows it. */
  server: string;
  /** What was being done: "applying Cluster orders/orders-db". */
  doing: string;
  /** What to do about a 403: "Bind the backend's identity to the ClusterRole in …". */
  forbiddenHint?: string;
  /** The resource type requested: a 404 without an object name means the server does not serve it. */
  resource?: { group: string; version: string; plural: string };
  /** What serves that resource type, named in that 404: "the CloudNativePG operator". */
  resourceProvider?: string;
};

function networkCodeOf(error: unknown): string | undefined {
  const e = error as any;
  return [e?.code, e?.cause?.code, e?.errno].find(
    code => typeof code === 'string' && code in NETWORK_ERRORS,
  );
}

/**
 * An error of a request to a cluster as an error of `@backstage/errors`: unreachable →
 * ServiceUnavailableError, 401 → AuthenticationError, 403 → NotAllowedError, 404 →
 * NotFoundError (naming a resource type the server does not serve), 409 → ConflictError
 * (naming the fields another field manager owns, or the object that exists), 400/422 → InputError, others → Error.
 * Each says which cluster, where and what was being done.
 *
 * @public
 */
export function describeKubernetesError(
  error: unknown,
  context: KubernetesErrorContext,
): Error {
  const where = `Kubernetes cluster '${context.cluster}' at ${context.server}`;
  const networkCode = networkCodeOf(error);
  if (networkCode) {
    return new ServiceUnavailableError(
      `${where} is unreachable while ${context.doing}: ${NETWORK_ERRORS[networkCode]} (${networkCode})`,
    );
  }
  const statusCode = kubernetesStatusCode(error);
  if (statusCode === undefined) {
    const message = (error as Error | null)?.message ?? String(error);
    return new Error(`${where}: ${context.doing} failed: ${message}`);
  }
  const status = kubernetesStatusOf(error);
  const message = status.message ?? `HTTP ${statusCode}`;
  switch (statusCode) {
    case 401:
      return new AuthenticationError(
        `${where} rejected the backend's credentials (401) while ${context.doing}; check the cluster's authProvider in the kubernetes config`,
      );
    case 403:
      return new NotAllowedError(
        `${where} forbids ${context.doing}: ${message}${
          context.forbiddenHint ? `. ${context.forbiddenHint}` : ''
        }`,
      );
    case 404: {
      const r = context.resource;
      if (status.details?.name || !r) {
        return new NotFoundError(`${where}: ${context.doing}: ${message}`);
      }
      const type = `${r.plural}${r.group ? `.${r.group}` : ''}/${r.version}`;
      return new NotFoundError(
        `${where} does not serve ${type} (${context.doing})${
          context.resourceProvider
            ? `: is ${context.resourceProvider} installed?`
            : ''
        }`,
      );
    }
    case 409: {
      if (status.reason === 'AlreadyExists') {
        return new ConflictError(`${where}: ${context.doing}: ${message}`);
      }
      const fields = (status.details?.causes ?? [])
        .filter(c => c.field)
        .map(c => `${c.field}${c.message ? ` (${c.message})` : ''}`);
      return new ConflictError(
        `${where}: ${context.doing} conflicts with another field manager${
          fields.length ? ` on ${fields.join(', ')}` : ''
        }; Runway does not take fields over: change or remove them there first (${message})`,
      );
    }
    case 400:
    case 422:
      return new InputError(`${where} rejected ${context.doing}: ${message}`);
    default:
      return new Error(
        `${where} answered ${statusCode}${
          status.reason ? ` ${status.reason}` : ''
        } while ${context.doing}: ${message}`,
      );
  }
}
