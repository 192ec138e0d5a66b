import { labelSelectorMatcher } from '@runway/plugin-runway-common';
import { http } from 'msw';
import { LoopbackServer } from './serve';

/**
 * An Application or AppProject as the fake stores it: Argo CD's JSON, loosely typed.
 *
 * @public
 */
export type ArgoObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    [key: string]: unknown;
  };
  spec: { project?: string; [key: string]: any };
  status?: unknown;
  [key: string]: unknown;
};

/**
 * A request the fake served, for assertions on how a client calls Argo CD.
 *
 * @public
 */
export type ArgoRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  body?: any;
};

/**
 * What the fake answers instead of handling a request: a status, or a hang past any timeout.
 *
 * @public
 */
export type ArgoFailure = number | 'hang';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** Argo CD's gRPC-gateway error body. */
const grpcError = (status: number, code: number, message: string) =>
  json({ error: message, code, message }, status);

const sameOwnedFields = (a: ArgoObject, b: ArgoObject) =>
  JSON.stringify([a.spec, a.metadata.labels, a.metadata.finalizers]) ===
  JSON.stringify([b.spec, b.metadata.labels, b.metadata.finalizers]);

/**
 * An HTTP-level fake of Argo CD's REST API, in memory, with the server's semantics:
 *
 * - `GET /api/v1/applications?selector=&name=&project=` (list), `GET /api/v1/applications/:name`
 *   (`?project=`: 404 for a missing app; without it 403, as Argo CD hides what exists),
 *   `GET /api/v1/applications/:name/revisions/:revision/metadata`;
 * - `POST /api/v1/applications` (`?upsert=`: the existing app when the spec is the same,
 *   400 "existing application spec is different" otherwise), `PUT /api/v1/applications/:name`;
 * - `GET /api/v1/projects/:name`, `POST /api/v1/projects`; a project `default` always exists;
 * - a bearer-token check (401), `forbidden` (403 to everything), `failures` injected one per
 *   request (a status or a hang), and a log of every request.
 *
 * `handle` is fetch-style: `handlers()` serves it to msw, `start()` on a loopback port.
 *
 * @public
 */
export class FakeArgoCd {
  readonly applications = new Map<string, ArgoObject>();
  readonly projects = new Map<string, ArgoObject>();
  readonly requests: ArgoRequest[] = [];
  /** Served in order, one per request, before normal handling. */
  readonly failures: ArgoFailure[] = [];
  /** Answer 403 to every request, like an account without RBAC permissions. */
  forbidden = false;
  #resourceVersion = 0;
  readonly #server = new LoopbackServer(request => this.handle(request));
  readonly #url?: string;

