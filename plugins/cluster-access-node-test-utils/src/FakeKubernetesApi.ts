import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { Faults } from './faults';
import { ListWatch } from './listWatch';
import { ObjectStore } from './ObjectStore';
import {
  FakeStatusError,
  parseTarget,
  RequestTarget,
  resourceOf,
  writeJson,
  writeObjectNotFound,
  writePathNotFound,
  writeResourceNotFound,
  writeStatus,
} from './routing';
import {
  FakeFailure,
  FakeFailureMatch,
  FakeObject,
  FakeObjectRef,
  RecordedRequest,
} from './types';

/**
 * How a {@link FakeKubernetesApi} behaves.
 *
 * @public
 */
export type FakeKubernetesApiOptions = {
  /** Bearer token every request must carry; none means no auth check. */
  token?: string;
  /** Answer every request with 403, like a cluster whose RBAC denies the backend. */
  forbidden?: boolean;
  /** Changes kept for watches to replay (default 10,000); older resourceVersions get 410. */
  historyLimit?: number;
  /** Send a BOOKMARK this often to watches that allow them (default: only on `bookmark()`). */
  bookmarkIntervalMs?: number;
};

const asObject = (ref: FakeObject | FakeObjectRef): FakeObject =>
  'metadata' in ref
    ? (ref as FakeObject)
    : {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      };

/**
 * An HTTP-level fake of the Kubernetes API for tests and benchmarks of readers. It serves
 * list (in pages), get and watch (history replay, bookmarks, 410 once compacted) of any
 * resource it holds or `serve()`s; a bearer token and a forbidden mode; and faults on demand
 * (failures, slowness, dropped watches). Tests read back the requests it served.
 *
 * It serves no writes (405): writes, RBAC and every semantic worth trusting are tested
 * against a real API server (`@runway/control-plane`); this fake is for faults and scale.
 *
 * @public
 */
export class FakeKubernetesApi {
  /** Every request served, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly store: ObjectStore;
  private readonly listWatch: ListWatch;
  private readonly faults = new Faults();
  private server?: Server;

  constructor(private readonly options: FakeKubernetesApiOptions = {}) {
    this.store = new ObjectStore(options.historyLimit);
    this.listWatch = new ListWatch(this.store, options);
  }

  /** Starts listening on a free loopback port; returns the API server URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.serveRequest(req, res));
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    return this.url;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.listWatch.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Serve a resource (so it lists as empty rather than 404), e.g. a CRD with no objects. */
  serve(apiVersion: string, plural: string): this {
    this.store.serve(`${apiVersion}/${plural}`);
    return this;
  }

  /**
   * Adds or replaces objects as they are given (managedFields included, if any),
   * notifying watchers (ADDED or MODIFIED).
   */
  apply(...objects: FakeObject[]): this {
    for (const input of objects) this.store.put(structuredClone(input));
    return this;
  }

  /** Deletes an object, notifying watchers. */
  remove(object: FakeObject | FakeObjectRef): this {
    const { apiVersion, kind, metadata } = asObject(object);
    this.store.delete(
      resourceOf(apiVersion, kind),
      metadata.namespace,
      metadata.name,
    );
    return this;
  }

  /** A copy of one object, or undefined. */
  get(ref: FakeObjectRef): FakeObject | undefined {
    const obj = this.store.get(
      resourceOf(ref.apiVersion, ref.kind),
      ref.namespace,
      ref.name,
    );
    return obj && structuredClone(obj);
  }

  /** Copies of every object of a kind, optionally of one namespace. */
  list(apiVersion: string, kind: string, namespace?: string): FakeObject[] {
    return this.store
      .list(resourceOf(apiVersion, kind), namespace)
      .map(o => structuredClone(o));
  }

  /**
   * Replaces an object's `status`, as its operator does through the status subresource:
   * bumps the resourceVersion and notifies watchers (MODIFIED).
   * @throws when the object does not exist.
   */
  setStatus(ref: FakeObjectRef, status: Record<string, unknown>): this {
    const existing = this.get(ref);
    if (!existing) {
      throw new Error(
        `setStatus: no ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${
          ref.name
        }`,
      );
    }
    existing.status = structuredClone(status);
    this.store.put(existing);
    return this;
  }

