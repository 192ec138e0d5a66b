import { delay, http, HttpResponse } from 'msw';
import type { Application, AppProject } from '@runway/plugin-argocd-node';

/** A request the fake served, for assertions on how the action calls Argo CD. */
export type ArgoRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  body?: any;
};

/** What the fake answers instead of handling a request: a status, or a hang past any timeout. */
export type ArgoFailure = number | 'hang';

const grpcError = (status: number, code: number, message: string) =>
  HttpResponse.json({ error: message, code, message }, { status });

const sameOwnedFields = (a: Application, b: Application) =>
  JSON.stringify([a.spec, a.metadata.labels, a.metadata.finalizers]) ===
  JSON.stringify([b.spec, b.metadata.labels, b.metadata.finalizers]);

/**
 * An HTTP-level fake of Argo CD's REST API (`/api/v1/applications`, `/api/v1/projects`) for
 * msw: bearer-token check, Applications and AppProjects in memory with the server's
 * create/upsert/update semantics, a project `default` that always exists, injectable
 * failures (a status or a hang, one per request) and a log of every request.
 */
export class FakeArgoCd {
  readonly applications = new Map<string, Application>();
  readonly projects = new Map<string, AppProject>();
  readonly requests: ArgoRequest[] = [];
  /** Served in order, one per request, before normal handling. */
  readonly failures: ArgoFailure[] = [];
  /** Answer 403 to every request, like an account without RBAC permissions. */
  forbidden = false;
  #resourceVersion = 0;

  constructor(readonly url: string, readonly token: string) {
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

  /** The requests other than reads. */
  get writes(): ArgoRequest[] {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /** Stores an Application as if someone had created it before. */
  seed(application: Application): void {
    this.applications.set(application.metadata.name, this.#served(application));
  }

  #served(application: Application): Application {
    const copy = structuredClone(application);
    this.#resourceVersion += 1;
    return {
      ...copy,
      metadata: {
        ...copy.metadata,
        namespace: 'argocd',
        uid: `uid-${copy.metadata.name}`,
        resourceVersion: String(this.#resourceVersion),
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    };
  }

  handlers() {
    return [
      http.all(`${this.url}/api/v1/*`, ({ request }) => this.#handle(request)),
    ];
  }

  async #handle(request: Request): Promise<Response> {
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
      await delay(400);
      return grpcError(504, 4, 'too late');
    }
    if (failure !== undefined) {
      return grpcError(
        failure,
        14,
        'the server is currently unable to handle the request',
      );
    }
    if (request.headers.get('authorization') !== `Bearer ${this.token}`) {
      return grpcError(401, 16, 'invalid session: token signature is invalid');
    }
    if (this.forbidden) {
      return grpcError(403, 7, 'permission denied');
    }

    const route = `${request.method} ${path}`;
    const app = /^(GET|PUT) \/api\/v1\/applications\/([^/]+)$/.exec(route);
    if (app?.[1] === 'GET')
      return this.#getApplication(app[2], url.searchParams);
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
        ? HttpResponse.json(found)
        : grpcError(
            404,
            5,
            `appprojects.argoproj.io "${project[1]}" not found`,
          );
    }
    if (route === 'POST /api/v1/projects') {
      const name = body.project.metadata.name;
      const existing = this.projects.get(name);
      if (
        existing &&
        JSON.stringify(existing.spec) !== JSON.stringify(body.project.spec)
      ) {
        return grpcError(
          400,
          3,
          'existing project spec is different, use upsert flag to force update',
        );
      }
      if (!existing) this.projects.set(name, body.project);
      return HttpResponse.json(this.projects.get(name));
    }
    return grpcError(404, 5, 'Not Found');
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
    return HttpResponse.json(found);
  }

  #createApplication(application: Application, upsert: boolean): Response {
    const { name } = application.metadata;
    if (!this.projects.has(application.spec.project)) {
      return grpcError(
        400,
        3,
        `app is not allowed in project "${application.spec.project}", or the project does not exist`,
      );
    }
    const existing = this.applications.get(name);
    if (existing && sameOwnedFields(existing, application)) {
      return HttpResponse.json(existing);
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
    return HttpResponse.json(stored);
  }

  #updateApplication(name: string, application: Application): Response {
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
    });
    this.applications.set(name, stored);
    return HttpResponse.json(stored);
  }
}
