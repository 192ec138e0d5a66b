import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** The fields of a Kubernetes object the fake API server reads. */
export type FakeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export type RecordedRequest = { method: string; path: string; query: string };

type Watcher = {
  resource: string;
  namespace?: string;
  selector: LabelSelector;
  res: ServerResponse;
};

type LabelSelector = (labels: Record<string, string>) => boolean;

/** `app=x,tier!=db,env in (a,b),flag,!other` as a predicate. */
export function parseLabelSelector(selector: string | null): LabelSelector {
  if (!selector) return () => true;
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  const tests = terms.map(raw => {
    const term = raw.trim();
    let m = term.match(/^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/);
    if (m) {
      const [, key, op, list] = m;
      const values = list.split(',').map(v => v.trim());
      return (l: Record<string, string>) =>
        op === 'in'
          ? values.includes(l[key])
          : !(key in l) || !values.includes(l[key]);
    }
    m = term.match(/^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/);
    if (m) {
      const [, key, op, value] = m;
      return (l: Record<string, string>) =>
        op === '!=' ? l[key] !== value : l[key] === value;
    }
    if (term.startsWith('!'))
      return (l: Record<string, string>) => !(term.slice(1) in l);
    return (l: Record<string, string>) => term in l;
  });
  return labels => tests.every(t => t(labels));
}

/** `VirtualService` → `virtualservices`, the plural every kind Runway reads uses. */
export const pluralOf = (kind: string) => `${kind.toLowerCase()}s`;

/**
 * An HTTP-level fake of the Kubernetes API for tests: list and watch (newline-delimited
 * JSON events) of any resource it holds objects of, label selectors, namespaces,
 * bearer-token auth, a forbidden mode, and a log of every request it served.
 */
export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, FakeObject>();
  private readonly served = new Set<string>();
  private readonly watchers = new Set<Watcher>();
  private server?: Server;
  private revision = 1;

  constructor(
    private readonly options: {
      /** Bearer token every request must carry; none means no auth check. */
      token?: string;
      /** Answer every request with 403, like a cluster whose RBAC denies the backend. */
      forbidden?: boolean;
    } = {},
  ) {}

  /** Starts listening on a free loopback port; returns the API server URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
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
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Serve a resource (so it lists as empty rather than 404), e.g. a CRD with no objects. */
  serve(apiVersion: string, plural: string): this {
    this.served.add(`${apiVersion}/${plural}`);
    return this;
  }

  /** Adds or replaces objects, notifying watchers (ADDED or MODIFIED). */
  apply(...objects: FakeObject[]): this {
    for (const input of objects) {
      const obj: FakeObject = structuredClone(input);
      const key = this.keyOf(obj);
      const existing = this.objects.get(key);
      obj.metadata.resourceVersion = String(++this.revision);
      obj.metadata.uid = existing?.metadata.uid ?? `uid-${key}`;
      this.objects.set(key, obj);
      this.served.add(`${obj.apiVersion}/${pluralOf(obj.kind)}`);
      this.notify(existing ? 'MODIFIED' : 'ADDED', obj);
    }
    return this;
  }

  /** Deletes an object, notifying watchers. */
  remove(object: FakeObject): this {
    const key = this.keyOf(object);
    const existing = this.objects.get(key);
    if (existing) {
      this.objects.delete(key);
      existing.metadata.resourceVersion = String(++this.revision);
      this.notify('DELETED', existing);
    }
    return this;
  }

  /** Requests received since the last call (or the start). */
  takeRequests(): RecordedRequest[] {
    return this.requests.splice(0, this.requests.length);
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private keyOf(o: FakeObject) {
    return `${o.apiVersion}/${pluralOf(o.kind)}/${o.metadata.namespace ?? ''}/${
      o.metadata.name
    }`;
  }

  private notify(type: string, obj: FakeObject) {
    const resource = `${obj.apiVersion}/${pluralOf(obj.kind)}`;
    for (const w of this.watchers) {
      if (
        w.resource === resource &&
        (!w.namespace || w.namespace === obj.metadata.namespace) &&
        w.selector(obj.metadata.labels ?? {})
      ) {
        w.res.write(`${JSON.stringify({ type, object: obj })}\n`);
      }
    }
  }

  private status(
    res: ServerResponse,
    code: number,
    reason: string,
    message: string,
  ) {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason,
        message,
        code,
      }),
    );
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
    });
    if (this.options.forbidden) {
      this.status(
        res,
        403,
        'Forbidden',
        `forbidden: User "backstage" cannot access ${url.pathname}`,
      );
      return;
    }
    if (
      this.options.token &&
      req.headers.authorization !== `Bearer ${this.options.token}`
    ) {
      this.status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    // /api/v1/... or /apis/<group>/<version>/..., optionally namespaced
    const m = url.pathname.match(
      /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/,
    );
    if (!m || req.method !== 'GET') {
      this.status(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${req.method} ${url.pathname})`,
      );
      return;
    }
    const [, core, groupVersion, namespace, plural] = m;
    const apiVersion = core ?? groupVersion;
    const resource = `${apiVersion}/${plural}`;
    if (!this.served.has(resource)) {
      this.status(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${plural})`,
      );
      return;
    }
    const selector = parseLabelSelector(url.searchParams.get('labelSelector'));
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    if (watch) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      const watcher: Watcher = { resource, namespace, selector, res };
      this.watchers.add(watcher);
      req.on('close', () => this.watchers.delete(watcher));
      return;
    }
    const items = [...this.objects.values()].filter(
      o =>
        `${o.apiVersion}/${pluralOf(o.kind)}` === resource &&
        (!namespace || o.metadata.namespace === namespace) &&
        selector(o.metadata.labels ?? {}),
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        apiVersion,
        kind: 'List',
        metadata: { resourceVersion: String(this.revision) },
        items,
      }),
    );
  }
}
