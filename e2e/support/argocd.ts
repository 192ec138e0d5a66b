import { createHash } from 'node:crypto';
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

/** A stable UUID per name, so the UI's keys don't change between runs. */
function uidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}
