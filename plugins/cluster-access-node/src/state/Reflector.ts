import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import { backoffDelay } from '@runway/plugin-runway-common';
import { kubernetesStatusCode, kubernetesStatusOf } from '../kubernetesErrors';
import { ClusterReadError, toClusterReadError } from './errors';
import { ClusterStateKind, collectionPath, KUBERNETES_ID_LABEL } from './kinds';
import { ObjectIndex } from './ObjectIndex';
import { getJson, KubernetesHttpError, watch } from './transport';

/**
 * Where one kind of one cluster stands: `syncing` until its first list is in, then `ready`;
 * `absent` when the cluster does not serve an optional kind; `error` when it cannot be
 * read (at once before the first list, after `staleAfterMs` of failures after it).
 *
 * @public
 */
export type InformerState = 'syncing' | 'ready' | 'absent' | 'error';

export type ReflectorOptions = {
  cluster: string;
  /** The cluster's API server as messages show it. */
  server: string;
  kind: ClusterStateKind;
  /** Fresh credentials for each request (EKS tokens expire). */
  kubeConfig: () => Promise<KubeConfig>;
  logger: LoggerService;
  /** Objects per list page. */
  pageSize: number;
  /** Wait before the first retry after a failure; doubles up to 16×. */
  retryDelayMs: number;
  /** How long an optional kind found missing is taken as missing before looking again. */
  absentRecheckMs: number;
  /** How long a synced kind serves its last state through failures before reporting them. */
  staleAfterMs: number;
  /** A list page or a silent watch connection is given up after this long. */
  requestTimeoutMs: number;
  /** The `timeoutSeconds` of each watch (the server ends it; it resumes at once). */
  watchTimeoutSeconds: () => number;
  /** Called for each request made (for counts). */
  onRequest?: (kind: 'list' | 'watch') => void;
};

/** A watch that ends sooner than this is "quick"; repeated quick ends back off. */
const QUICK_WATCH_MS = 1000;

const isGone = (error: unknown) => kubernetesStatusCode(error) === 410;

/**
 * One informer: the objects of one kind in one cluster, listed in pages, then followed by
 * a watch with bookmarks that resumes from the last resourceVersion, relists on 410 Gone
 * and backs off on errors (runway-common's backoff). A relist builds a new index and swaps
 * it in whole, so readers never see a half-listed kind.
 */
export class Reflector {
  private stateValue: InformerState = 'syncing';
  private errorValue?: ClusterReadError;
  private storeValue: ObjectIndex;
  private resourceVersion = '';
  private failures = 0;
  private failingSince?: number;
  private quickEnds = 0;
  private goneInARow = 0;
  private stopped = false;
  private readonly abort = new AbortController();
  private wake?: () => void;
  private waiters: (() => void)[] = [];
  /** When the store last finished a list. */
  syncedAt?: Date;
  /** Whether a watch connection is open. */
  watching = false;
  lastUsed = Date.now();

  constructor(private readonly options: ReflectorOptions) {
    this.storeValue = this.newStore();
  }

  get state(): InformerState {
    if (
      this.stateValue === 'ready' &&
      this.failingSince !== undefined &&
      Date.now() - this.failingSince >= this.options.staleAfterMs
    ) {
      return 'error';
    }
    return this.stateValue;
  }

  /** The reason it cannot be read, when its state is `error`. */
  get error(): ClusterReadError | undefined {
    return this.state === 'error' ? this.errorValue : undefined;
  }

  /** The resourceVersion it would resume a watch from ('' before a list). */
  get version(): string {
    return this.resourceVersion;
  }

  /** The objects as of now (read them without awaiting in between). */
  get store(): ObjectIndex {
    return this.storeValue;
  }

  start(): this {
    this.run().catch(error =>
      this.options.logger.error(
        `cluster-state informer for ${this.describe()} stopped: ${error}`,
      ),
    );
    return this;
  }

  stop() {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    this.settle();
  }

