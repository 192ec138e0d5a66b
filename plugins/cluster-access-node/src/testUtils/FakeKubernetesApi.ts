import { loadYaml } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
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
    managedFields?: ManagedFieldsEntry[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** One entry of `metadata.managedFields`, as server-side apply keeps it. */
export type ManagedFieldsEntry = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
};

export type RecordedRequest = {
  method: string;
  path: string;
  query: string;
  /** The Content-Type of a request that carries a body (PATCH, POST, PUT). */
  contentType?: string;
  /** The parsed body of a request that carries one. */
  body?: unknown;
};

/** The RBAC check the API server makes for a request: verb on a resource of an API group. */
export type AuthorizationCheck = {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace?: string;
  name?: string;
};

/** An RBAC `PolicyRule`, as in a Role or ClusterRole. */
export type FakeRbacRule = {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
};

/** A Status the fake answers with instead of serving a request. */
export type FakeFailure = {
  code: number;
  reason: string;
  message: string;
  details?: Record<string, unknown>;
};

/** Which requests a configured failure applies to. */
export type FakeFailureMatch = {
  method?: string;
  /** An exact path, or a pattern the path must match. */
  path?: string | RegExp;
};

/** Identifies one object: its apiVersion, kind, name and (for namespaced kinds) namespace. */
export type FakeObjectRef = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
};

type Watcher = {
  resource: string;
  namespace?: string;
  selector: LabelSelector;
  fields: FieldSelector;
  res: ServerResponse;
};

type LabelSelector = (labels: Record<string, string>) => boolean;
type FieldSelector = (object: FakeObject) => boolean;

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

/**
 * `metadata.name=x,metadata.namespace!=y` as a predicate: the field selectors every
 * resource supports (`metadata.name`, `metadata.namespace`).
 */
export function parseFieldSelector(selector: string | null): FieldSelector {
  if (!selector) return () => true;
  const tests = selector.split(',').map(raw => {
    const m = raw
      .trim()
      .match(/^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(\S*)$/);
    if (!m) {
      throw new Error(`unsupported field selector term '${raw.trim()}'`);
    }
    const [, field, op, value] = m;
    const read = (o: FakeObject) =>
      field === 'metadata.name' ? o.metadata.name : o.metadata.namespace ?? '';
    return (o: FakeObject) =>
      op === '!=' ? read(o) !== value : read(o) === value;
  });
  return object => tests.every(t => t(object));
}

/** `VirtualService` → `virtualservices`, the plural every kind Runway reads uses. */
export const pluralOf = (kind: string) => `${kind.toLowerCase()}s`;

const APPLY_PATCH = 'application/apply-patch+yaml';

/** Top-level and metadata fields the server owns: never part of a manager's field set. */
const SERVER_FIELDS = new Set([
  'apiVersion',
  'kind',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.managedFields',
]);

type FieldPath = string[];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaf paths of an applied configuration (lists are atomic, as for most CRD lists). */
function leafPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    return prefix.length ? [prefix] : [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, key];
    return SERVER_FIELDS.has(path.join('.')) ? [] : leafPaths(child, path);
  });
}

/** Field paths → the `fieldsV1` form the API server stores in managedFields. */
function toFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      node[`f:${key}`] ??= {};
      node = node[`f:${key}`];
    }
  }
  return root;
}

/** `fieldsV1` → field paths (list item keys `k:`/`v:` make their list a leaf). */
function fromFieldsV1(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  const entries = isPlainObject(fields)
    ? Object.entries(fields).filter(([key]) => key.startsWith('f:'))
    : [];
  if (entries.length === 0) return prefix.length ? [prefix] : [];
  return entries.flatMap(([key, child]) =>
    fromFieldsV1(child, [...prefix, key.slice(2)]),
  );
}

const overlaps = (a: FieldPath, b: FieldPath) => {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((key, i) => key === b[i]);
};

