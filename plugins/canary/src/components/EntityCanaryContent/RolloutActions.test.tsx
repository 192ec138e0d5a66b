import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import type { RolloutActionResponse } from '@runway/plugin-canary-common';
import type { CanaryApi } from '../../api';
import {
  mockCanaryApi,
  renderForEntity,
} from '../../__testUtils__/renderForEntity';
import { RolloutActions, RolloutActionsTarget } from './RolloutActions';

const paused: RolloutActionsTarget = {
  cluster: 'staging',
  namespace: 'orders',
  name: 'orders-api',
  progress: {
    aborted: false,
    pausedByUser: false,
    stableRevision: 'aaa',
    canaryRevision: 'bbb',
  },
};
const aborted = { ...paused, progress: { ...paused.progress, aborted: true } };
const steady = {
  ...paused,
  progress: { ...paused.progress, canaryRevision: 'aaa' },
};

const promoted: RolloutActionResponse = {
  action: 'promote',
  cluster: 'staging',
  namespace: 'orders',
  rollout: 'orders-api',
  patches: [
    { subresource: 'status', body: { status: { pauseConditions: null } } },
  ],
  before: {
    phase: 'Paused',
    currentStepIndex: 1,
    stepCount: 4,
    paused: true,
    aborted: false,
  },
  after: {
    phase: 'Paused',
    currentStepIndex: 1,
    stepCount: 4,
    paused: false,
    aborted: false,
  },
};

async function renderActions(options: {
  target: RolloutActionsTarget;
  allow?: (permission: string) => boolean;
  run?: CanaryApi['runRolloutAction'];
  onDone?: () => void;
}) {
  const api = mockCanaryApi({
    runRolloutAction: options.run ?? (async () => promoted),
  });
  await renderForEntity(
    <RolloutActions target={options.target} onDone={options.onDone} />,
    { api, allow: options.allow ?? (() => true) },
  );
  return api;
}

const button = (name: string) => screen.getByRole('button', { name });
/** The reasons shown for the disabled buttons, in order. */
const reasons = () =>
  within(screen.getByRole('list', { name: 'Why some actions are disabled' }))
    .queryAllByRole('listitem')
    .map(li => li.textContent);

describe('RolloutActions', () => {
  it('enables promote, promote fully and abort on a paused canary; retry says why not', async () => {
    await renderActions({ target: paused });
    await waitFor(() => expect(button('Promote')).toBeEnabled());
    expect(button('Promote fully')).toBeEnabled();
    expect(button('Abort')).toBeEnabled();
    expect(button('Retry')).toBeDisabled();
    expect(reasons()).toEqual([
      'Retry: Only an aborted Rollout can be retried; this one is not aborted.',
    ]);
    expect(button('Retry')).toHaveAccessibleDescription(
      'Retry: Only an aborted Rollout can be retried; this one is not aborted.',
    );
  });

  it('on an aborted Rollout, only retry is enabled', async () => {
    await renderActions({ target: aborted });
    await waitFor(() => expect(button('Retry')).toBeEnabled());
    expect(button('Promote')).toBeDisabled();
    expect(button('Promote fully')).toBeDisabled();
    expect(button('Abort')).toBeDisabled();
    expect(reasons()).toEqual([
      'Promote: The Rollout is aborted: retry it to start the update again before promoting.',
      'Promote fully: The Rollout is aborted: retry it to start the update again before promoting.',
      'Abort: The Rollout is already aborted.',
    ]);
  });

  it('with no update in progress, nothing is enabled', async () => {
    await renderActions({ target: steady });
    await waitFor(() => expect(reasons()).toHaveLength(4));
    for (const name of ['Promote', 'Promote fully', 'Abort', 'Retry']) {
      expect(button(name)).toBeDisabled();
    }
  });

  it('a non-owner sees every button disabled with the reason', async () => {
    const api = await renderActions({ target: paused, allow: () => false });
    await waitFor(() =>
      expect(reasons()).toEqual([
        'Promote: You may not promote this Rollout: only the owners of component:default/orders-api and the platform teams may.',
        'Promote fully: You may not promote fully this Rollout: only the owners of component:default/orders-api and the platform teams may.',
        'Abort: You may not abort this Rollout: only the owners of component:default/orders-api and the platform teams may.',
        'Retry: You may not retry this Rollout: only the owners of component:default/orders-api and the platform teams may.',
      ]),
    );
    expect(button('Promote')).toBeDisabled();
    expect(api.runRolloutAction).not.toHaveBeenCalled();
  });

  it('asks the abort permission for abort and the promote permission for the others', async () => {
    await renderActions({
      target: paused,
      allow: name => name === 'canary.rollout.abort',
    });
    await waitFor(() => expect(button('Abort')).toBeEnabled());
    expect(button('Promote')).toBeDisabled();
    expect(button('Promote fully')).toBeDisabled();
  });

  it('confirms what will happen, then promotes and shows the result inline', async () => {
    const onDone = jest.fn();
    const api = await renderActions({ target: paused, onDone });
    await waitFor(() => expect(button('Promote')).toBeEnabled());

    await userEvent.click(button('Promote'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote orders/orders-api?',
    });
    expect(dialog).toHaveTextContent(
      'The Rollout orders/orders-api in staging goes on to its next step: the pause or the step in progress ends now and the canary gets the next weight.',
    );
    expect(api.runRolloutAction).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Promoted orders/orders-api (was at step 2 of 4). The controller applies it within seconds.',
    );
    expect(api.runRolloutAction).toHaveBeenCalledWith({
      entityRef: {
        kind: 'Component',
        namespace: 'default',
        name: 'orders-api',
      },
      cluster: 'staging',
      namespace: 'orders',
      rollout: 'orders-api',
      action: 'promote',
    });
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['Promote fully', 'skips every remaining step, pause and analysis'],
    [
      'Abort',
      'All traffic of orders/orders-api in staging goes back to the stable revision now',
    ],
  ])(
    'the %s dialog says what it does, and Cancel does nothing',
    async (name, text) => {
      const api = await renderActions({ target: paused });
      await waitFor(() => expect(button(name)).toBeEnabled());
      await userEvent.click(button(name));
      const dialog = await screen.findByRole('dialog');
      expect(dialog).toHaveTextContent(text);
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Cancel' }),
      );
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(api.runRolloutAction).not.toHaveBeenCalled();
    },
  );

  it('shows the backend’s refusal inline', async () => {
    const onDone = jest.fn();
    await renderActions({
      target: aborted,
      onDone,
      run: async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'ConflictError',
                message:
                  'Only an aborted Rollout can be retried; this one is not aborted.',
              },
              response: { statusCode: 409 },
            }),
            {
              status: 409,
              statusText: 'Conflict',
              headers: { 'content-type': 'application/json' },
            },
          ) as any,
        );
      },
    });
    await waitFor(() => expect(button('Retry')).toBeEnabled());
    await userEvent.click(button('Retry'));
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Retry',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Retry failed: Only an aborted Rollout can be retried; this one is not aborted.',
    );
    expect(onDone).not.toHaveBeenCalled();
  });
});