  /** Resolves once it is no longer syncing, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.stateValue !== 'syncing') return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>(resolve => this.waiters.push(resolve)),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private describe() {
    return `${collectionPath(this.options.kind)} in cluster '${
      this.options.cluster
    }'`;
  }

  private newStore() {
    const { kind } = this.options;
    return new ObjectIndex(kind.indexes ?? {}, [KUBERNETES_ID_LABEL]);
  }

  private settle() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private recovered() {
    this.failures = 0;
    this.failingSince = undefined;
    this.errorValue = undefined;
    if (this.stateValue === 'error') this.stateValue = 'ready';
  }

  private async run() {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.list();
        const started = Date.now();
        await this.watchOnce();
        // The server ended the watch (its timeout): resume from the last resourceVersion,
        // backing off only when it keeps ending watches at once.
        this.quickEnds =
          Date.now() - started < QUICK_WATCH_MS ? this.quickEnds + 1 : 0;
        if (this.quickEnds > 2)
          await this.sleep(this.delay(this.quickEnds - 2));
      } catch (error) {
        if (this.stopped) return;
        if (isGone(error) && this.goneInARow < 2) {
          // Our resourceVersion was compacted away: list again at once.
          this.goneInARow += 1;
          this.resourceVersion = '';
          continue;
        }
        this.resourceVersion = isGone(error) ? '' : this.resourceVersion;
        if (
          this.options.kind.optional &&
          kubernetesStatusCode(error) === 404 &&
          !kubernetesStatusOf(error).details?.name
        ) {
          this.absent();
          await this.sleep(this.options.absentRecheckMs);
          continue;
        }
        const delay = this.fail(error);
        await this.sleep(delay);
      }
    }
  }

  private delay(retry: number) {
    const { retryDelayMs } = this.options;
    return backoffDelay(retry, {
      initialMs: retryDelayMs,
      maxMs: retryDelayMs * 16,
    });
  }

  private fail(error: unknown): number {
    const { cluster, server, kind, logger } = this.options;
    this.errorValue = toClusterReadError(error, { cluster, server, kind });
    this.failures += 1;
    this.failingSince ??= Date.now();
    if (this.stateValue !== 'ready') this.stateValue = 'error';
    this.settle();
    const delay = this.delay(this.failures);
    logger.warn(
      `${this.errorValue.message}; listing and watching ${collectionPath(
        kind,
      )} again in ${delay} ms`,
    );
    return delay;
  }

  private absent() {
    this.storeValue = this.newStore();
    this.resourceVersion = '';
    this.recovered();
    this.stateValue = 'absent';
    this.syncedAt = new Date();
    this.settle();
  }

  private async sleep(ms: number) {
    if (this.stopped) return;
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** Lists every page into a new index and swaps it in. */
  private async list() {
    const { kind, pageSize, requestTimeoutMs } = this.options;
    const kc = await this.options.kubeConfig();
    let store = this.newStore();
    let token: string | undefined;
    let resourceVersion = '';
    let restarts = 0;
    do {
      this.options.onRequest?.('list');
      let page: any;
      try {
        page = await getJson(
          kc,
          collectionPath(kind),
          {
            labelSelector: kind.labelSelector,
            limit: pageSize,
            continue: token,
          },
          { timeoutMs: requestTimeoutMs, signal: this.abort.signal },
        );
      } catch (error) {
        // A continue token older than a compaction: start the list over.
        if (token && isGone(error) && restarts < 2) {
          restarts += 1;
          token = undefined;
          store = this.newStore();
          continue;
        }
        throw error;
      }
      resourceVersion = page?.metadata?.resourceVersion ?? '';
      for (const item of page?.items ?? []) store.upsert(kind.prune(item));
      token = page?.metadata?.continue || undefined;
    } while (token);
    this.storeValue = store;
    this.resourceVersion = resourceVersion;
    this.syncedAt = new Date();
    this.goneInARow = 0;
    this.recovered();
    this.stateValue = 'ready';
    this.settle();
  }

  /** One watch from the last resourceVersion, until the server ends it. */
  private async watchOnce() {
    const { kind, requestTimeoutMs } = this.options;
    const kc = await this.options.kubeConfig();
    const timeoutSeconds = this.options.watchTimeoutSeconds();
    this.options.onRequest?.('watch');
    try {
      await watch(
        kc,
        collectionPath(kind),
        {
          labelSelector: kind.labelSelector,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds,
        },
        ({ type, object }) => {
          if (type === 'ERROR') {
            throw new KubernetesHttpError(Number(object?.code) || 500, object);
          }
          if (type === 'ADDED' || type === 'MODIFIED') {
            this.storeValue.upsert(kind.prune(object));
          } else if (type === 'DELETED') {
            this.storeValue.delete(object);
          }
          const version = object?.metadata?.resourceVersion;
          if (version) this.resourceVersion = version;
        },
        {
          idleTimeoutMs: timeoutSeconds * 1000 + requestTimeoutMs,
          signal: this.abort.signal,
          onOpen: () => {
            this.watching = true;
            this.goneInARow = 0;
            this.recovered();
          },
        },
      );
    } finally {
      this.watching = false;
    }
  }
}
