import { expect, test as base } from '@playwright/test';
import {
  CANARY_VERSION,
  Demo,
  DEMO_CANARY,
  STABLE_VERSION,
  startDemo,
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

  await expect(page.getByRole('heading', { name: 'staging' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'production' })).toBeVisible();
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
