import {
  AuthenticationError,
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { ClusterAccess } from '@runway/plugin-cluster-access-node';
import { Manifest } from './manifests';
import {
  assertDeclared,
  Operation,
  ResourceKey,
  RESOURCES,
  ResourceType,
} from './permissions';
import {
  clusterReadiness,
  ClusterReadiness,
  describeReadiness,
} from './readiness';

/**
 * I/O with one Kubernetes cluster for cnpg:database:create: reads, server-side applies and
 * a readiness watch through `@kubernetes/client-node`. Every call first checks that
 * REQUIRED_PERMISSIONS declares it (permissions.ts), and every failure becomes an error of
 * `@backstage/errors` naming the cluster and its URL, never a credential.
 */

/** The field manager of every apply: what marks an object as Runway's. */
export const FIELD_MANAGER = 'runway-cnpg';

/** An object as the API server returns it. */
export type KubeObject = Manifest & {
  metadata: Manifest['metadata'] & {
    resourceVersion?: string;
    generation?: number;
    managedFields?: { manager?: string; operation?: string }[];
  };
  status?: Record<string, unknown>;
};

export type ApplyResult = {
  object: KubeObject;
  /** created: it did not exist; unchanged: the apply changed nothing. */
  result: 'created' | 'configured' | 'unchanged';
};

/** A CloudNativePG cluster did not become ready in time. */
export class ClusterNotReadyError extends CustomErrorBase {
  name = 'ClusterNotReadyError' as const;
}

/** Whether Runway's field manager manages the object (it applied it before). */
export function isManagedByRunway(object: KubeObject): boolean {
  return (object.metadata.managedFields ?? []).some(
    entry => entry.manager === FIELD_MANAGER,
  );
}

/** `Cluster orders/orders-db`, for messages. */
export const describeObject = (
  kind: string,
  name: string,
  namespace?: string,
) => `${kind} ${namespace ? `${namespace}/` : ''}${name}`;

/** The resource of a manifest, from its apiVersion and kind. */
export function resourceOf(manifest: {
  apiVersion: string;
  kind: string;
}): ResourceKey {
  const key = (Object.keys(RESOURCES) as ResourceKey[]).find(k => {
    const r = RESOURCES[k];
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    return apiVersion === manifest.apiVersion && r.kind === manifest.kind;
  });
  if (!key) {
    throw new Error(
      `Internal error: ${manifest.apiVersion} ${manifest.kind} is not a resource this action manages`,
    );
  }
  return key;
}

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
  DEPTH_ZERO_SELF_SIGNED_CERT:
    'its TLS certificate is not trusted (set caData for the cluster)',
  SELF_SIGNED_CERT_IN_CHAIN:
    'its TLS certificate is not trusted (set caData for the cluster)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'its TLS certificate is not trusted (set caData for the cluster)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'its TLS certificate is not trusted (set caData for the cluster)',
  ERR_TLS_CERT_ALTNAME_INVALID:
    'its TLS certificate does not match the host name',
};

/** The API server's Status from an error's body, if it carries one. */
function statusOf(error: any): {
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    kind?: string;
    causes?: { field?: string; message?: string }[];
  };
} {
  const body = error?.body;
  if (body && typeof body === 'object') return body;
  if (typeof body === 'string' && body.trim().startsWith('{')) {
    try {
      return JSON.parse(body);
    } catch {
      return {};
    }
  }
  return {};
}

/** A URL without user info, query or fragment: safe to show. */
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
 * An error from a request to a cluster as an error of `@backstage/errors` that says which
 * cluster, where, what was being done and what to do; no credential, no response header.
 */
