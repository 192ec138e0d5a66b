import { mockCredentials } from '@backstage/backend-test-utils';
import { ControlPlane, startControlPlane } from '@runway/control-plane';
import request from 'supertest';
import {
  componentEntity,
  NON_OWNER,
  OWNER,
  RecordedAuditEvent,
  startActionsBackend,
} from '../../__testUtils__/actionsBackend';
import { RecordingProxy } from '../../__testUtils__/RecordingProxy';
import {
  BACKEND_USER,
  bindBackendIdentity,
  putRollout,
  rolloutObject,
  RolloutState,
} from '../../__testUtils__/rolloutPlane';

const alice = OWNER;
const mallory = NON_OWNER;

const ordersApi = rolloutObject({ id: 'orders-api', namespace: 'orders' });
const payments = rolloutObject({ id: 'payments', namespace: 'orders' });
const ROLLOUTS = '/apis/argoproj.io/v1alpha1/namespaces/orders/rollouts';
const actionPath = (
  action: string,
  options: { entity?: string; cluster?: string; rollout?: string } = {},
) =>
  `/api/canary/entities/default/component/${
    options.entity ?? 'orders-api'
  }/clusters/${options.cluster ?? 'staging'}/rollouts/orders/${
    options.rollout ?? 'orders-api'
  }/${action}`;

