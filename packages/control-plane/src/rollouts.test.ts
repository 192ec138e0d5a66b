import { ControlPlane, startControlPlane } from './ControlPlane';
import { waitFor } from './process';
import { rolloutSettled, startRolloutsController } from './rollouts';

const NS = 'shop';

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

const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
});

const rollout = (image: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: NS },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: podSpec(image) },
    strategy: {
      canary: {
        stableService: 'web',
        canaryService: 'web-canary',
        trafficRouting: {
          istio: { virtualService: { name: 'web', routes: ['primary'] } },
        },
        steps: [
          { setWeight: 20 },
          { pause: {} },
          { setWeight: 50 },
          { pause: {} },
        ],
      },
    },
  },
});

describe('the Argo Rollouts controller on the control plane', () => {
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startControlPlane({
      crds: ['argo-rollouts', 'istio'],
      workloads: true,
    });
    await startRolloutsController(plane);
    await plane.createNamespace(NS, {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    await plane.apply([
      service('web'),
      service('web-canary'),
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'web', namespace: NS },
        spec: {
          hosts: ['web'],
          http: [
            {
              name: 'primary',
              route: [
                { destination: { host: 'web' }, weight: 100 },
                { destination: { host: 'web-canary' }, weight: 0 },
              ],
            },
          ],
        },
      } as any,
    ]);
  }, 180_000);

  afterAll(() => plane?.stop());

  const read = (path: string) => plane.getObject(`/apis/${path}`);
  const weights = async () =>
    (
      await read(`networking.istio.io/v1/namespaces/${NS}/virtualservices/web`)
    ).spec.http[0].route.map((r: any) => [r.destination.host, r.weight]);
  const rolloutStatus = () =>
    read(`argoproj.io/v1alpha1/namespaces/${NS}/rollouts/web`);

  it('rolls out a first version fully, then pauses a new one at 20 % on the canary Service', async () => {
    await plane.apply([rollout('example.com/web:1')]);
    await waitFor(
      'first version Healthy',
      async () =>
        (await rolloutStatus())?.status?.phase === 'Healthy' ? true : undefined,
      {
        timeoutMs: 60_000,
        describe: () => plane.processes['rollouts-controller'].tail(),
      },
    );
    expect(await weights()).toEqual([
      ['web', 100],
      ['web-canary', 0],
    ]);

    await plane.apply([rollout('example.com/web:2')]);
    const paused = await waitFor(
      'new version paused at step 1',
      async () => {
        const r = await rolloutStatus();
        // Settled: the controller has recorded its own pause (controllerPause), which is what it
        // reads to tell "promoted" from "not paused yet" once the pause condition is cleared.
        return r?.status?.phase === 'Paused' &&
          r.status.currentStepIndex === 1 &&
          r.status.controllerPause === true
          ? r
          : undefined;
      },
      {
        timeoutMs: 60_000,
        describe: () => plane.processes['rollouts-controller'].tail(),
      },
    );
    expect(paused.status.pauseConditions).toEqual([
      expect.objectContaining({ reason: 'CanaryPauseStep' }),
    ]);
    expect(await weights()).toEqual([
      ['web', 80],
      ['web-canary', 20],
    ]);
  }, 150_000);

  const settled = () => rolloutSettled(plane, NS, 'web');

  it('advances a step when promoted the way `kubectl argo rollouts promote` does', async () => {
    await settled();
    // promote: clear the pause conditions in the status subresource (and unpause the spec).
    const patched = await plane.request(
      'PATCH',
      `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/web/status`,
      { status: { pauseConditions: null } },
      { contentType: 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    await waitFor(
      'step 3 (50 %)',
      async () =>
        (await rolloutStatus())?.status?.currentStepIndex === 3
          ? true
          : undefined,
      {
        timeoutMs: 60_000,
        describe: () => plane.processes['rollouts-controller'].tail(),
      },
    );
    expect(await weights()).toEqual([
      ['web', 50],
      ['web-canary', 50],
    ]);
  }, 90_000);

  it('returns all traffic to stable when aborted', async () => {
    await settled();
    const patched = await plane.request(
      'PATCH',
      `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/web/status`,
      { status: { abort: true } },
      { contentType: 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    await waitFor(
      'Degraded after abort',
      async () =>
        (await rolloutStatus())?.status?.phase === 'Degraded'
          ? true
          : undefined,
      {
        timeoutMs: 60_000,
        describe: () => plane.processes['rollouts-controller'].tail(),
      },
    );
    expect(await weights()).toEqual([
      ['web', 100],
      ['web-canary', 0],
    ]);
  }, 90_000);
});
