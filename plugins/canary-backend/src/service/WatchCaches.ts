import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterAccess,
  describeKubernetesError,
  displayUrl,
  kubernetesStatusCode,
} from '@runway/plugin-cluster-access-node';
import { backoffDelay } from '@runway/plugin-runway-common';
import {
  CustomObjectsApi,
  Informer,
  KubernetesListObject,
  KubernetesObject,
  makeInformer,
  ObjectCache,
} from '@kubernetes/client-node';
import { resourcePath, WatchedResource } from './resources';

/** Why a cluster could not be read, as the API reports it. */
export class ClusterReadError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'ClusterReadError';
  }
}

export type WatchCachesOptions = {
  clusterAccess: ClusterAccess;
  logger: LoggerService;
  /** Stop watching what no request has read for this long. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** Give up on a first list after this long. Default 10 s. */
  coldStartTimeoutMs?: number;
  /** Wait before re-listing after a failure; doubles up to 16×. Default 5 s. */
  retryDelayMs?: number;
  /** How long an optional CRD found missing is taken as missing. Default 5 minutes. */
  absentTtlMs?: number;
};

type Entry = {
  cluster: string;
  resource: WatchedResource;
  namespace?: string;
  labelSelector: string;
  informer?: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  starting?: Promise<void>;
  error?: ClusterReadError;
  failures: number;
  retryTimer?: NodeJS.Timeout;
  absentUntil?: number;
  lastUsed: number;
};

const cacheKey = (
  cluster: string,
  resource: WatchedResource,
  selector: { labelSelector: string; namespace?: string },
) =>
  JSON.stringify([
    cluster,
    resourcePath(resource, selector.namespace),
    selector.labelSelector,
  ]);

function toReadError(
  entry: Entry,
  server: string,
  error: unknown,
): ClusterReadError {
  if (error instanceof ClusterReadError) return error;
  const { message } = describeKubernetesError(error, {
    cluster: entry.cluster,
    server,
    doing: `listing and watching ${resourcePath(
      entry.resource,
      entry.namespace,
    )}`,
    forbiddenHint:
      'The backend service account needs list and watch on this resource',
  });
  return new ClusterReadError(message, kubernetesStatusCode(error));
}

/**
 * Per-cluster, label-filtered watch caches (informers). The first read of a
 * (cluster, resource, namespace, selector) lists once and opens a watch; later reads
 * are served from memory with no Kubernetes API call. A failed cache reports its error
 * to readers and retries in the background with backoff; caches nobody read for
 * `idleTimeoutMs` are stopped.
 */
export class WatchCaches {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly idleTimeoutMs: number;
  private readonly coldStartTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly absentTtlMs: number;

  constructor(private readonly options: WatchCachesOptions) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
    this.coldStartTimeoutMs = options.coldStartTimeoutMs ?? 10_000;
    this.retryDelayMs = options.retryDelayMs ?? 5_000;
    this.absentTtlMs = options.absentTtlMs ?? 5 * 60_000;
    this.sweeper = setInterval(
      () => this.sweep(),
      Math.min(60_000, this.idleTimeoutMs),
    );
    this.sweeper.unref();
  }

  /** The objects of one resource in one cluster that match the selector. */
  async list<T extends KubernetesObject>(
    cluster: string,
    resource: WatchedResource,
    selector: { labelSelector: string; namespace?: string },
  ): Promise<T[]> {
    const key = cacheKey(cluster, resource, selector);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        cluster,
        resource,
        namespace: selector.namespace,
        labelSelector: selector.labelSelector,
        failures: 0,
        lastUsed: Date.now(),
      };
      this.entries.set(key, entry);
    }
    entry.lastUsed = Date.now();

    if (entry.absentUntil !== undefined) {
      if (Date.now() < entry.absentUntil) return [];
      entry.absentUntil = undefined;
    }
    if (!entry.informer && !entry.starting && !entry.retryTimer) {
      entry.starting = this.start(entry);
    }
    if (entry.starting) await entry.starting;
    if (entry.error) throw entry.error;
    if (entry.absentUntil !== undefined) return [];
    return (entry.informer?.list() ?? []) as T[];
  }

  /** Stops every watch. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.entries.values()].map(e => this.stopEntry(e)));
    this.entries.clear();
  }

  /** How many caches are open (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private async start(entry: Entry): Promise<void> {
    const { cluster, resource, namespace, labelSelector } = entry;
    let failed: unknown;
    try {
      const kc = await this.options.clusterAccess.getKubeConfig(cluster);
      const api = kc.makeApiClient(CustomObjectsApi);
      const listFn = () =>
        (namespace
          ? api.listNamespacedCustomObject({
              ...resource,
              namespace,
              labelSelector,
            })
          : api.listClusterCustomObject({
              ...resource,
              labelSelector,
            })) as Promise<KubernetesListObject<KubernetesObject>>;
      const informer = makeInformer(
        kc,
        resourcePath(resource, namespace),
        listFn,
        labelSelector,
      );
      informer.on('error', err => {
        failed = err;
        if (entry.informer === informer) this.fail(entry, err);
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        informer.start(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new ClusterReadError(
                  `Kubernetes cluster '${cluster}' at ${this.serverOf(
                    cluster,
                  )}: no answer from the API server within ${
                    this.coldStartTimeoutMs / 1000
                  } s`,
                  504,
                ),
              ),
            this.coldStartTimeoutMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      if (failed) {
        await informer.stop();
        throw failed;
      }
      entry.informer = informer;
      entry.error = undefined;
      entry.failures = 0;
    } catch (err) {
      if (resource.optional && kubernetesStatusCode(err) === 404) {
        // The CRD is not installed in this cluster: no objects of it.
        entry.absentUntil = Date.now() + this.absentTtlMs;
        entry.error = undefined;
      } else {
        this.fail(entry, err);
      }
    } finally {
      entry.starting = undefined;
    }
  }

  /** The cluster's API server, as messages show it. */
  private serverOf(cluster: string): string {
    return displayUrl(
      this.options.clusterAccess.listClusters().find(c => c.name === cluster)
        ?.url,
    );
  }

  private fail(entry: Entry, err: unknown) {
    entry.error = toReadError(entry, this.serverOf(entry.cluster), err);
    entry.failures += 1;
    const informer = entry.informer;
    entry.informer = undefined;
    informer?.stop().catch(() => {});
    const delay = backoffDelay(entry.failures, {
      initialMs: this.retryDelayMs,
      maxMs: this.retryDelayMs * 16,
    });
    this.options.logger.warn(
      `${entry.error.message}; watching ${resourcePath(
        entry.resource,
        entry.namespace,
      )} again in ${delay} ms`,
    );
    clearTimeout(entry.retryTimer);
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      if (this.entries.has(cacheKey(entry.cluster, entry.resource, entry)))
        entry.starting = this.start(entry);
    }, delay);
    entry.retryTimer.unref();
  }

  private async stopEntry(entry: Entry) {
    clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    await entry.informer?.stop();
    entry.informer = undefined;
  }

  private sweep() {
    const cutoff = Date.now() - this.idleTimeoutMs;
    for (const [key, entry] of this.entries) {
      if (entry.lastUsed < cutoff && !entry.starting) {
        this.entries.delete(key);
        this.stopEntry(entry).catch(() => {});
      }
    }
  }
}
