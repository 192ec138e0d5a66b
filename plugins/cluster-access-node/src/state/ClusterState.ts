import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  LabelSelectorRequirement,
  parseLabelSelector,
} from '@runway/plugin-runway-common';
import { ClusterAccess } from '../ClusterAccess';
import { displayUrl } from '../kubernetesErrors';
import { ObjectSelector } from './entitySelector';
import { ClusterReadError } from './errors';
import {
  CLUSTER_STATE_KINDS,
  ClusterStateKind,
  ClusterStateKindId,
} from './kinds';
import { InformerState, Reflector } from './Reflector';

/**
 * How the cluster-state layer behaves. Every duration has a default.
 *
 * @public
 */
export type ClusterStateOptions = {
  clusterAccess: ClusterAccess;
  logger: LoggerService;
  /** Stop an informer nobody read for this long. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** How long a view waits for a kind's first list before saying it is still syncing. Default 10 s. */
  coldStartTimeoutMs?: number;
  /** Objects per list page. Default 500. */
  pageSize?: number;
  /** Wait before the first retry after a failure; doubles up to 16×. Default 5 s. */
  retryDelayMs?: number;
  /** How long an optional CRD found missing is taken as missing. Default 5 minutes. */
  absentRecheckMs?: number;
  /** How long a synced kind serves its last state through failures before views get the error. Default 30 s. */
  staleAfterMs?: number;
  /** A list page, or a watch silent past its timeout, is given up after this long. Default 60 s. */
  requestTimeoutMs?: number;
  /** The range of each watch's `timeoutSeconds`. Default 5 to 10 minutes, as client-go. */
  watchTimeoutSeconds?: [number, number];
};

/**
 * Where one informer stands, for views and metrics.
 *
 * @public
 */
export type InformerReadiness = {
  cluster: string;
  kind: ClusterStateKindId;
  state: InformerState;
  objects: number;
  /** The resourceVersion it follows (moved by events and bookmarks). */
  resourceVersion: string;
  /** When its last full list finished (ISO 8601). */
  syncedAt?: string;
  error?: { message: string; statusCode?: number };
};

/**
 * The objects of some kinds in one cluster as of one moment. Read it synchronously right
 * after it is taken: the informers keep applying watch events afterwards.
 *
 * @public
 */
export interface ClusterSnapshot {
  cluster: string;
  /** Kinds whose first list was not in when the wait ended: their objects are not known yet. */
  syncing: ClusterStateKindId[];
  /** The first requested kind that cannot be read. */
  error?: ClusterReadError;
  /**
   * What a view shows instead of objects, if anything: the error, or that the cluster is
   * still syncing (504, naming the kinds and the wait).
   */
  problem?: { message: string; statusCode?: number };
  /** The objects of a kind an entity's selector matches (an index lookup for `backstage.io/kubernetes-id`). */
  select<T = any>(kind: ClusterStateKindId, selector: ObjectSelector): T[];
  /** The objects a kind's index holds under a value (see `OWNER_INDEX`, `CNPG_CLUSTER_INDEX`). */
  byIndex<T = any>(kind: ClusterStateKindId, index: string, value: string): T[];
  /** One object by namespace and name. */
  get<T = any>(
    kind: ClusterStateKindId,
    namespace: string | undefined,
    name: string,
  ): T | undefined;
}

/**
 * Counts for tests, benchmarks and metrics.
 *
 * @public
 */
export type ClusterStateStats = {
  informers: number;
  openWatches: number;
  /** Requests made since the start: list pages and watches. */
  requests: { list: number; watch: number };
  objects: number;
};

/**
 * The cluster-state layer: what Runway's views read from Kubernetes.
 *
 * @public
 */
export interface ClusterStateService {
  /**
   * The given kinds of one cluster, once each has finished its first list (or failed, or
   * `timeoutMs` passed). Starts the informers of kinds nobody asked for before.
   * @throws NotFoundError for a cluster the `kubernetes` config does not name.
   */
  snapshot(
    cluster: string,
    kinds: readonly ClusterStateKindId[],
    options?: { timeoutMs?: number },
  ): Promise<ClusterSnapshot>;
  /** Every running informer and where it stands. */
  readiness(): InformerReadiness[];
  stats(): ClusterStateStats;
  /** Stops every informer. */
  close(): Promise<void>;
}

const MAX_CACHED_SELECTORS = 10_000;

/**
 * One informer per kind per cluster, started on first use, label-filtered on the presence
 * of `backstage.io/kubernetes-id` (see each kind's `labelSelector`) and indexed by that
 * label, so an entity's view is an index lookup: open watches are kinds × clusters,
 * whatever the number of entities viewed.
 *
 * @public
 */
export class ClusterState implements ClusterStateService {
  private readonly reflectors = new Map<string, Reflector>();
  private readonly selectors = new Map<string, LabelSelectorRequirement[]>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly requests = { list: 0, watch: 0 };
  private readonly settings: Required<
    Omit<ClusterStateOptions, 'clusterAccess' | 'logger'>
  >;
  private closed = false;

  constructor(
    private readonly options: ClusterStateOptions,
    private readonly kinds: Record<
      string,
      ClusterStateKind
    > = CLUSTER_STATE_KINDS,
  ) {
    this.settings = {
      idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000,
      coldStartTimeoutMs: options.coldStartTimeoutMs ?? 10_000,
      pageSize: options.pageSize ?? 500,
      retryDelayMs: options.retryDelayMs ?? 5_000,
      absentRecheckMs: options.absentRecheckMs ?? 5 * 60_000,
      staleAfterMs: options.staleAfterMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? [300, 600],
    };
    this.sweeper = setInterval(
      () => this.sweep(),
      Math.min(60_000, this.settings.idleTimeoutMs),
    );
    this.sweeper.unref();
  }

