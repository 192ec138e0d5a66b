import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, test } from './fixtures';
import { repoRoot } from './support/backend';
import { templateFiles } from './support/catalog';
import { signInAsGuest, snapshot } from './support/portal';

test('guest signs in, browses the catalog and finds the templates', async ({
  page,
}) => {
  const nav = await signInAsGuest(page);

  // The catalog is the landing page; show every owner's components, not only the guest's.
  // The filter settles once the guest's ownership has loaded, so retry until it sticks.
  await expect(async () => {
    await page.getByText('All', { exact: true }).first().click();
    await expect(
      page.getByRole('heading', { name: /^All Components/ }).first(),
    ).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
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
  // Every template of the repository is offered, by its title.
  for (const file of templateFiles()) {
    const { title } = parse(
      readFileSync(join(repoRoot, file), 'utf8'),
    ).metadata;
    await expect(page.getByText(title, { exact: true }).first()).toBeVisible();
  }
  await snapshot(page, 'create');

  // The web frontend's form: its shared first page, then the backend picker.
  await page
    .locator('article, [class*=Card]')
    .filter({ hasText: 'Web frontend' })
    .getByRole('button', { name: /choose/i })
    .first()
    .click();
  await expect(page.getByLabel(/^Name/).first()).toBeVisible();
});
