import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ControlPlane,
  rolloutSettled,
  startControlPlane,
  startRolloutsController,
} from '@runway/control-plane';
import request from 'supertest';
import {
  componentEntity,
  OWNER,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import {
  BACKEND_USER,
  bindBackendIdentity,
  rolloutObject,
} from '../../__testUtils__/rolloutPlane';

/*
 * The Canary backend's promote and abort against the real Argo Rollouts controller (the
 * platform's pinned version): the backend's identity is bound by deploy/rbac.yaml and
 * nothing else, and the controller does the rest.
 */
const NS = 'orders';
const STEPS = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: {} },
];
const rollout = (image: string) =>
  rolloutObject({ id: 'orders-api', namespace: NS, image, steps: STEPS });
const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS },
  spec: {
    selector: { app: 'orders-api' },
    ports: [{ port: 80, targetPort: 8080 }],
  },
});

/** Polls until the check returns a value, for at most 60 s. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  plane: ControlPlane,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not reached within 60 s; controller log:\n${plane.processes[
          'rollouts-controller'
        ].tail()}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('Rollout actions with the real Argo Rollouts controller', () => {
  let plane: ControlPlane;
  let backend: Awaited<ReturnType<typeof startActionsBackend>>['backend'];

  beforeAll(async () => {
    plane = await startControlPlane({
      crds: ['argo-rollouts', 'istio'],
      workloads: true,
    });
    await startRolloutsController(plane);
    const token = await bindBackendIdentity(plane);
    await plane.createNamespace(NS, {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    await plane.apply([
      service('orders-api'),
      service('orders-api-canary'),
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'orders-api', namespace: NS },
        spec: {
          hosts: ['orders-api'],
          http: [
            {
              name: 'primary',
              route: [
                { destination: { host: 'orders-api' }, weight: 100 },
                { destination: { host: 'orders-api-canary' }, weight: 0 },
              ],
            },
          ],
        },
      } as any,
    ]);
    ({ backend } = await startActionsBackend({
      entities: [componentEntity('orders-api')],
      cluster: { url: plane.url, caData: plane.caData, token },
    }));
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
    await plane?.stop();
  });

  const read = (path: string) => plane.getObject(`/apis/${path}`);
  const weights = async () =>
    (
      await read(
        `networking.istio.io/v1/namespaces/${NS}/virtualservices/orders-api`,
      )
    ).spec.http[0].route.map((r: any) => [r.destination.host, r.weight]);
  const current = () =>
    read(`argoproj.io/v1alpha1/namespaces/${NS}/rollouts/orders-api`);
  const act = (action: string) =>
    request(backend.server)
      .post(
        `/api/canary/entities/default/component/orders-api/clusters/staging/rollouts/${NS}/orders-api/${action}`,
      )
      .set('authorization', mockCredentials.user.header(OWNER));

  it('an owner promotes a paused canary: the controller goes on to 50 %', async () => {
    await plane.apply([rollout('example.com/orders-api:1') as any]);
    await eventually(
      'first version Healthy',
      async () =>
        (await current())?.status?.phase === 'Healthy' ? true : undefined,
      plane,
    );
    await plane.apply([rollout('example.com/orders-api:2') as any]);
    await eventually(
      'paused at 20 % by the controller',
      async () => {
        const r = await current();
        return r?.status?.phase === 'Paused' &&
          r.status.currentStepIndex === 1 &&
          r.status.controllerPause === true
          ? true
          : undefined;
      },
      plane,
    );
    expect(await weights()).toEqual([
      ['orders-api', 80],
      ['orders-api-canary', 20],
    ]);

    // Promote at once, while the controller may still be writing its pause: a promote it
    // undoes is sent again (promoteVerification.ts), so the press is never lost.
    const mark = await plane.auditMark();
    const res = await act('promote');
    expect(res.status).toBe(200);
    const clear = {
      subresource: 'status',
      body: { status: { pauseConditions: null } },
    };
    expect(res.body.patches).toEqual(
      Array(res.body.patches.length).fill(clear),
    );
    expect(res.body.patches.length).toBeGreaterThanOrEqual(1);
    expect(res.body.before).toEqual(
      expect.objectContaining({
        currentStepIndex: 1,
        paused: true,
        stepCount: 4,
      }),
    );
    // As the API server saw the backend: one read, the status patch, then the reads that
    // watched the controller take it, and the patch again each time the controller undid it.
    const requests = (
      await plane.auditEvents({ since: mark, user: BACKEND_USER })
    )
      .filter(e => e.objectRef?.resource === 'rollouts')
      .map(e => `${e.verb} ${e.objectRef?.subresource ?? ''} ${e.code}`);
    expect(requests.slice(0, 2)).toEqual(['get  200', 'patch status 200']);
    expect(requests.filter(r => r === 'patch status 200')).toHaveLength(
      res.body.patches.length,
    );
    expect(
      requests.filter(r => r !== 'get  200' && r !== 'patch status 200'),
    ).toEqual([]);
    expect(res.body.after.currentStepIndex).toBeGreaterThan(1);

    await eventually(
      'step 4 (50 %, paused again)',
      async () =>
        (await current())?.status?.currentStepIndex === 3 ? true : undefined,
      plane,
    );
    expect(await weights()).toEqual([
      ['orders-api', 50],
      ['orders-api-canary', 50],
    ]);
  }, 180_000);

  it('an owner aborts: the controller moves all traffic back to stable', async () => {
    await rolloutSettled(plane, NS, 'orders-api');
    const res = await act('abort');
    expect(res.status).toBe(200);
    expect(res.body.patches).toEqual([
      { subresource: 'status', body: { status: { abort: true } } },
    ]);
    await eventually(
      'Degraded after the abort',
      async () =>
        (await current())?.status?.phase === 'Degraded' ? true : undefined,
      plane,
    );
    expect(await weights()).toEqual([
      ['orders-api', 100],
      ['orders-api-canary', 0],
    ]);
    // Aborted: a second abort is refused, a promote too, until a retry.
    expect((await act('abort')).status).toBe(409);
    expect((await act('promote')).status).toBe(409);
  }, 120_000);
});