  /**
   * @param options - `token`: the bearer token every request must carry; `url`: the base
   *   URL msw intercepts (`handlers()`), not needed with `start()`
   */
  constructor(readonly options: { token: string; url?: string }) {
    this.#url = options.url;
    this.projects.set('default', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: 'argocd' },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
      },
    });
  }

  /** The base URL: the one given, or the loopback server's once started. */
  get url(): string {
    return this.#url ?? this.#server.url;
  }

  /** The requests other than reads. */
  get writes(): ArgoRequest[] {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /**
   * Stores Applications as if someone had created them, as the server returns them: given
   * metadata and status are kept; namespace, uid and status get Argo CD's defaults.
   */
  seed(...applications: ArgoObject[]): void {
    for (const application of applications) {
      this.applications.set(
        application.metadata.name,
        this.#served(application),
      );
    }
  }

  /** msw handlers serving the fake at `url`. */
  handlers() {
    return [
      http.all(`${this.url}/api/v1/*`, ({ request }) => this.handle(request)),
    ];
  }

  /** Serves the fake on a free loopback port (for a whole backend under test). */
  async start(): Promise<string> {
    return this.#server.start();
  }

  async stop(): Promise<void> {
    await this.#server.stop();
  }

  #served(application: ArgoObject): ArgoObject {
    const copy = structuredClone(application);
    this.#resourceVersion += 1;
    return {
      ...copy,
      metadata: {
        namespace: 'argocd',
        uid: `uid-${copy.metadata.name}`,
        creationTimestamp: '2026-01-01T00:00:00Z',
        ...copy.metadata,
        resourceVersion: String(this.#resourceVersion),
      },
      status: copy.status ?? {
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
      },
    };
  }

  /** Answers one request. */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname);
    const text = await request.text();
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.get('authorization'),
      ...(body !== undefined && { body }),
    });

    const failure = this.failures.shift();
    if (failure === 'hang') {
      await new Promise(resolve => setTimeout(resolve, 400));
      return grpcError(504, 4, 'too late');
    }
    if (failure !== undefined) {
      return grpcError(
        failure,
        14,
        'the server is currently unable to handle the request',
      );
    }
    if (
      request.headers.get('authorization') !== `Bearer ${this.options.token}`
    ) {
      return grpcError(401, 16, 'invalid session: token signature is invalid');
    }
    if (this.forbidden) {
      return grpcError(403, 7, 'permission denied');
    }

    const route = `${request.method} ${path}`;
    if (route === 'GET /api/v1/applications') {
      return json({ metadata: {}, items: this.#list(url.searchParams) });
    }
    const revision =
      /^GET \/api\/v1\/applications\/([^/]+)\/revisions\/([^/]+)\/metadata$/.exec(
        route,
      );
    if (revision) {
      return this.applications.has(revision[1])
        ? json({
            author: 'Ada Lovelace <ada@example.com>',
            date: '2026-11-20T10:00:00Z',
            message: `Release ${revision[2].slice(0, 7)}`,
            tags: [],
          })
        : grpcError(
            404,
            5,
            `applications.argoproj.io "${revision[1]}" not found`,
          );
    }
    const app = /^(GET|PUT) \/api\/v1\/applications\/([^/]+)$/.exec(route);
    if (app?.[1] === 'GET') {
      return this.#getApplication(app[2], url.searchParams);
    }
    if (app?.[1] === 'PUT') return this.#updateApplication(app[2], body);
    if (route === 'POST /api/v1/applications') {
      return this.#createApplication(
        body,
        url.searchParams.get('upsert') === 'true',
      );
    }
    const project = /^GET \/api\/v1\/projects\/([^/]+)$/.exec(route);
    if (project) {
      const found = this.projects.get(project[1]);
      return found
        ? json(found)
        : grpcError(
            404,
            5,
            `appprojects.argoproj.io "${project[1]}" not found`,
          );
    }
    if (route === 'POST /api/v1/projects') {
      return this.#createProject(body.project);
    }
    return grpcError(404, 5, 'Not Found');
  }

  #list(query: URLSearchParams): ArgoObject[] {
    const matches = labelSelectorMatcher(query.get('selector'));
    const name = query.get('name');
    const project = query.get('project');
    return [...this.applications.values()].filter(
      application =>
        matches(application.metadata.labels ?? {}) &&
        (!name || application.metadata.name === name) &&
        (!project || application.spec.project === project),
    );
  }

  #getApplication(name: string, query: URLSearchParams): Response {
    const found = this.applications.get(name);
    const project = query.get('project');
    if (!found || (project && found.spec.project !== project)) {
      // Without a project Argo CD hides whether the app exists.
      return project
        ? grpcError(404, 5, `applications.argoproj.io "${name}" not found`)
        : grpcError(403, 7, 'permission denied');
    }
    return json(found);
  }

  #createApplication(application: ArgoObject, upsert: boolean): Response {
    const { name } = application.metadata;
    const project = String(application.spec.project);
    if (!this.projects.has(project)) {
      return grpcError(
        400,
        3,
        `app is not allowed in project "${project}", or the project does not exist`,
      );
    }
    const existing = this.applications.get(name);
    if (existing && sameOwnedFields(existing, application)) {
      return json(existing);
    }
    if (existing && !upsert) {
      return grpcError(
        400,
        3,
        'existing application spec is different, use upsert flag to force update',
      );
    }
    const stored = this.#served(application);
    this.applications.set(name, stored);
    return json(stored);
  }

  #updateApplication(name: string, application: ArgoObject): Response {
    const existing = this.applications.get(name);
    if (!existing) {
      return grpcError(403, 7, 'permission denied');
    }
    const stored = this.#served({
      ...existing,
      metadata: {
        ...existing.metadata,
        labels: application.metadata.labels,
        annotations: application.metadata.annotations,
        finalizers: application.metadata.finalizers,
      },
      spec: application.spec,
      status: existing.status,
    });
    this.applications.set(name, stored);
    return json(stored);
  }

  #createProject(project: ArgoObject): Response {
    const { name } = project.metadata;
    const existing = this.projects.get(name);
    if (
      existing &&
      JSON.stringify(existing.spec) !== JSON.stringify(project.spec)
    ) {
      return grpcError(
        400,
        3,
        'existing project spec is different, use upsert flag to force update',
      );
    }
    if (!existing) this.projects.set(name, project);
    return json(this.projects.get(name));
  }
}
