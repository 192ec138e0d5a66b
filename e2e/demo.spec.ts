import { expect, Page, test as base } from '@playwright/test';
import {
  CANARY_VERSION,
  Demo,
  DEMO_CANARY,
  STABLE_VERSION,
  startDemo,
  SYNTHETIC_NOTICE,
} from '@runway/demo';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backend, startBackend } from './support/backend';
import { signInAsGuest, snapshot } from './support/portal';

/**
 * `make demo` as a newcomer meets it: the demo's two clusters started once for this file
 * (packages/demo, free ports, a temporary state folder) and the portal on SQLite with the
 * configuration the demo hands it.
 */
const test = base.extend<{}, { demo: Demo; backend: Backend }>({
  demo: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'runway-demo-e2e-'));
      const started = Date.now();
      const demo = await startDemo({ dir });
      // What the demo adds to make test's time, printed with the run.
      console.log(
        `demo clusters ready in ${((Date.now() - started) / 1000).toFixed(
          1,
        )} s (${JSON.stringify(demo.timings)})`,
      );
      await use(demo);
      await demo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 300_000 },
  ],
  backend: [
    async ({ demo }, use) => {
      const backend = await startBackend({ config: demo.portalConfig() });
      await use(backend);
      await backend.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ backend }, use) => use(backend.baseURL),
});

