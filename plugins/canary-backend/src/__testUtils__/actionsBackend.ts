import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { kubernetesClustersConfig } from '@runway/plugin-cluster-access-node-test-utils';
import { canaryPlugin } from '../plugin';

/** A component whose objects carry `backstage.io/kubernetes-id: <name>`. */
export const componentEntity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', owner: 'group:default/checkout-team' },
});

/** The owner the permission stand-in allows; every other user is denied. */
export const OWNER = 'user:default/alice';
export const NON_OWNER = 'user:default/mallory';

export type RecordedAuditEvent = {
  options: any;
  outcome?: 'success' | 'fail';
  meta?: any;
  error?: Error;
};

/**
 * The Canary backend in startTestBackend, reading and writing one cluster `staging`, with
 * a catalog of the given entities, permissions allowing OWNER (and service principals, which
 * the backend itself then restricts) and an auditor recording every event.
 */
export async function startActionsBackend(options: {
  entities: Entity[];
  /** The one cluster `staging`; none when absent. */
  cluster?: { url: string; token: string; caData?: string };
  /** More app-config (e.g. `argocd`, `integrations`). */
  config?: Record<string, unknown>;
}) {
  const audit: RecordedAuditEvent[] = [];
  const authorize = jest.fn(async (requests: any[], { credentials }: any) =>
    requests.map(() => ({
      result:
        credentials.principal.userEntityRef === OWNER ||
        credentials.principal.type === 'service'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
  );
  const backend = await startTestBackend({
    features: [
      canaryPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.mock({ authorize: authorize as any }).factory,
      mockServices.auditor.mock({
        createEvent: async eventOptions => {
          const event: RecordedAuditEvent = { options: eventOptions };
          audit.push(event);
          return {
            success: async ({ meta } = {}) => {
              Object.assign(event, { outcome: 'success', meta });
            },
            fail: async ({ meta, error }) => {
              Object.assign(event, { outcome: 'fail', meta, error });
            },
          };
        },
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          canary: { actions: { servicePrincipals: ['external:release-bot'] } },
          ...kubernetesClustersConfig(
            options.cluster
              ? [
                  {
                    name: 'staging',
                    url: options.cluster.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: options.cluster.token,
                    ...(options.cluster.caData
                      ? {
                          caData: Buffer.from(options.cluster.caData).toString(
                            'base64',
                          ),
                        }
                      : // A plain-HTTP recording proxy (client-node requires this to allow it).
                        { skipTLSVerify: true }),
                  },
                ]
              : [],
          ),
          ...options.config,
        },
      }),
    ],
  });
  return { backend, audit, authorize };
}
