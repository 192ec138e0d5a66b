import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  CanaryRelease,
  CanaryStatusResponse,
  ClusterCanaries,
  ClusterDatabases,
  DatabaseStatusResponse,
  PostgresCluster,
} from '@runway/plugin-canary-common';

/** An entity carrying the annotations the Canary tab needs. */
export function makeEntity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-api', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-orders' },
  };
}

export const annotatedEntity = makeEntity({
  'backstage.io/kubernetes-id': 'orders-api',
});

export function makeRelease(overrides: Partial<CanaryRelease>): CanaryRelease {
  return {
    namespace: 'orders',
    virtualService: 'orders-api',
    hosts: ['orders.example.com', 'orders-api.orders.svc.cluster.local'],
    phase: 'stable',
    stable: {
      subset: 'stable',
      weight: 100,
      version: 'v1',
      images: ['ghcr.io/runway/orders-api:v1'],
      replicas: { ready: 3, desired: 3 },
    },
    problems: [],
    ...overrides,
  };
}

export const stableRelease = makeRelease({
  phase: 'stable',
  canary: {
    subset: 'canary',
    weight: 0,
    version: 'v2',
    images: ['ghcr.io/runway/orders-api:v2'],
    replicas: { ready: 0, desired: 0 },
  },
});

export const progressingRelease = makeRelease({
  phase: 'progressing',
  stable: {
    subset: 'stable',
    weight: 80,
    version: 'v1',
    images: ['ghcr.io/runway/orders-api:v1'],
    replicas: { ready: 3, desired: 3 },
  },
  canary: {
    subset: 'canary',
    weight: 20,
    version: 'v2',
    images: ['ghcr.io/runway/orders-api:v2', 'ghcr.io/runway/sidecar:1.4'],
    replicas: { ready: 1, desired: 2 },
  },
  headerOverride: { header: 'x-canary', value: 'always', subset: 'canary' },
});

export const promotedRelease = makeRelease({
  phase: 'promoted',
  stable: {
    subset: 'stable',
    weight: 0,
    version: 'v1',
    replicas: { ready: 3, desired: 3 },
  },
  canary: {
    subset: 'canary',
    weight: 100,
    version: 'v2',
    replicas: { ready: 3, desired: 3 },
  },
});

export const pausedRelease = makeRelease({
  phase: 'paused',
  stable: { subset: 'stable', weight: 50, version: 'v1' },
  canary: { subset: 'canary', weight: 50, version: 'v2' },
});

export const misconfiguredRelease = makeRelease({
  phase: 'misconfigured',
  stable: { subset: 'stable', weight: 70, version: 'v1' },
  canary: { subset: 'canary', weight: 20 },
  problems: [
    {
      code: 'WEIGHTS_DO_NOT_SUM_TO_100',
      severity: 'error',
      message:
        'The default route weights sum to 90, not 100; set them so they add up to 100.',
    },
    {
      code: 'CANARY_NOT_READY',
      severity: 'warning',
      message: 'No canary pod is ready; check the canary Deployment.',
    },
  ],
});

export function makeResponse(
  clusters: ClusterCanaries[],
): CanaryStatusResponse {
  return { entityRef: 'component:default/orders-api', clusters };
}

/** One healthy cluster with the given releases. */
export function oneCluster(...releases: CanaryRelease[]): CanaryStatusResponse {
  return makeResponse([{ cluster: 'prod-eu-1', releases }]);
}

/** The error the client throws for a 404 of the backend. */
export async function notFoundError(): Promise<ResponseError> {
  const body = JSON.stringify({
    error: {
      name: 'NotFoundError',
      message: 'No entity component:default/orders-api',
    },
    request: {
      method: 'GET',
      url: '/api/canary/entities/default/Component/orders-api',
    },
    response: { statusCode: 404 },
  });
  return ResponseError.fromResponse({
    ok: false,
    status: 404,
    statusText: 'Not Found',
    url: 'http://localhost:7007/api/canary/entities/default/Component/orders-api',
    redirected: false,
    type: 'basic',
    headers: {
      get: (name: string) =>
        name.toLowerCase() === 'content-type' ? 'application/json' : null,
    },
    text: async () => body,
  } as any);
}

/** A healthy CloudNativePG cluster of the entity, as the backend reports it. */
export function makePostgresCluster(
  overrides: Partial<PostgresCluster> = {},
): PostgresCluster {
  const now = Date.now();
  return {
    namespace: 'orders',
    name: 'orders-api-db',
    shared: false,
    phase: 'Cluster in healthy state',
    health: 'healthy',
    instances: { ready: 3, desired: 3 },
    primary: 'orders-api-db-1',
    image: 'ghcr.io/cloudnative-pg/postgresql:17.2',
    postgresVersion: '17.2',
    storageSize: '20Gi',
    archiving: { state: 'ok' },
    lastSuccessfulBackup: {
      name: 'orders-api-db-backup-1',
      completedAt: new Date(now - 5 * 3600_000).toISOString(),
      ageSeconds: 5 * 3600,
    },
    nextScheduledBackup: new Date(now + 6 * 3600_000 + 60_000).toISOString(),
    certificateExpiry: {
      name: 'orders-api-db-server',
      expiresAt: new Date(now + 60 * 86400_000 + 60_000).toISOString(),
      daysLeft: 60,
    },
    databases: [],
    problems: [],
    ...overrides,
  };
}

export function makeDatabaseResponse(
  clusters: ClusterDatabases[],
): DatabaseStatusResponse {
  return { entityRef: 'component:default/orders-api', clusters };
}

/**
 * The elements from `element` up to `container` whose style cuts text to one line
 * (`white-space: nowrap` or `overflow: hidden`), as `tag.white-space/overflow`: with the
 * app's theme, what would hide the end of a long line at any width.
 */
export function clippingAncestors(
  element: HTMLElement,
  container: HTMLElement,
): string[] {
  const clipping: string[] = [];
  for (
    let e: HTMLElement | null = element;
    e && e !== container.parentElement;
    e = e.parentElement
  ) {
    const { whiteSpace, overflow } = getComputedStyle(e);
    if (whiteSpace === 'nowrap' || overflow === 'hidden') {
      clipping.push(`${e.tagName.toLowerCase()}.${whiteSpace}/${overflow}`);
    }
  }
  return clipping;
}