  /** The latest resourceVersion (every change bumps it). */
  get resourceVersion(): string {
    return String(this.store.revision);
  }

  /** How many objects it holds. */
  get size(): number {
    return this.store.size;
  }

  /** Drops the change history up to now, as an etcd compaction does: older watches get 410. */
  compact(): number {
    return this.store.compact();
  }

  /** Sends a BOOKMARK at the latest resourceVersion to every watch that allows bookmarks. */
  bookmark(): this {
    this.listWatch.bookmark();
    return this;
  }

  /** Ends every open watch cleanly, as the API server does at a watch's timeout. */
  endWatches(): this {
    this.listWatch.endWatches();
    return this;
  }

  /** Cuts the connection of every open watch, as a dropped network does. */
  dropWatches(): this {
    this.listWatch.dropWatches();
    return this;
  }

  /**
   * Answers the next `times` requests matching `match` with the failure instead of
   * serving them (after authentication and authorization).
   */
  fail(match: FakeFailureMatch, failure: FakeFailure, times = 1): this {
    this.faults.fail(match, failure, times);
    return this;
  }

  /** Holds the next `times` requests matching `match` for `ms` before serving them. */
  delay(match: FakeFailureMatch, ms: number, times = 1): this {
    this.faults.delay(match, ms, times);
    return this;
  }

  /** Forgets the failures and delays not yet used up. */
  clearFaults(): this {
    this.faults.clear();
    return this;
  }

  /** Requests received since the last call (or the start). */
  takeRequests(): RecordedRequest[] {
    return this.requests.splice(0, this.requests.length);
  }

  get openWatches(): number {
    return this.listWatch.openWatches;
  }

  private serveRequest(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search,
    };
    this.requests.push(recorded);
    const answer = (run: () => void) => {
      try {
        run();
      } catch (error) {
        if (!(error instanceof FakeStatusError)) throw error;
        writeStatus(
          res,
          error.code,
          error.reason,
          error.message,
          error.details,
        );
      }
    };
    answer(() => {
      const target = this.admit(req, url);
      if (!target) {
        writePathNotFound(res, method, url);
        return;
      }
      const request = { method, path: url.pathname, watch: target.watch };
      const failure = this.faults.takeFailure(request);
      if (failure) {
        const { code, reason, message, details } = failure;
        writeStatus(res, code, reason, message, details);
        return;
      }
      const delay = this.faults.takeDelay(request);
      const serve = () => answer(() => this.dispatch(req, res, url, target));
      if (delay > 0) setTimeout(serve, delay);
      else serve();
    });
  }

  /** Authentication and the method; the target, or undefined for an unknown path. */
  private admit(req: IncomingMessage, url: URL): RequestTarget | undefined {
    const method = req.method ?? 'GET';
    if (this.options.forbidden) {
      throw new FakeStatusError(
        403,
        'Forbidden',
        `forbidden: User "backstage" cannot access ${url.pathname}`,
      );
    }
    if (
      this.options.token &&
      req.headers.authorization !== `Bearer ${this.options.token}`
    ) {
      throw new FakeStatusError(401, 'Unauthorized', 'Unauthorized');
    }
    const target = parseTarget(url);
    if (!target) return undefined;
    if (method !== 'GET') {
      throw new FakeStatusError(
        405,
        'MethodNotAllowed',
        `FakeKubernetesApi serves reads only: test writes against @runway/control-plane (${method} ${url.pathname})`,
      );
    }
    return target;
  }

  private dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    target: RequestTarget,
  ) {
    if (!this.store.isServed(target.resource)) {
      writeResourceNotFound(res, target.plural);
      return;
    }
    if (target.name) {
      const obj = this.store.get(
        target.resource,
        target.namespace,
        target.name,
      );
      if (!obj) {
        writeObjectNotFound(res, target.apiGroup, target.plural, target.name);
      } else {
        writeJson(res, 200, obj);
      }
      return;
    }
    if (target.watch) this.listWatch.watch(req, res, url, target);
    else this.listWatch.list(res, url, target);
  }
}
