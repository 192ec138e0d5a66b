import { createHash } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { parseLabelSelector } from '@runway/plugin-cluster-access-node/testUtils';
import { validateCrd } from '@runway/testing';

/** An Argo CD Application as the Argo CD API returns it (spec and status included). */
export type ArgoApplication = {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    labels: Record<string, string>;
    [key: string]: unknown;
  };
  spec: Record<string, unknown> & { project: string };
  status: Record<string, unknown>;
};

/** What a request to the fake asked for, for assertions on how the backend calls it. */
export type ArgoRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
};

/**
 * One environment's Application of a service, the way Runway's `argocd:app:create`
 * names and labels it (`<service>-<environment>`, `backstage.io/kubernetes-id`), with
 * the sync status and health Argo CD reports for it.
 */
export function argoApplication(options: {
  service: string;
  environment: string;
  sync: 'Synced' | 'OutOfSync' | 'Unknown';
  health:
    | 'Healthy'
    | 'Progressing'
    | 'Degraded'
    | 'Suspended'
    | 'Missing'
    | 'Unknown';
  /** The Git commit last synced. */
  revision: string;
  deployedAt: string;
}): ArgoApplication {
  const { service, environment, sync, health, revision, deployedAt } = options;
  const name = `${service}-${environment}`;
  const source = {
    repoURL: `https://github.com/example-org/${service}`,
    path: 'chart',
    targetRevision: 'HEAD',
    helm: { valueFiles: [`values-${environment}.yaml`] },
  };
  const application: ArgoApplication = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: 'argocd',
      uid: uidOf(name),
      labels: { 'backstage.io/kubernetes-id': service },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      creationTimestamp: '2026-11-01T09:00:00Z',
    },
    spec: {
      project: 'default',
      source,
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: service,
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
    status: {
      sync: {
        status: sync,
        revision,
        comparedTo: {
          source,
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: service,
          },
        },
      },
      health: { status: health },
      history: [
        {
          id: 1,
          revision,
          deployedAt,
          deployStartedAt: deployedAt,
          source,
        },
      ],
      resources: [
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: service,
          name: service,
          status: sync,
          health: { status: health },
        },
        {
          version: 'v1',
          kind: 'Service',
          namespace: service,
          name: service,
          status: 'Synced',
          health: { status: 'Healthy' },
        },
      ],
      summary: { images: [`ghcr.io/example-org/${service}:${revision}`] },
      reconciledAt: deployedAt,
      sourceType: 'Helm',
    },
  };
  const problems = validateCrd(application);
  if (problems.length) {
    throw new Error(
      `the fake Application ${name} is not a valid Application:\n${problems.join(
        '\n',
      )}`,
    );
  }
  return application;
}

/**
 * The parts of the Argo CD REST API the community Argo CD backend
 * (`@backstage-community/plugin-argocd-backend`) calls for the entity page, over plain
 * HTTP on a free loopback port, with bearer-token auth:
 *
 * - `GET /api/v1/applications?selector=&name=&project=` (list, `argocd/app-selector`)
 * - `GET /api/v1/applications/:name` (one Application, `argocd/app-name`)
 * - `GET /api/v1/applications/:name/revisions/:revision/metadata` (commit of a revision)
 *
 * Anything else is a 404, as Argo CD answers unknown resources.
 */
export class FakeArgoCd {
  readonly requests: ArgoRequest[] = [];
  private readonly applications = new Map<string, ArgoApplication>();
  private server?: Server;

  constructor(private readonly options: { token: string }) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('FakeArgoCd is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Adds or replaces Applications (by name). */
  apply(...applications: ArgoApplication[]) {
    for (const application of applications) {
      this.applications.set(application.metadata.name, application);
    }
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
    });
    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      reply(res, 401, { error: 'invalid session', code: 16 });
      return;
    }
    if (req.method !== 'GET') {
      reply(res, 405, { error: `${req.method} is not served by the fake` });
      return;
    }
    const [, name, revision] =
      url.pathname.match(
        /^\/api\/v1\/applications(?:\/([^/]+)(?:\/revisions\/([^/]+)\/metadata)?)?$/,
      ) ?? [];
    if (!url.pathname.startsWith('/api/v1/applications') || name === '') {
      reply(res, 404, { error: 'Not Found', code: 5 });
      return;
    }
    if (!name) {
      reply(res, 200, { metadata: {}, items: this.list(url.searchParams) });
      return;
    }
    const application = this.applications.get(decodeURIComponent(name));
    const project = url.searchParams.get('project');
    if (!application || (project && application.spec.project !== project)) {
      reply(res, 404, {
        error: `applications.argoproj.io "${name}" not found`,
        code: 5,
      });
      return;
    }
    if (revision) {
      reply(res, 200, {
        author: 'Ada Lovelace <ada@example.com>',
        date: '2026-11-20T10:00:00Z',
        message: `Release ${revision.slice(0, 7)}`,
        tags: [],
      });
      return;
    }
    reply(res, 200, application);
  }

  private list(query: URLSearchParams): ArgoApplication[] {
    const matches = parseLabelSelector(query.get('selector'));
    const name = query.get('name');
    const project = query.get('project');
    return [...this.applications.values()].filter(
      application =>
        matches(application.metadata.labels) &&
        (!name || application.metadata.name === name) &&
        (!project || application.spec.project === project),
    );
  }
}

/** A stable UUID per name, so the UI's keys don't change between runs. */
function uidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
