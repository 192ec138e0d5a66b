/*
 * A real API server (@runway/control-plane) with the Argo Rollouts CRDs, the backend's
 * identity bound by deploy/rbac.yaml exactly as a platform team applies it, and Rollouts
 * of orders-api in the states the actions care about.
 */
import { ControlPlane } from '@runway/control-plane';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const RBAC_FILE = resolve(__dirname, '../../deploy/rbac.yaml');

/** The documents of deploy/rbac.yaml. */
export function readRbacDocuments(): any[] {
  return parseAllDocuments(readFileSync(RBAC_FILE, 'utf8')).map(d => d.toJS());
}

/** The identity deploy/rbac.yaml binds: the backend's ServiceAccount backstage/backstage. */
export const BACKEND_USER = 'system:serviceaccount:backstage:backstage';

/** Applies deploy/rbac.yaml and returns a token of the ServiceAccount it binds. */
export async function bindBackendIdentity(
  plane: ControlPlane,
): Promise<string> {
  await plane.createNamespace('backstage');
  await plane.apply(readRbacDocuments());
  return plane.serviceAccountToken('backstage', 'backstage');
}

export const STEPS = [
  { setWeight: 25 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '5m' } },
];

const podSpec = (image: string) => ({
  securityContext: {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  containers: [
    {
      name: 'app',
      image,
      ports: [{ containerPort: 8080 }],
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    },
  ],
});

/** A Rollout of an entity (by its kubernetes-id label), host-level canary over Istio. */
export function rolloutObject(options: {
  id: string;
  namespace: string;
  name?: string;
  image?: string;
  paused?: boolean;
  steps?: unknown[];
}) {
  const name = options.name ?? options.id;
  const labels = { 'backstage.io/kubernetes-id': options.id, app: name };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: options.namespace, labels },
    spec: {
      replicas: 2,
      ...(options.paused !== undefined && { paused: options.paused }),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: podSpec(options.image ?? `example.com/${name}:1`),
      },
      strategy: {
        canary: {
          stableService: name,
          canaryService: `${name}-canary`,
          trafficRouting: {
            istio: { virtualService: { name, routes: ['primary'] } },
          },
          steps: options.steps ?? STEPS,
        },
      },
    },
  };
}

const PAUSED_SINCE = '2026-11-28T10:00:00Z';

/** Rollout statuses as the controller writes them, by state. */
export const ROLLOUT_STATES = {
  /** Paused at the indefinite pause step (step 2 of 4), waiting for a person. */
  pausedAtStep: {
    phase: 'Paused',
    stableRS: 'aaa111',
    currentPodHash: 'bbb222',
    currentStepIndex: 1,
    controllerPause: true,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: PAUSED_SINCE }],
  },
  /** Mid-step at 50 % (a person also set spec.paused). */
  midStep: {
    phase: 'Progressing',
    stableRS: 'aaa111',
    currentPodHash: 'bbb222',
    currentStepIndex: 2,
  },
  aborted: {
    phase: 'Degraded',
    stableRS: 'aaa111',
    currentPodHash: 'bbb222',
    currentStepIndex: 0,
    abort: true,
    abortedAt: PAUSED_SINCE,
    message: 'RolloutAborted: Rollout aborted update to revision 2',
  },
  /** Fully promoted: the current revision is the stable one. */
  healthy: {
    phase: 'Healthy',
    stableRS: 'aaa111',
    currentPodHash: 'aaa111',
    currentStepIndex: 4,
  },
} as const;

export type RolloutState = keyof typeof ROLLOUT_STATES;

/** Creates (or resets) a Rollout and sets its status through the status subresource. */
export async function putRollout(
  plane: ControlPlane,
  rollout: ReturnType<typeof rolloutObject>,
  state: RolloutState,
): Promise<void> {
  const { name, namespace } = rollout.metadata;
  const path = `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/${name}`;
  await plane.request('DELETE', path);
  for (let i = 0; i < 50 && (await plane.getObject(path)); i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  const created = await plane.request(
    'POST',
    `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts`,
    rollout,
  );
  if (created.status !== 201) {
    throw new Error(`creating ${name}: ${JSON.stringify(created.body)}`);
  }
  const status = await plane.request(
    'PATCH',
    `${path}/status`,
    { status: ROLLOUT_STATES[state] },
    { contentType: 'application/merge-patch+json' },
  );
  if (status.status !== 200) {
    throw new Error(`status of ${name}: ${JSON.stringify(status.body)}`);
  }
}