describe('Rollout actions on a real API server', () => {
  let plane: ControlPlane;
  let proxy: RecordingProxy;
  let backend: Awaited<ReturnType<typeof startActionsBackend>>['backend'];
  let audit: RecordedAuditEvent[];
  let authorize: jest.Mock;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: ['argo-rollouts'] });
    const token = await bindBackendIdentity(plane);
    await plane.createNamespace('orders');
    proxy = await RecordingProxy.start(plane);

    ({ backend, audit, authorize } = await startActionsBackend({
      entities: [componentEntity('orders-api'), componentEntity('payments')],
      cluster: { url: proxy.url, token },
    }));
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await proxy?.stop();
    await plane?.stop();
  });

  /** Puts the Rollouts in a state and forgets what was recorded so far. */
  async function given(state: RolloutState, spec: { paused?: boolean } = {}) {
    await putRollout(
      plane,
      { ...ordersApi, spec: { ...ordersApi.spec, ...spec } },
      state,
    );
    proxy.take();
    audit.length = 0;
    authorize.mockClear();
    return plane.auditMark();
  }
  const writesSince = async (mark: number) =>
    (await plane.auditEvents({ since: mark, user: BACKEND_USER })).filter(
      e => !['get', 'list', 'watch'].includes(e.verb),
    );
  const post = (path: string, as: string = alice) =>
    request(backend.server)
      .post(path)
      .set('authorization', mockCredentials.user.header(as));
  const rolloutNow = () => plane.getObject(`${ROLLOUTS}/orders-api`);
  const merge = 'application/merge-patch+json';

  it.each<[string, string, RolloutState, { paused?: boolean }, object[]]>([
    [
      'promote, paused at a step: clears the pause conditions',
      'promote',
      'pausedAtStep',
      {},
      [{ path: 'status', body: { status: { pauseConditions: null } } }],
    ],
    [
      'promote, mid-step and paused by a person: next step, then unpause',
      'promote',
      'midStep',
      { paused: true },
      [
        {
          path: 'status',
          body: { status: { pauseConditions: null, currentStepIndex: 3 } },
        },
        { path: '', body: { spec: { paused: false } } },
      ],
    ],
    [
      'promote-full: promoteFull on the status',
      'promote-full',
      'pausedAtStep',
      {},
      [{ path: 'status', body: { status: { promoteFull: true } } }],
    ],
    [
      'abort',
      'abort',
      'pausedAtStep',
      {},
      [{ path: 'status', body: { status: { abort: true } } }],
    ],
    [
      'retry',
      'retry',
      'aborted',
      {},
      [{ path: 'status', body: { status: { abort: false } } }],
    ],
  ])(
    '%s: exactly the patches kubectl argo rollouts sends',
    async (_, action, state, spec, expected) => {
      const mark = await given(state, spec);
      const before = await rolloutNow();

      const res = await post(actionPath(action));

      expect(res.status).toBe(200);
      // On the wire: one GET, then the merge patches in order, to the status subresource first.
      expect(proxy.take().filter(r => r.path.startsWith(ROLLOUTS))).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: `${ROLLOUTS}/orders-api`,
        }),
        ...expected.map((p: any) =>
          expect.objectContaining({
            method: 'PATCH',
            path: `${ROLLOUTS}/orders-api${p.path ? `/${p.path}` : ''}`,
            contentType: merge,
            body: p.body,
            status: 200,
          }),
        ),
      ]);
      // As the API server saw it: the backend's identity, these patches and nothing else.
      expect(
        (await writesSince(mark)).map(e => [
          e.verb,
          e.objectRef?.subresource ?? '',
          e.code,
        ]),
      ).toEqual(expected.map((p: any) => ['patch', p.path, 200]));
      expect(res.body).toEqual({
        action,
        cluster: 'staging',
        namespace: 'orders',
        rollout: 'orders-api',
        patches: expected.map((p: any) => ({
          ...(p.path && { subresource: p.path }),
          body: p.body,
        })),
        before: expect.objectContaining({
          currentStepIndex: before.status.currentStepIndex,
          stepCount: 4,
        }),
        after: expect.objectContaining({ stepCount: 4 }),
      });
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name:
                action === 'abort'
                  ? 'canary.rollout.abort'
                  : 'canary.rollout.promote',
            }),
            resourceRef: 'component:default/orders-api',
          },
        ],
        expect.anything(),
      );
      expect(audit).toEqual([
        {
          options: expect.objectContaining({
            eventId: 'rollout-action',
            severityLevel: 'medium',
            meta: {
              action,
              entityRef: 'component:default/orders-api',
              cluster: 'staging',
              namespace: 'orders',
              rollout: 'orders-api',
              permission:
                action === 'abort'
                  ? 'canary.rollout.abort'
                  : 'canary.rollout.promote',
            },
          }),
          outcome: 'success',
          meta: {
            outcome: 'applied',
            stepBefore: before.status.currentStepIndex,
            stepAfter: res.body.after.currentStepIndex ?? null,
            patches: res.body.patches,
          },
        },
      ]);
    },
  );

  it('re-sends a promote the controller undid: a pause set moments ago, put back at the same step by its next write', async () => {
    const mark = await given('pausedAtStep');
    const status = (body: object) =>
      plane.request(
        'PATCH',
        `${ROLLOUTS}/orders-api/status`,
        { status: body },
        { contentType: merge },
      );
    // The controller has just paused at step 1.
    const pause = () => [
      { reason: 'CanaryPauseStep', startTime: new Date().toISOString() },
    ];
    await status({ pauseConditions: pause() });
    // Standing in for the controller: its next write, from before the promote, puts the
    // pause back; once the promote is sent again, it moves on to step 2.
    const controller: string[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching && controller.length < 2) {
        const seen = await rolloutNow();
        if ((seen.status.pauseConditions ?? []).length === 0) {
          if (controller.length === 0) {
            await status({ pauseConditions: pause() });
            controller.push('paused again at step 1');
          } else {
            await status({
              phase: 'Progressing',
              currentStepIndex: 2,
              controllerPause: false,
            });
            controller.push('step 2');
          }
        }
        await new Promise(r => setTimeout(r, 20));
      }
    })();

    const res = await post(actionPath('promote'));
    watching = false;
    await watch;

    expect(res.status).toBe(200);
    expect(controller).toEqual(['paused again at step 1', 'step 2']);
    const clear = {
      subresource: 'status',
      body: { status: { pauseConditions: null } },
    };
    expect(res.body.patches).toEqual([clear, clear]);
    expect(res.body.before).toEqual(
      expect.objectContaining({ currentStepIndex: 1, paused: true }),
    );
    expect(res.body.after).toEqual(
      expect.objectContaining({ currentStepIndex: 2, paused: false }),
    );
    expect(
      (await writesSince(mark))
        .filter(e => e.objectRef?.name === 'orders-api')
        .map(e => [e.verb, e.objectRef?.subresource ?? '', e.code]),
    ).toEqual([
      ['patch', 'status', 200],
      ['patch', 'status', 200],
    ]);
    expect(audit).toEqual([
      expect.objectContaining({
        outcome: 'success',
        meta: {
          outcome: 'applied',
          stepBefore: 1,
          stepAfter: 2,
          patches: [clear, clear],
          resent: 1,
        },
      }),
    ]);
  });

  it('the patches took effect on the real object (abort, then retry)', async () => {
    await given('pausedAtStep');
    expect((await post(actionPath('abort'))).status).toBe(200);
    expect((await rolloutNow()).status.abort).toBe(true);
    expect((await post(actionPath('retry'))).status).toBe(200);
    expect((await rolloutNow()).status.abort).toBe(false);
  });

  it.each<[string, string, RolloutState, string]>([
    [
      'promote an aborted Rollout',
      'promote',
      'aborted',
      "Cannot promote Rollout orders/orders-api in 'staging': The Rollout is aborted: retry it to start the update again before promoting.",
    ],
    [
      'promote fully a Rollout with no update',
      'promote-full',
      'healthy',
      "Cannot promote-full Rollout orders/orders-api in 'staging': Nothing to promote: the Rollout runs its stable revision and no update is in progress.",
    ],
    [
      'abort a Rollout with no update',
      'abort',
      'healthy',
      "Cannot abort Rollout orders/orders-api in 'staging': Nothing to abort: the Rollout runs its stable revision and no update is in progress.",
    ],
    [
      'abort twice',
      'abort',
      'aborted',
      "Cannot abort Rollout orders/orders-api in 'staging': The Rollout is already aborted.",
    ],
    [
      'retry a Rollout that is not aborted',
      'retry',
      'pausedAtStep',
      "Cannot retry Rollout orders/orders-api in 'staging': Only an aborted Rollout can be retried; this one is not aborted.",
    ],
  ])(
    'refuses to %s with 409 and writes nothing',
    async (_, action, state, message) => {
      const mark = await given(state);
      const res = await post(actionPath(action));
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual(
        expect.objectContaining({ name: 'ConflictError', message }),
      );
      expect(await writesSince(mark)).toEqual([]);
      expect(audit).toEqual([
        expect.objectContaining({
          outcome: 'fail',
          meta: expect.objectContaining({ outcome: 'refused' }),
          error: expect.objectContaining({ message }),
        }),
      ]);
    },
  );

  it('refuses a non-owner with 403 before any Kubernetes request', async () => {
    const mark = await given('pausedAtStep');
    const res = await post(actionPath('promote'), mallory);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You may not canary.rollout.promote on component:default/orders-api: only its owners and the platform teams may',
    );
    expect(proxy.take()).toEqual([]);
    expect(
      await plane.auditEvents({ since: mark, user: BACKEND_USER }),
    ).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({
        options: expect.objectContaining({
          meta: expect.objectContaining({
            action: 'promote',
            rollout: 'orders-api',
          }),
        }),
        outcome: 'fail',
        meta: { outcome: 'denied', stepBefore: null, stepAfter: null },
      }),
    ]);
    expect((await rolloutNow()).status.pauseConditions).toHaveLength(1);
  });

  it('refuses a service principal the configuration does not name, allows one it names', async () => {
    const mark = await given('pausedAtStep');
    const scaffolder = await request(backend.server)
      .post(actionPath('abort'))
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:scaffolder'),
          targetPluginId: 'canary',
        }),
      );
    expect(scaffolder.status).toBe(403);
    expect(scaffolder.body.error.message).toBe(
      "The service principal 'plugin:scaffolder' may not act on canaries; name it in canary.actions.servicePrincipals to allow it",
    );
    expect(await writesSince(mark)).toEqual([]);

    const bot = await request(backend.server)
      .post(actionPath('abort'))
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('external:release-bot'),
          targetPluginId: 'canary',
        }),
      );
    expect(bot.status).toBe(200);
    expect((await writesSince(mark)).map(e => e.verb)).toEqual(['patch']);
    expect(audit.map(e => e.outcome)).toEqual(['fail', 'success']);
  });

  it("refuses another entity's Rollout with 404 and writes nothing", async () => {
    await putRollout(plane, payments, 'pausedAtStep');
    const mark = await given('pausedAtStep');
    const res = await post(actionPath('abort', { rollout: 'payments' }));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      "Kubernetes cluster 'staging' has no Rollout orders/payments belonging to component:default/orders-api",
    );
    expect(await writesSince(mark)).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        meta: expect.objectContaining({ outcome: 'not-found' }),
      }),
    ]);
    // The owner of payments may.
    expect(
      (
        await post(
          actionPath('abort', { entity: 'payments', rollout: 'payments' }),
        )
      ).status,
    ).toBe(200);
  });

  it.each([
    [
      'an unknown cluster',
      actionPath('promote', { cluster: 'nowhere' }),
      404,
      "No Kubernetes cluster named 'nowhere' in the kubernetes config",
    ],
    [
      'a missing Rollout',
      actionPath('promote', { rollout: 'ghost' }),
      404,
      "Kubernetes cluster 'staging' has no Rollout orders/ghost belonging to component:default/orders-api",
    ],
    [
      'an unknown entity',
      actionPath('promote', { entity: 'nobody' }),
      404,
      'No entity component:default/nobody, or you may not read it',
    ],
  ])('answers %s with %s', async (_, path, status, message) => {
    const mark = await given('pausedAtStep');
    const res = await post(path);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toBe(message);
    expect(await writesSince(mark)).toEqual([]);
  });

  it('refuses an unknown action with 400 before anything else', async () => {
    await given('pausedAtStep');
    const res = await post(actionPath('rollback'));
    expect(res.status).toBe(400);
    expect(proxy.take()).toEqual([]);
    expect(audit).toEqual([]);
  });
});