function getPath(object: unknown, path: FieldPath): unknown {
  let node: unknown = object;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

function deletePath(object: Record<string, unknown>, path: FieldPath) {
  const parent = getPath(object, path.slice(0, -1));
  if (isPlainObject(parent)) delete parent[path[path.length - 1]];
}

/** Server-side apply's merge for atomic lists: maps merge key by key, everything else replaces. */
function mergeInto(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
) {
  for (const [key, value] of Object.entries(patch)) {
    if (isPlainObject(value) && isPlainObject(target[key])) {
      mergeInto(target[key] as Record<string, unknown>, value);
    } else {
      target[key] = structuredClone(value);
    }
  }
}

/** An object without the fields the server maintains, to tell whether an apply changed it. */
function userContent(object: FakeObject) {
  const { resourceVersion, managedFields, generation, ...metadata } =
    object.metadata;
  const { status, ...rest } = object;
  return { ...rest, metadata };
}

/** Whether an object changed outside metadata and status: what bumps `metadata.generation`. */
function specContent(object: FakeObject) {
  const { metadata, status, ...rest } = object;
  return rest;
}

class FakeStatusError extends Error {
  constructor(readonly failure: FakeFailure) {
    super(failure.message);
  }
}

/**
 * An HTTP-level fake of the Kubernetes API for tests: list, get and watch (newline-delimited
 * JSON events, label and `metadata.name`/`metadata.namespace` field selectors, replay from a
 * `resourceVersion`) of any resource it serves; server-side apply (`PATCH` with
 * `application/apply-patch+yaml`: field managers in `metadata.managedFields`, conflicts
 * with other managers as 409, `force`); create (`POST`); bearer-token auth, a forbidden
 * mode, RBAC rules, configurable failures, status updates as an operator makes them, and
 * logs of every request it served and of the RBAC checks those requests needed.
 */
export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  /** The RBAC checks the served requests needed, in order (whether or not rules are set). */
  readonly authorizationChecks: AuthorizationCheck[] = [];
  private readonly objects = new Map<string, FakeObject>();
  /** The revision each object was created at, to replay ADDED vs MODIFIED on watch. */
  private readonly createdAt = new Map<string, number>();
  private readonly served = new Set<string>(['v1/namespaces']);
  private readonly watchers = new Set<Watcher>();
  private readonly failures: {
    match: FakeFailureMatch;
    failure: FakeFailure;
    times: number;
  }[] = [];
  private server?: Server;
  private revision = 1;

  constructor(
    private readonly options: {
      /** Bearer token every request must carry; none means no auth check. */
      token?: string;
      /** Answer every request with 403, like a cluster whose RBAC denies the backend. */
      forbidden?: boolean;
      /**
       * RBAC rules the caller is bound to: a request whose verb the rules do not grant is
       * answered 403, like the API server (a server-side apply that creates also needs
       * `create`). Unset: everything is allowed.
       */
      rules?: FakeRbacRule[];
      /**
       * Refuse to create namespaced objects in a namespace the fake does not hold, as the
       * API server does. Off by default (objects can be added without their namespace).
       */
      requireNamespaces?: boolean;
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

  /**
   * Adds or replaces objects as they are given (managedFields included, if any),
   * notifying watchers (ADDED or MODIFIED).
   */
  apply(...objects: FakeObject[]): this {
    for (const input of objects) {
      const obj: FakeObject = structuredClone(input);
      const key = this.keyOf(obj);
      const existing = this.objects.get(key);
      this.store(key, obj, existing);
    }
    return this;
  }

  /** Deletes an object, notifying watchers. */
  remove(object: FakeObject | FakeObjectRef): this {
    const key = this.keyOf(FakeKubernetesApi.asObject(object));
    const existing = this.objects.get(key);
    if (existing) {
      this.objects.delete(key);
      this.createdAt.delete(key);
      existing.metadata.resourceVersion = String(++this.revision);
      this.notify('DELETED', existing);
    }
    return this;
  }

  /** A copy of one object, or undefined. */
  get(ref: FakeObjectRef): FakeObject | undefined {
    const obj = this.objects.get(this.keyOf(FakeKubernetesApi.asObject(ref)));
    return obj && structuredClone(obj);
  }

  /** Copies of every object of a kind, optionally of one namespace. */
  list(apiVersion: string, kind: string, namespace?: string): FakeObject[] {
    return [...this.objects.values()]
      .filter(
        o =>
          o.apiVersion === apiVersion &&
          o.kind === kind &&
          (namespace === undefined || o.metadata.namespace === namespace),
      )
      .map(o => structuredClone(o));
  }

  /**
   * Replaces an object's `status`, as its operator does through the status subresource:
   * bumps the resourceVersion and notifies watchers (MODIFIED).
   * @throws when the object does not exist.
   */
  setStatus(ref: FakeObjectRef, status: Record<string, unknown>): this {
    const key = this.keyOf(FakeKubernetesApi.asObject(ref));
    const existing = this.objects.get(key);
    if (!existing) {
      throw new Error(`setStatus: no object ${key}`);
    }
    const obj = structuredClone(existing);
    obj.status = structuredClone(status);
    this.store(key, obj, existing);
    return this;
  }

  /**
   * Answers the next `times` requests matching `match` with the failure instead of
   * serving them (after authentication and authorization).
   */
  fail(match: FakeFailureMatch, failure: FakeFailure, times = 1): this {
    this.failures.push({ match, failure, times });
    return this;
  }

  /** Requests received since the last call (or the start). */
  takeRequests(): RecordedRequest[] {
    return this.requests.splice(0, this.requests.length);
  }

  /** RBAC checks made since the last call (or the start). */
  takeAuthorizationChecks(): AuthorizationCheck[] {
    return this.authorizationChecks.splice(0, this.authorizationChecks.length);
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private static asObject(ref: FakeObject | FakeObjectRef): FakeObject {
    return 'metadata' in ref
      ? (ref as FakeObject)
      : {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        };
  }

  private keyOf(o: FakeObject) {
    return this.key(
      `${o.apiVersion}/${pluralOf(o.kind)}`,
      o.metadata.namespace,
      o.metadata.name,
    );
  }

  private key(resource: string, namespace: string | undefined, name: string) {
    return `${resource}/${namespace ?? ''}/${name}`;
  }

  /** Stores a new version of an object: resourceVersion, uid, watchers. */
  private store(key: string, obj: FakeObject, existing?: FakeObject) {
    obj.metadata.resourceVersion = String(++this.revision);
    obj.metadata.uid = existing?.metadata.uid ?? `uid-${key}`;
    if (!existing) this.createdAt.set(key, this.revision);
    this.objects.set(key, obj);
    this.served.add(`${obj.apiVersion}/${pluralOf(obj.kind)}`);
    this.notify(existing ? 'MODIFIED' : 'ADDED', obj);
  }

  private matches(w: Watcher, obj: FakeObject) {
    return (
      w.resource === `${obj.apiVersion}/${pluralOf(obj.kind)}` &&
      (!w.namespace || w.namespace === obj.metadata.namespace) &&
      w.selector(obj.metadata.labels ?? {}) &&
      w.fields(obj)
    );
  }

  private notify(type: string, obj: FakeObject) {
    for (const w of this.watchers) {
      if (this.matches(w, obj)) {
        w.res.write(`${JSON.stringify({ type, object: obj })}\n`);
      }
    }
  }

  private status(
    res: ServerResponse,
    code: number,
    reason: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        reason,
        message,
        ...(details && { details }),
        code,
      }),
    );
  }

  private json(res: ServerResponse, code: number, body: unknown) {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    if (!['PATCH', 'POST', 'PUT'].includes(method)) {
      this.serveRequest(req, res, undefined);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () =>
      this.serveRequest(req, res, Buffer.concat(chunks).toString('utf8')),
    );
  }

  private parseBody(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return loadYaml(text);
    }
  }

  private serveRequest(
    req: IncomingMessage,
    res: ServerResponse,
    rawBody: string | undefined,
  ) {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search,
    };
    let body: unknown;
    if (rawBody !== undefined) {
      recorded.contentType = req.headers['content-type'];
      try {
        body = rawBody ? this.parseBody(rawBody) : undefined;
      } catch {
        body = rawBody;
      }
      recorded.body = body;
    }
    this.requests.push(recorded);
    try {
      this.route(req, res, url, body);
    } catch (error) {
      if (error instanceof FakeStatusError) {
        const { code, reason, message, details } = error.failure;
        this.status(res, code, reason, message, details);
        return;
      }
      throw error;
    }
  }

  private route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: unknown,
  ) {
    const method = req.method ?? 'GET';
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
    // /api/v1/... or /apis/<group>/<version>/...: [namespaces/<ns>/]<plural>[/<name>]
    const m = url.pathname.match(
      /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))\/(.+)$/,
    );
    const segments = m ? m[3].split('/').map(decodeURIComponent) : [];
    const namespaced =
      segments[0] === 'namespaces' &&
      segments.length >= 3 &&
      segments.every(Boolean);
    const [plural, name, ...rest] = namespaced ? segments.slice(2) : segments;
    const namespace = namespaced ? segments[1] : undefined;
    if (!m || !plural || rest.length) {
      this.notFound(res, method, url);
      return;
    }
    const [, core, groupVersion] = m;
    const apiVersion = core ?? groupVersion;
    const apiGroup = core ? '' : groupVersion.split('/')[0];
    const resource = `${apiVersion}/${plural}`;
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');

    const verbs = this.verbsOf(method, name, watch, resource, namespace);
    if (!verbs) {
      this.status(
        res,
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource (${method} ${url.pathname})`,
      );
      return;
    }
    for (const verb of verbs) {
      const check: AuthorizationCheck = {
        verb,
        apiGroup,
        resource: plural,
        ...(namespace && { namespace }),
        ...(name && { name }),
      };
      this.authorizationChecks.push(check);
      if (!this.allows(check)) {
        const target = name ? `${plural} "${name}"` : plural;
        const scope = namespace ? ` in the namespace "${namespace}"` : '';
        this.status(
          res,
          403,
          'Forbidden',
          `${target} is forbidden: User "backstage" cannot ${verb} resource "${plural}" in API group "${apiGroup}"${scope}`,
        );
        return;
      }
    }
    const failure = this.takeFailure(method, url.pathname);
    if (failure) {
      this.status(
        res,
        failure.code,
        failure.reason,
        failure.message,
        failure.details,
      );
      return;
    }
    if (!this.served.has(resource)) {
      this.status(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${plural})`,
      );
      return;
    }

    if (method === 'GET' && name) {
      const obj = this.objects.get(this.key(resource, namespace, name));
      if (!obj) {
        this.objectNotFound(res, apiGroup, plural, name);
        return;
      }
      this.json(res, 200, obj);
      return;
    }
    if (method === 'GET') {
      this.listOrWatch(req, res, url, { apiVersion, resource, namespace });
      return;
    }
    if (method === 'PATCH') {
      this.serverSideApply(req, res, url, body, {
        apiVersion,
        apiGroup,
        plural,
        resource,
        namespace,
        name: name!,
      });
      return;
    }
    this.create(res, url, body, { apiVersion, plural, resource, namespace });
  }

  /** The RBAC verbs a request needs, or undefined when the fake does not serve the method. */
  private verbsOf(
    method: string,
    name: string | undefined,
    watch: boolean,
    resource: string,
    namespace: string | undefined,
  ): string[] | undefined {
    if (method === 'GET' && name) return ['get'];
    if (method === 'GET') return [watch ? 'watch' : 'list'];
    if (method === 'POST' && !name) return ['create'];
    if (method === 'PATCH' && name) {
      // A server-side apply that creates the object is also authorized as a create.
      const exists = this.objects.has(this.key(resource, namespace, name));
      return exists ? ['patch'] : ['patch', 'create'];
    }
    return undefined;
  }

  private allows(check: AuthorizationCheck) {
    const rules = this.options.rules;
    if (!rules) return true;
    return rules.some(
      r =>
        (r.apiGroups.includes(check.apiGroup) || r.apiGroups.includes('*')) &&
        (r.resources.includes(check.resource) || r.resources.includes('*')) &&
        (r.verbs.includes(check.verb) || r.verbs.includes('*')),
    );
  }

  private takeFailure(method: string, path: string) {
    const index = this.failures.findIndex(
      ({ match }) =>
        (!match.method || match.method === method) &&
        (match.path === undefined ||
          (typeof match.path === 'string'
            ? match.path === path
            : match.path.test(path))),
    );
    if (index < 0) return undefined;
    const entry = this.failures[index];
    if (--entry.times <= 0) this.failures.splice(index, 1);
    return entry.failure;
  }

  private notFound(res: ServerResponse, method: string, url: URL) {
    this.status(
      res,
      404,
      'NotFound',
      `the server could not find the requested resource (${method} ${url.pathname})`,
    );
  }

  private objectNotFound(
    res: ServerResponse,
    group: string,
    plural: string,
    name: string,
  ) {
    const qualified = group ? `${plural}.${group}` : plural;
    this.status(res, 404, 'NotFound', `${qualified} "${name}" not found`, {
      name,
      ...(group && { group }),
      kind: plural,
    });
  }

  private listOrWatch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    target: { apiVersion: string; resource: string; namespace?: string },
  ) {
    const { apiVersion, resource, namespace } = target;
    const selector = parseLabelSelector(url.searchParams.get('labelSelector'));
    let fields: FieldSelector;
    try {
      fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
    } catch (error) {
      this.status(res, 400, 'BadRequest', (error as Error).message);
      return;
    }
    const watcher: Watcher = { resource, namespace, selector, fields, res };
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    if (watch) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      // Replay what changed after the given resourceVersion, as the watch cache does.
      const since = Number(url.searchParams.get('resourceVersion') ?? '0');
      if (since > 0) {
        for (const [key, obj] of this.objects) {
          if (
            this.matches(watcher, obj) &&
            Number(obj.metadata.resourceVersion) > since
          ) {
            const type =
              (this.createdAt.get(key) ?? 0) > since ? 'ADDED' : 'MODIFIED';
            res.write(`${JSON.stringify({ type, object: obj })}\n`);
          }
        }
      }
      this.watchers.add(watcher);
      req.on('close', () => this.watchers.delete(watcher));
      return;
    }
    const items = [...this.objects.values()].filter(o =>
      this.matches(watcher, o),
    );
    this.json(res, 200, {
      apiVersion,
      kind: 'List',
      metadata: { resourceVersion: String(this.revision) },
      items,
    });
  }

  /** Checks what the API server checks of a body: apiVersion, kind, name, namespace. */
  private checkBody(
    body: unknown,
    target: {
      apiVersion: string;
      plural: string;
      namespace?: string;
      name?: string;
    },
  ): FakeObject {
    const bad = (message: string) =>
      new FakeStatusError({ code: 400, reason: 'BadRequest', message });
    if (!isPlainObject(body) || !isPlainObject(body.metadata)) {
      throw bad('the body must be a Kubernetes object with metadata');
    }
    const obj = body as FakeObject;
    if (
      obj.apiVersion !== target.apiVersion ||
      typeof obj.kind !== 'string' ||
      pluralOf(obj.kind) !== target.plural
    ) {
      throw bad(
        `the body's apiVersion and kind (${obj.apiVersion} ${obj.kind}) do not match the resource (${target.apiVersion} ${target.plural})`,
      );
    }
    if (target.name !== undefined && obj.metadata.name !== target.name) {
      throw bad(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${target.name})`,
      );
    }
    if (
      obj.metadata.namespace !== undefined &&
      obj.metadata.namespace !== target.namespace
    ) {
      throw bad(
        `the namespace of the object (${obj.metadata.namespace}) does not match the namespace on the request (${target.namespace})`,
      );
    }
    if (
      this.options.requireNamespaces &&
      target.namespace &&
      !this.objects.has(this.key('v1/namespaces', undefined, target.namespace))
    ) {
      throw new FakeStatusError({
        code: 404,
        reason: 'NotFound',
        message: `namespaces "${target.namespace}" not found`,
        details: { name: target.namespace, kind: 'namespaces' },
      });
    }
    return obj;
  }

  private create(
    res: ServerResponse,
    url: URL,
    body: unknown,
    target: {
      apiVersion: string;
      plural: string;
      resource: string;
      namespace?: string;
    },
  ) {
    const obj = structuredClone(this.checkBody(body, target));
    if (target.namespace) obj.metadata.namespace = target.namespace;
    const key = this.key(target.resource, target.namespace, obj.metadata.name);
    if (this.objects.has(key)) {
      this.status(
        res,
        409,
        'AlreadyExists',
        `${target.plural} "${obj.metadata.name}" already exists`,
        { name: obj.metadata.name, kind: target.plural },
      );
      return;
    }
    const manager = url.searchParams.get('fieldManager') ?? 'unknown';
    obj.metadata.managedFields = [
      {
        manager,
        operation: 'Update',
        apiVersion: target.apiVersion,
        time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(leafPaths(obj)),
      },
    ];
    obj.metadata.generation = 1;
    obj.metadata.creationTimestamp = new Date().toISOString();
    this.store(key, obj);
    this.json(res, 201, obj);
  }

  private serverSideApply(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: unknown,
    target: {
      apiVersion: string;
      apiGroup: string;
      plural: string;
      resource: string;
      namespace?: string;
      name: string;
    },
  ) {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0];
    if (contentType !== APPLY_PATCH) {
      this.status(
        res,
        415,
        'UnsupportedMediaType',
        `the fake serves only server-side apply patches (${APPLY_PATCH}), not ${
          contentType || 'no content type'
        }`,
      );
      return;
    }
    const manager = url.searchParams.get('fieldManager');
    if (!manager) {
      this.status(
        res,
        400,
        'BadRequest',
        'PATCH, fieldManager: Required value: is required for apply patch',
      );
      return;
    }
    const force = url.searchParams.get('force') === 'true';
    const applied = this.checkBody(body, target);
    const key = this.key(target.resource, target.namespace, target.name);
    const existing = this.objects.get(key);
    const paths = leafPaths(applied);

    const managers = new Map<
      string,
      { entry: ManagedFieldsEntry; paths: FieldPath[] }
    >();
    for (const entry of existing?.metadata.managedFields ?? []) {
      managers.set(`${entry.manager}\u0000${entry.operation}`, {
        entry,
        paths: fromFieldsV1(entry.fieldsV1),
      });
    }
    const ownKey = `${manager}\u0000Apply`;
    const others = [...managers.entries()].filter(([k]) => k !== ownKey);

    // Conflicts: a field another manager owns, set here to a different value.
    const conflicts: { field: string; manager: string; apiVersion: string }[] =
      [];
    for (const path of paths) {
      const current = getPath(existing, path);
      if (current === undefined) continue;
      if (isDeepStrictEqual(current, getPath(applied, path))) continue;
      for (const [, other] of others) {
        if (other.paths.some(p => overlaps(p, path))) {
          conflicts.push({
            field: `.${path.join('.')}`,
            manager: other.entry.manager,
            apiVersion: other.entry.apiVersion,
          });
        }
      }
    }
    if (conflicts.length && !force) {
      const lines = conflicts.map(
        c => `conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`,
      );
      this.status(
        res,
        409,
        'Conflict',
        `Apply failed with ${conflicts.length} conflict${
          conflicts.length > 1 ? 's' : ''
        }: ${lines.join('\n')}`,
        {
          name: target.name,
          ...(target.apiGroup && { group: target.apiGroup }),
          kind: target.plural,
          causes: conflicts.map(c => ({
            type: 'FieldManagerConflict',
            message: `conflict with "${c.manager}" using ${c.apiVersion}`,
            field: c.field,
          })),
        },
      );
      return;
    }

    const result: FakeObject = existing
      ? structuredClone(existing)
      : {
          apiVersion: target.apiVersion,
          kind: applied.kind,
          metadata: {
            name: target.name,
            ...(target.namespace && { namespace: target.namespace }),
          },
        };
    // Fields this manager applied before and no longer does go, unless someone else owns them.
    const previous = managers.get(ownKey)?.paths ?? [];
    for (const path of previous) {
      const stillApplied = paths.some(p => overlaps(p, path));
      const ownedByOthers = others.some(([, o]) =>
        o.paths.some(p => overlaps(p, path)),
      );
      if (!stillApplied && !ownedByOthers) deletePath(result, path);
    }
    const { apiVersion, kind, status, ...content } = applied;
    const { name, namespace, ...metadata } = applied.metadata;
    mergeInto(result, { ...content, metadata });
    if (force) {
      for (const [, other] of others) {
        other.paths = other.paths.filter(p => !paths.some(q => overlaps(p, q)));
      }
    }

    const unchanged =
      existing &&
      isDeepStrictEqual(userContent(existing), userContent(result)) &&
      isDeepStrictEqual(
        previous.map(p => p.join('.')).sort(),
        paths.map(p => p.join('.')).sort(),
      ) &&
      !force;
    if (unchanged) {
      this.json(res, 200, existing);
      return;
    }

    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    managers.set(ownKey, {
      entry: {
        manager,
        operation: 'Apply',
        apiVersion: target.apiVersion,
        time,
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      },
      paths,
    });
    result.metadata.managedFields = [...managers.values()]
      .filter(m => m.paths.length > 0)
      .map(m => ({ ...m.entry, fieldsV1: toFieldsV1(m.paths) }));
    if (!existing) {
      result.metadata.generation = 1;
      result.metadata.creationTimestamp = new Date().toISOString();
    } else if (!isDeepStrictEqual(specContent(existing), specContent(result))) {
      result.metadata.generation =
        Number(existing.metadata.generation ?? 1) + 1;
    }
    this.store(key, result, existing);
    this.json(res, existing ? 200 : 201, result);
  }
}
