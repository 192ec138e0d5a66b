import { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { repoRoot } from './support/backend';

/** `RUNWAY_SCREENSHOTS=1 make e2e` refreshes the README's screenshots. */
async function snapshot(page: Page, name: string) {
  if (process.env.RUNWAY_SCREENSHOTS) {
    await page.screenshot({
      path: join(repoRoot, 'docs/screenshots', `${name}.png`),
    });
  }
}

test('guest signs in, browses the catalog and finds the templates', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto('/');

  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The catalog is the landing page; show every owner's components, not only the guest's.
  await page.getByText('All', { exact: true }).first().click();
  const table = page.getByRole('table');
  await expect(
    table.getByRole('link', { name: /^(Orders API|orders-api)$/ }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: /^(Storefront|storefront)$/ }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: /^(Runway|runway)$/ }),
  ).toBeVisible();
  await snapshot(page, 'catalog');

  await table.getByRole('link', { name: /^(Orders API|orders-api)$/ }).click();
  await expect(
    page.getByText('Go service that stores orders in PostgreSQL.').first(),
  ).toBeVisible();

  await nav.getByRole('link', { name: /Create/ }).click();
  await expect(page).toHaveURL(/\/create/);
  await expect(
    page.getByText('Register an existing component').first(),
  ).toBeVisible();
  await snapshot(page, 'create');
});
