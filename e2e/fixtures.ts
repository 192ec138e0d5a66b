import { test as base } from '@playwright/test';
import { ControlPlane, startControlPlane } from '@runway/control-plane';
import {
  canaryService,
  postgresDatabase,
} from '../plugins/canary-backend/src/__testUtils__/fixtures';
import { FakeArgoCd } from '@runway/plugin-argocd-node-test-utils';
import { argoApplication } from './support/argocd';
import { ARGOCD_TOKEN, Backend, startBackend } from './support/backend';
import { Postgres, startPostgres } from '@runway/testing';

export type DatabaseMode = 'sqlite' | 'postgres';

type WorkerFixtures = {
  /** Which database the backend runs on: set per Playwright project. */
  database: DatabaseMode;
  postgres: Postgres | undefined;
  /**
   * The cluster `staging`, a real API server (kwok runs the pods): orders-api mid-canary,
   * 80/20 between 1.4.0 and 1.5.0, every pod Ready; its CloudNativePG cluster
   * `orders-api-db` healthy, backed up 5 hours ago (statuses as the operator would write).
   */
  kubernetes: { plane: ControlPlane; token: string };
  /**
   * The Argo CD instance `main`: orders-api's production Application synced and
   * healthy, its staging Application out of sync and progressing.
   */
  argocd: FakeArgoCd;
  backend: Backend;
};

/**
 * One real backend per worker (and so per project): on in-memory SQLite, or on a throwaway
 * PostgreSQL server (or DATABASE_URL). Tests get its URL as `baseURL`.
 */
export const test = base.extend<{}, WorkerFixtures>({
  database: ['sqlite', { option: true, scope: 'worker' }],
  postgres: [
    async ({ database }, use) => {
      if (database !== 'postgres') {
        await use(undefined);
        return;
      }
      const pg = await startPostgres();
      await use(pg);
      await pg.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  kubernetes: [
    async ({}, use) => {
      const plane = await startControlPlane({
        crds: ['istio', 'argo-rollouts', 'cloudnative-pg'],
        workloads: true,
      });
      await plane.createNamespace('orders-api');
      await plane.apply(
        canaryService({
          id: 'orders-api',
          namespace: 'orders-api',
          stableWeight: 80,
          canaryWeight: 20,
          stableVersion: '1.4.0',
          canaryVersion: '1.5.0',
        }),
      );
      await applyWithStatus(
        plane,
        postgresDatabase({ id: 'orders-api', namespace: 'orders-api' }),
      );
      await waitForReadyDeployments(plane, 'orders-api', 2);
      // The backend's identity may only read, as a platform team would grant it.
      const token = await plane.serviceAccountToken('backstage', 'backstage', {
        rules: [
          {
            apiGroups: ['*'],
            resources: ['*'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      });
      await use({ plane, token });
      await plane.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  argocd: [
    async ({}, use) => {
      const argocd = new FakeArgoCd({ token: ARGOCD_TOKEN });
      await argocd.start();
      argocd.seed(
        argoApplication({
          service: 'orders-api',
          environment: 'staging',
          sync: 'OutOfSync',
          health: 'Progressing',
          revision: '5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f',
          deployedAt: '2026-11-20T14:05:00Z',
        }),
        argoApplication({
          service: 'orders-api',
          environment: 'production',
          sync: 'Synced',
          health: 'Healthy',
          revision: '4d0e9b1a8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
          deployedAt: '2026-11-18T09:30:00Z',
        }),
      );
      await use(argocd);
      await argocd.stop();
    },
    { scope: 'worker' },
  ],
  backend: [
    async ({ postgres, kubernetes, argocd }, use) => {
      const backend = await startBackend({
        database: postgres,
        kubernetes: {
          url: kubernetes.plane.url,
          caData: kubernetes.plane.caData,
          token: kubernetes.token,
        },
        argocdUrl: argocd.url,
      });
      await use(backend);
      await backend.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ backend }, use) => use(backend.baseURL),
});

/**
 * Applies objects, then writes each one's `status` through the status subresource, as
 * its operator would (there is no CloudNativePG operator here).
 */
async function applyWithStatus(
  plane: ControlPlane,
  objects: { apiVersion: string; kind: string; metadata: any; status?: any }[],
) {
  await plane.apply(objects.map(({ status, ...object }) => object));
  for (const object of objects) {
    if (!object.status) continue;
    const { namespace, name } = object.metadata;
    const plural = `${object.kind.toLowerCase()}s`;
    const path = `/apis/${object.apiVersion}/namespaces/${namespace}/${plural}/${name}/status`;
    const { status, body } = await plane.request(
      'PATCH',
      path,
      { status: object.status },
      { contentType: 'application/merge-patch+json' },
    );
    if (status !== 200) {
      throw new Error(
        `PATCH ${path} answered ${status}: ${
          body?.message ?? JSON.stringify(body)
        }`,
      );
    }
  }
}

/** Waits until `count` Deployments of a namespace have all their replicas Ready. */
async function waitForReadyDeployments(
  plane: ControlPlane,
  namespace: string,
  count: number,
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = await plane.getObject(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
    );
    const ready = (list?.items ?? []).filter(
      (d: any) => (d.status?.readyReplicas ?? 0) === (d.spec?.replicas ?? 1),
    );
    if (ready.length === count) return;
    if (Date.now() > deadline) {
      throw new Error(`Deployments in ${namespace} not Ready after 60 s`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

export { expect } from '@playwright/test';