  async snapshot(
    cluster: string,
    kinds: readonly ClusterStateKindId[],
    options: { timeoutMs?: number } = {},
  ): Promise<ClusterSnapshot> {
    const reflectors = new Map(
      kinds.map(kind => [kind, this.reflector(cluster, kind)] as const),
    );
    const timeoutMs = options.timeoutMs ?? this.settings.coldStartTimeoutMs;
    // Warm, every kind is past its first list: nothing to wait for.
    const syncingNow = [...reflectors.values()].filter(
      r => r.state === 'syncing',
    );
    if (syncingNow.length) {
      await Promise.all(syncingNow.map(r => r.settled(timeoutMs)));
    }
    const now = Date.now();
    const syncing: ClusterStateKindId[] = [];
    let error: ClusterReadError | undefined;
    for (const [kind, reflector] of reflectors) {
      reflector.lastUsed = now;
      if (reflector.state === 'syncing') syncing.push(kind);
      error ??= reflector.error;
    }
    let problem: ClusterSnapshot['problem'];
    if (error) {
      problem = {
        message: error.message,
        ...(error.statusCode && { statusCode: error.statusCode }),
      };
    } else if (syncing.length) {
      const plurals = syncing.map(k => this.kinds[k].plural).join(', ');
      problem = {
        message: `Kubernetes cluster '${cluster}' at ${this.serverOf(
          cluster,
        )} is still syncing: the first list of ${plurals} did not finish within ${
          timeoutMs / 1000
        } s`,
        statusCode: 504,
      };
    }
    const store = (kind: ClusterStateKindId) => {
      const reflector = reflectors.get(kind);
      if (!reflector) {
        throw new Error(`kind '${kind}' was not part of this snapshot`);
      }
      return reflector.store;
    };
    return {
      cluster,
      syncing,
      error,
      problem,
      select: (kind, selector) =>
        store(kind).select(
          this.requirements(selector.labelSelector),
          selector.namespace,
        ),
      byIndex: (kind, index, value) => store(kind).byIndex(index, value),
      get: (kind, namespace, name) => store(kind).get(namespace, name),
    };
  }

  readiness(): InformerReadiness[] {
    return [...this.reflectors.entries()].map(([key, r]) => {
      const [cluster, kind] = JSON.parse(key) as [string, ClusterStateKindId];
      const error = r.error;
      return {
        cluster,
        kind,
        state: r.state,
        objects: r.store.size,
        resourceVersion: r.version,
        ...(r.syncedAt && { syncedAt: r.syncedAt.toISOString() }),
        ...(error && {
          error: {
            message: error.message,
            ...(error.statusCode && { statusCode: error.statusCode }),
          },
        }),
      };
    });
  }

  stats(): ClusterStateStats {
    let openWatches = 0;
    let objects = 0;
    for (const r of this.reflectors.values()) {
      if (r.watching) openWatches += 1;
      objects += r.store.size;
    }
    return {
      informers: this.reflectors.size,
      openWatches,
      requests: { ...this.requests },
      objects,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const r of this.reflectors.values()) r.stop();
    this.reflectors.clear();
  }

  /** A selector parsed once (the same few strings come back on every view). */
  private requirements(selector: string): LabelSelectorRequirement[] {
    let parsed = this.selectors.get(selector);
    if (!parsed) {
      parsed = parseLabelSelector(selector);
      if (this.selectors.size >= MAX_CACHED_SELECTORS) this.selectors.clear();
      this.selectors.set(selector, parsed);
    }
    return parsed;
  }

  private serverOf(cluster: string): string {
    return displayUrl(
      this.options.clusterAccess.listClusters().find(c => c.name === cluster)
        ?.url,
    );
  }

  private reflector(cluster: string, kindId: ClusterStateKindId): Reflector {
    const key = JSON.stringify([cluster, kindId]);
    const existing = this.reflectors.get(key);
    if (existing) return existing;
    if (this.closed) throw new Error('the cluster-state layer is closed');
    const info = this.options.clusterAccess
      .listClusters()
      .find(c => c.name === cluster);
    if (!info) {
      throw new NotFoundError(
        `No Kubernetes cluster named '${cluster}' in the kubernetes config`,
      );
    }
    const kind = this.kinds[kindId];
    if (!kind) throw new Error(`unknown cluster-state kind '${kindId}'`);
    const [min, max] = this.settings.watchTimeoutSeconds;
    const reflector = new Reflector({
      cluster,
      server: displayUrl(info.url),
      kind,
      kubeConfig: () => this.options.clusterAccess.getKubeConfig(cluster),
      logger: this.options.logger,
      pageSize: this.settings.pageSize,
      retryDelayMs: this.settings.retryDelayMs,
      absentRecheckMs: this.settings.absentRecheckMs,
      staleAfterMs: this.settings.staleAfterMs,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      watchTimeoutSeconds: () => Math.round(min + Math.random() * (max - min)),
      onRequest: what => {
        this.requests[what] += 1;
      },
    });
    this.reflectors.set(key, reflector);
    return reflector.start();
  }

  private sweep() {
    const cutoff = Date.now() - this.settings.idleTimeoutMs;
    for (const [key, reflector] of this.reflectors) {
      if (reflector.lastUsed < cutoff) {
        this.reflectors.delete(key);
        reflector.stop();
      }
    }
  }
}