export function describeKubernetesError(
  error: unknown,
  context: {
    cluster: string;
    server: string;
    /** What was being done: "applying Cluster orders/orders-db". */
    doing: string;
    resource?: ResourceType;
  },
): Error {
  const e = error as any;
  const where = `Kubernetes cluster '${context.cluster}' at ${context.server}`;
  const networkCode = [e?.code, e?.cause?.code, e?.errno].find(
    c => typeof c === 'string' && c in NETWORK_ERRORS,
  ) as string | undefined;
  if (networkCode) {
    return new ServiceUnavailableError(
      `${where} is unreachable while ${context.doing}: ${NETWORK_ERRORS[networkCode]} (${networkCode})`,
    );
  }
  const statusCode: number | undefined =
    typeof e?.code === 'number' ? e.code : e?.statusCode;
  if (typeof statusCode !== 'number') {
    return new Error(
      `${where}: ${context.doing} failed: ${e?.message ?? String(error)}`,
    );
  }
  const status = statusOf(e);
  const message = status.message ?? `HTTP ${statusCode}`;
  switch (statusCode) {
    case 401:
      return new AuthenticationError(
        `${where} rejected the backend's credentials (401) while ${context.doing}; check the cluster's authProvider in the kubernetes config`,
      );
    case 403:
      return new NotAllowedError(
        `${where} forbids ${context.doing}: ${message}. Bind the backend's identity to the ClusterRole in plugins/scaffolder-backend-module-cnpg/deploy/rbac.yaml`,
      );
    case 404: {
      if (status.details?.name || !context.resource) {
        return new NotFoundError(`${where}: ${context.doing}: ${message}`);
      }
      const r = context.resource;
      const operator =
        r.group === 'barmancloud.cnpg.io'
          ? 'the Barman Cloud plugin of CloudNativePG'
          : 'the CloudNativePG operator';
      return new NotFoundError(
        `${where} does not serve ${r.plural}.${r.group}/${r.version} (${context.doing}): is ${operator} installed?`,
      );
    }
    case 409: {
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

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

type WatchOutcome = 'ready' | 'timeout' | 'closed' | 'deleted';

/** Reads, applies and watches the objects of cnpg:database:create in one cluster. */
export class CnpgClusterClient {
  /**
   * A client for a configured cluster. Fetches fresh credentials from cluster access.
   * @throws NotFoundError when no cluster has that name.
   */
  static async connect(
    clusterAccess: ClusterAccess,
    cluster: string,
  ): Promise<CnpgClusterClient> {
    const kc = await clusterAccess.getKubeConfig(cluster);
    return new CnpgClusterClient(cluster, kc);
  }

  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(readonly cluster: string, private readonly kc: KubeConfig) {
    this.server = displayUrl(kc.getCurrentCluster()?.server);
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }

  private async call<T>(
    resource: ResourceKey,
    operation: Operation,
    doing: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    assertDeclared(resource, operation);
    try {
      return await fn();
    } catch (error) {
      throw describeKubernetesError(error, {
        cluster: this.cluster,
        server: this.server,
        doing,
        resource: RESOURCES[resource],
      });
    }
  }

  /** One object, or undefined when it does not exist. */
  async read(
    resource: ResourceKey,
    name: string,
    namespace?: string,
  ): Promise<KubeObject | undefined> {
    const r = RESOURCES[resource];
    const doing = `reading ${describeObject(r.kind, name, namespace)}`;
    assertDeclared(resource, 'read');
    try {
      if (resource === 'namespaces') {
        return (await this.core.readNamespace({ name })) as KubeObject;
      }
      return (await this.custom.getNamespacedCustomObject({
        group: r.group,
        version: r.version,
        plural: r.plural,
        namespace: namespace!,
        name,
      })) as KubeObject;
    } catch (error) {
      const e = error as any;
      // A missing object (its name in the Status), not a missing resource type (no name).
      if (e?.code === 404 && statusOf(e).details?.name) return undefined;
      throw describeKubernetesError(error, {
        cluster: this.cluster,
        server: this.server,
        doing,
        resource: r,
      });
    }
  }

  /**
   * Reads the object a manifest describes: undefined when it does not exist, the object
   * when Runway manages it.
   * @throws ConflictError when it exists and Runway's field manager does not manage it.
   */
  async readOwned(manifest: Manifest): Promise<KubeObject | undefined> {
    const { kind, metadata } = manifest;
    const existing = await this.read(
      resourceOf(manifest),
      metadata.name,
      metadata.namespace,
    );
    if (existing && !isManagedByRunway(existing)) {
      const managers = [
        ...new Set(
          (existing.metadata.managedFields ?? [])
            .map(m => m.manager)
            .filter(Boolean),
        ),
      ];
      throw new ConflictError(
        `Kubernetes cluster '${this.cluster}': ${describeObject(
          kind,
          metadata.name,
          metadata.namespace,
        )} already exists and Runway does not manage it (field managers: ${
          managers.join(', ') || 'none'
        }; Runway's is '${FIELD_MANAGER}'). Nothing was changed: choose another name, or delete or adopt the object first.`,
      );
    }
    return existing;
  }

  /**
   * Server-side apply with Runway's field manager, never forced: a field another manager
   * owns with another value fails with a ConflictError naming it.
   * @param existing the object as read before, to tell created, configured and unchanged apart.
   */
  async apply(manifest: Manifest, existing?: KubeObject): Promise<ApplyResult> {
    const resource = resourceOf(manifest);
    const r = RESOURCES[resource];
    const { name, namespace } = manifest.metadata;
    const options = setHeaderOptions(
      'Content-Type',
      PatchStrategy.ServerSideApply,
    );
    const object = await this.call(
      resource,
      'apply',
      `applying ${describeObject(r.kind, name, namespace)}`,
      async () => {
        if (resource === 'namespaces') {
          return (await this.core.patchNamespace(
            {
              name,
              body: manifest,
              fieldManager: FIELD_MANAGER,
              fieldValidation: 'Strict',
            },
            options,
          )) as KubeObject;
        }
        return (await this.custom.patchNamespacedCustomObject(
          {
            group: r.group,
            version: r.version,
            plural: r.plural,
            namespace: namespace!,
            name,
            body: manifest,
            fieldManager: FIELD_MANAGER,
            fieldValidation: 'Strict',
          },
          options,
        )) as KubeObject;
      },
    );
    let result: ApplyResult['result'] = 'configured';
    if (!existing) result = 'created';
    else if (
      existing.metadata.resourceVersion === object.metadata.resourceVersion
    )
      result = 'unchanged';
    return { object, result };
  }

  /**
   * Watches a Cluster (by `metadata.name`) until it has `instances` ready instances and a
   * healthy phase, reporting every change of its readiness. Re-reads and watches again
   * when the API server ends a watch.
   * @throws ClusterNotReadyError with the operator's last status after `timeoutMs`.
   */
  async waitForCluster(options: {
    name: string;
    namespace: string;
    instances: number;
    timeoutMs: number;
    /** The Cluster as last read or applied, to start from. */
    initial?: KubeObject;
    onProgress: (readiness: ClusterReadiness) => void;
    signal?: AbortSignal;
  }): Promise<ClusterReadiness> {
    const { name, namespace, instances, timeoutMs } = options;
    const what = describeObject('Cluster', name, namespace);
    const deadline = Date.now() + timeoutMs;
    let last: ClusterReadiness | undefined;
    const observe = (object: KubeObject | undefined) => {
      const readiness = clusterReadiness(object as any, instances);
      if (
        !last ||
        last.readyInstances !== readiness.readyInstances ||
        last.phase !== readiness.phase ||
        last.phaseReason !== readiness.phaseReason
      ) {
        options.onProgress(readiness);
      }
      last = readiness;
      return readiness;
    };
    const timedOut = () =>
      new ClusterNotReadyError(
        `Kubernetes cluster '${
          this.cluster
        }': ${what} was not ready after ${Math.round(
          timeoutMs / 1000,
        )} s: ${describeReadiness(
          last ?? clusterReadiness(undefined, instances),
        )}`,
      );
    const gone = () =>
      new NotFoundError(
        `Kubernetes cluster '${this.cluster}': ${what} was deleted while waiting for it to become ready`,
      );

    let current =
      options.initial ?? (await this.read('clusters', name, namespace));
    if (!current) throw gone();
    // Where the next watch starts: the last version seen.
    const seen = { resourceVersion: current.metadata.resourceVersion };
    const onObject = (object: KubeObject) => {
      seen.resourceVersion =
        object.metadata.resourceVersion ?? seen.resourceVersion;
      return observe(object).ready;
    };
    if (observe(current).ready) return last!;

    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw timedOut();
      const started = Date.now();
      const outcome = await this.watchOnce({
        name,
        namespace,
        resourceVersion: seen.resourceVersion,
        remainingMs: remaining,
        signal: options.signal,
        onObject,
      });
      if (outcome === 'ready') return last!;
      if (outcome === 'timeout') throw timedOut();
      if (outcome === 'deleted') throw gone();
      // The API server ended the watch (or its resourceVersion expired): read, watch again.
      if (Date.now() - started < 1000) {
        await sleep(Math.max(0, Math.min(1000, deadline - Date.now())));
      }
      current = await this.read('clusters', name, namespace);
      if (!current) throw gone();
      seen.resourceVersion = current.metadata.resourceVersion;
      if (observe(current).ready) return last!;
    }
  }

  private watchOnce(options: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    remainingMs: number;
    signal?: AbortSignal;
    onObject: (object: KubeObject) => boolean;
  }): Promise<WatchOutcome> {
    const r = RESOURCES.clusters;
    assertDeclared('clusters', 'watch');
    const context = {
      cluster: this.cluster,
      server: this.server,
      doing: `watching ${describeObject(
        r.kind,
        options.name,
        options.namespace,
      )}`,
      resource: r,
    };
    const path = `/apis/${r.group}/${r.version}/namespaces/${encodeURIComponent(
      options.namespace,
    )}/${r.plural}`;
    return new Promise<WatchOutcome>((resolve, reject) => {
      let controller: AbortController | undefined;
      let settled = false;
      const cleanups: (() => void)[] = [];
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        cleanups.forEach(cleanup => cleanup());
        controller?.abort();
        finish();
      };
      const timer = setTimeout(
        () => settle(() => resolve('timeout')),
        options.remainingMs,
      );
      cleanups.push(() => clearTimeout(timer));
      const onAbort = () =>
        settle(() => reject(new Error(`Cancelled while ${context.doing}`)));
      if (options.signal?.aborted) {
        onAbort();
        return;
      }
      options.signal?.addEventListener('abort', onAbort);
      cleanups.push(() =>
        options.signal?.removeEventListener('abort', onAbort),
      );
      new Watch(this.kc)
        .watch(
          path,
          {
            fieldSelector: `metadata.name=${options.name}`,
            resourceVersion: options.resourceVersion,
            timeoutSeconds: Math.max(1, Math.ceil(options.remainingMs / 1000)),
          },
          (type, object) => {
            if (type === 'ERROR') {
              // 410 Gone: the resourceVersion is too old; read again.
              if (object?.code === 410) settle(() => resolve('closed'));
              else
                settle(() =>
                  reject(
                    describeKubernetesError(
                      { code: object?.code ?? 500, body: object },
                      context,
                    ),
                  ),
                );
              return;
            }
            if (type === 'DELETED') {
              settle(() => resolve('deleted'));
              return;
            }
            if (type === 'BOOKMARK') return;
            if (options.onObject(object)) settle(() => resolve('ready'));
          },
          error => {
            if (!error) settle(() => resolve('closed'));
            else settle(() => reject(describeKubernetesError(error, context)));
          },
        )
        .then(
          c => {
            controller = c;
            if (settled) c.abort();
          },
          error =>
            settle(() => reject(describeKubernetesError(error, context))),
        );
    });
  }
}