test('the demo: orders-api mid-canary in staging, paused by the Argo Rollouts controller, stable in production', async ({
  page,
}) => {
  await signInAsGuest(page, { width: 1400, height: 1000 });
  await page.goto(`/catalog/default/component/${DEMO_CANARY.service}/canary`);

  await expect(
    page.getByRole('heading', { name: 'Cluster staging', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Cluster production', exact: true }),
  ).toBeVisible();
  const staging = page.getByRole('list', {
    name: 'Releases in cluster staging',
  });
  await expect(
    staging.getByRole('img', {
      // The stable track's version: canary-common reads it as unknown mid-canary of a
      // host-level Rollout (noted in packages/demo's README).
      name: new RegExp(
        `^Traffic: \\d+% stable \\((${STABLE_VERSION}|version unknown)\\), \\d+% canary \\(${CANARY_VERSION}\\)$`,
      ),
    }),
  ).toBeVisible();
  // Held for a person at its first weight step by the real Argo Rollouts controller.
  await expect(staging.getByText('Phase: Paused')).toBeVisible();
  const production = page.getByRole('list', {
    name: 'Releases in cluster production',
  });
  await expect(production.getByText(STABLE_VERSION).first()).toBeVisible();
  await expect(production.getByText(CANARY_VERSION)).toHaveCount(0);

  await snapshot(page, 'demo');
});

test("the demo: orders-api's database, provisioned by cnpg:database:create in both clusters, on the overview's Database card", async ({
  page,
}) => {
  await signInAsGuest(page, { width: 1400, height: 1400 });
  await page.goto(`/catalog/default/component/${DEMO_CANARY.service}`);
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Database', { exact: true }) });
  for (const [cluster, instances] of [
    ['staging', '1/1 ready'],
    ['production', '3/3 ready'],
  ]) {
    await expect(
      card.getByRole('heading', { name: `Cluster ${cluster}` }),
    ).toBeVisible();
    const table = card
      .locator('section')
      .filter({
        has: page.getByRole('heading', { name: `Cluster ${cluster}` }),
      })
      .getByRole('table', { name: 'Database orders-api/orders-api-db' });
    const row = (label: string) =>
      table.getByRole('row').filter({
        has: page.getByRole('rowheader', { name: label, exact: true }),
      });
    await expect(row('Phase')).toContainText('Cluster in healthy state');
    await expect(row('Instances')).toContainText(instances);
    await expect(row('Continuous archiving')).toContainText('Working');
  }
  await expect(card.getByRole('heading', { name: 'Problems' })).toHaveCount(0);
});

/** The staging release of orders-api on its Canary tab: its card, progress and actions. */
async function stagingCanary(page: Page) {
  await page.goto(`/catalog/default/component/${DEMO_CANARY.service}/canary`);
  const staging = page.getByRole('list', {
    name: 'Releases in cluster staging',
  });
  const actions = staging.getByRole('group', {
    name: /^Actions on Rollout orders-api\/\S+ in staging$/,
  });
  return {
    staging,
    progress: staging.getByTestId('rollout-progress'),
    actions,
    button: (name: string) =>
      actions.getByRole('button', { name, exact: true }),
  };
}

const ACTIONS = ['Promote', 'Promote fully', 'Abort', 'Retry'];

/** "Step 5 of 9: 20 %, …" as numbers; undefined for any other sentence. */
function stepOf(progress: string | null) {
  const m = /^Step (\d+) of (\d+): /.exec(progress ?? '');
  return m ? { step: Number(m[1]), steps: Number(m[2]) } : undefined;
}

/** Where the demo holds the staging canary: its pause after the first weight, for a person. */
const HELD = /^Step \d+ of \d+: 20 %, waiting for a person to promote$/;

/**
 * The same portal for a user the real permission policy refuses: guest sign-in resolves to
 * alan.turing (catalog/org.yaml: storefront-team), who neither owns orders-api (checkout-team)
 * nor is in a platform team. The demo's own sign-in is the guest, a platform-team member, so
 * this second backend on the same clusters is the only change: another `auth.providers.guest.userEntityRef`.
 */
const asOutsider = test.extend<{ outsider: Backend }>({
  outsider: [
    async ({ demo }, use) => {
      const started = Date.now();
      const backend = await startBackend({
        config: {
          ...demo.portalConfig(),
          auth: {
            providers: {
              guest: {
                userEntityRef: 'user:default/alan.turing',
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
        },
      });
      // What the second identity adds to make test's time, printed with the run.
      console.log(
        `second backend (alan.turing) ready in ${(
          (Date.now() - started) /
          1000
        ).toFixed(1)} s`,
      );
      await use(backend);
      await backend.stop();
    },
    { timeout: 180_000 },
  ],
  baseURL: async ({ outsider }, use) => use(outsider.baseURL),
});

asOutsider(
  'the demo: someone who neither owns orders-api nor is in a platform team sees every action on the paused canary disabled, with the reason',
  async ({ page }) => {
    await signInAsGuest(page, { width: 1400, height: 1000 });
    const { staging, progress, button } = await stagingCanary(page);
    // Held at its pause or moved on by the promote test (either order): the canary is
    // updating, so its state allows promoting and aborting; the permission alone disables
    // every action, and is the reason given for each.
    await expect(progress).toHaveText(/^Step \d+ of \d+: /);
    const reasons = staging.getByRole('list', {
      name: 'Why some actions are disabled',
    });
    const refusal = (verb: string) =>
      `You may not ${verb} this Rollout: only the owners of component:default/${DEMO_CANARY.service} and the platform teams may.`;
    await expect(reasons.getByRole('listitem')).toHaveText([
      `Promote: ${refusal('promote')}`,
      `Promote fully: ${refusal('promote fully')}`,
      `Abort: ${refusal('abort')}`,
      `Retry: ${refusal('retry')}`,
    ]);
    for (const name of ACTIONS) {
      await expect(button(name)).toBeDisabled();
    }
    await expect(button('Promote')).toHaveAccessibleDescription(
      `Promote: ${refusal('promote')}`,
    );
  },
);

test('the demo: a platform-team member promotes the paused staging canary, confirms, sees the result inline and the real controller move it to its next step', async ({
  page,
}) => {
  await signInAsGuest(page, { width: 1400, height: 1300 });
  const { staging, progress, button } = await stagingCanary(page);
  await expect(progress).toHaveText(HELD);
  const { step, steps } = stepOf(await progress.textContent())!;

  // The figures the analysis sees, and that they are synthetic, next to them.
  const health = staging.getByRole('table', {
    name: /^Live health of orders-api\//,
  });
  // Each track's figures as the table shows them (their values move with the clock).
  const figures = (service: string, track: string) => [
    track,
    service,
    expect.stringMatching(/^\d+\.\d{2} req\/s$/),
    expect.stringMatching(/^\d+\.\d{2} %$/),
    expect.stringMatching(/^\d+ ms$/),
  ];
  await expect
    .poll(() =>
      health
        .getByRole('row')
        .evaluateAll(rows =>
          rows.map(r =>
            [...r.querySelectorAll('th,td')].map(c => c.textContent ?? ''),
          ),
        ),
    )
    .toEqual([
      ['Track', 'Service', 'Requests', 'Success rate', 'p99 latency'],
      figures(DEMO_CANARY.service, 'stable'),
      figures(`${DEMO_CANARY.service}-canary`, 'canary'),
    ]);
  await expect(
    staging.getByRole('note', { name: /^Prometheus on Live health of / }),
  ).toHaveText(`Prometheus says of these figures: ${SYNTHETIC_NOTICE}`);

  // Retry needs an aborted Rollout; the others are the guest's to press.
  await expect(button('Promote')).toBeEnabled();
  await expect(button('Abort')).toBeEnabled();
  await expect(button('Retry')).toBeDisabled();

  await button('Promote').click();
  const dialog = page.getByRole('dialog', {
    name: /^Promote orders-api\/\S+\?$/,
  });
  await expect(dialog).toContainText(
    'goes on to its next step: the pause or the step in progress ends now',
  );
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect(
    staging.getByRole('status').filter({ hasText: /^Promoted / }),
  ).toHaveText(
    new RegExp(
      `^Promoted orders-api/\\S+ \\(was at step ${step} of ${steps}\\)\\. The controller applies it within seconds\\.$`,
    ),
  );
  // The Argo Rollouts controller takes it on; the tab shows it at a refresh (every 10 s).
  await expect
    .poll(async () => stepOf(await progress.textContent())?.step, {
      timeout: 60_000,
    })
    .toBeGreaterThan(step);
  await expect(progress).not.toHaveText(/waiting for a person/);

  // The staging card from its top: split, progress, live health, the actions and the result.
  await page
    .getByRole('heading', { name: 'Cluster staging' })
    .evaluate(e => e.scrollIntoView({ block: 'start' }));
  await snapshot(page, 'canary-actions');
});
