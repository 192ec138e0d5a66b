import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import type {
  PromotionResponse,
  PromotionStatusResponse,
} from '@runway/plugin-canary-common';
import type { CanaryApi } from '../../api';
import {
  mockCanaryApi,
  renderForEntity,
} from '../../__testUtils__/renderForEntity';
import { PromoteToProduction } from './PromoteToProduction';

const OLD = '1f'.repeat(20);
const NEW = '2e'.repeat(20);
const passed = (gate: string) => ({
  gate,
  passed: true,
  message: `${gate} ok`,
});

const ready: PromotionStatusResponse = {
  state: 'ready',
  appName: 'orders-api',
  instance: 'main',
  from: 'staging',
  to: 'production',
  application: 'orders-api-production',
  candidate: NEW,
  currentRevision: OLD,
  gates: ['source-synced', 'source-healthy', 'ci-succeeded'].map(passed),
};
const blocked: PromotionStatusResponse = {
  ...ready,
  state: 'blocked',
  gates: [
    passed('source-synced'),
    {
      gate: 'verification-passed',
      passed: false,
      message:
        "commit 2e2e2e2e2e2e has no 'runway/staging-verification' status",
    },
  ],
};
const promoted: PromotionResponse = {
  status: 'promoted',
  application: 'orders-api-production',
  commit: NEW,
  previousRevision: OLD,
  gates: ready.gates,
};

async function renderButton(options: {
  status: PromotionStatusResponse;
  allow?: boolean;
  promote?: CanaryApi['promoteToProduction'];
}) {
  const api = mockCanaryApi({
    getPromotion: async () => options.status,
    promoteToProduction: options.promote ?? (async () => promoted),
  });
  await renderForEntity(<PromoteToProduction />, {
    api,
    allow: permission =>
      options.allow !== false && permission === 'canary.environment.promote',
  });
  return api;
}

const button = () =>
  screen.getByRole('button', { name: 'Promote to production' });
const reasons = () =>
  within(
    screen.getByRole('list', {
      name: 'Why promotion to production is disabled',
    }),
  )
    .queryAllByRole('listitem')
    .map(li => li.textContent);

describe('PromoteToProduction', () => {
  it('is enabled when every gate passes and the caller may promote', async () => {
    await renderButton({ status: ready });
    await waitFor(() => expect(button()).toBeEnabled());
    expect(
      screen.queryByRole('list', {
        name: 'Why promotion to production is disabled',
      }),
    ).toBeNull();
  });

  it('is disabled with the failing gates listed', async () => {
    await renderButton({ status: blocked });
    await waitFor(() =>
      expect(reasons()).toEqual([
        "verification-passed: commit 2e2e2e2e2e2e has no 'runway/staging-verification' status",
      ]),
    );
    expect(button()).toBeDisabled();
  });

  it('is disabled with the permission reason for a non-owner', async () => {
    await renderButton({ status: ready, allow: false });
    await waitFor(() =>
      expect(reasons()).toEqual([
        'You may not promote to production: only the owners of component:default/orders-api and the platform teams may.',
      ]),
    );
    expect(button()).toBeDisabled();
  });

  it('says not configured as a state, with no button', async () => {
    await renderButton({
      status: {
        state: 'not-configured',
        message: 'No Argo CD instance is configured',
        from: 'staging',
        to: 'production',
        gates: [],
      },
    });
    expect(
      await screen.findByText('No Argo CD instance is configured'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Promote to production' }),
    ).toBeNull();
  });

  it('confirms naming the commit, cancel sends nothing; confirm promotes and shows the result', async () => {
    const api = await renderButton({ status: ready });
    await waitFor(() => expect(button()).toBeEnabled());
    await userEvent.click(button());
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Promote 2e2e2e2e2e2e to production?'),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent(
      `orders-api-production will be pinned to commit ${NEW}`,
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.promoteToProduction).not.toHaveBeenCalled();

    await userEvent.click(button());
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Promote to production',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Promoted 2e2e2e2e2e2e to production: orders-api-production now deploys it (was 1f1f1f1f1f1f).',
    );
    expect(api.promoteToProduction).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'orders-api' },
      NEW,
    );
  });

  it('shows the backend’s message when the promotion fails', async () => {
    await renderButton({
      status: ready,
      promote: async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'ConflictError',
                message: 'Cannot promote 2e2e2e2e2e2e: ci-succeeded: CI failed',
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
    await waitFor(() => expect(button()).toBeEnabled());
    await userEvent.click(button());
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Promote to production',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Promote to production failed: Cannot promote 2e2e2e2e2e2e: ci-succeeded: CI failed',
    );
  });
});
