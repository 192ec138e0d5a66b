import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, test } from './fixtures';
import { repoRoot } from './support/backend';
import { templateFiles } from './support/catalog';
import { fillAboutPage, signInAsGuest, snapshot } from './support/portal';

test('guest signs in, browses the catalog and finds the templates', async ({
  page,
}) => {
  const nav = await signInAsGuest(page);

  // The catalog is the landing page; show every owner's components, not only the guest's.
  // The filter is set in the URL: clicking "All" races the guest's ownership loading,
  // which resets the filter to "Owned" on a slow machine.
  await page.goto('/?filters%5Bkind%5D=component&filters%5Buser%5D=all');
  await expect(
    page.getByRole('heading', { name: /^All Components/ }).first(),
  ).toBeVisible();
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
  await page.goto('/create/templates/default/web-frontend');
  await fillAboutPage(page, {
    name: 'storefront-web',
    description: 'The shop in the browser.',
    owner: /checkout/i,
  });

  // The backend picker offers the catalog's services (orders-api, storefront, by
  // title), not websites such as this portal's own component.
  await page
    .getByLabel(/^Backend service/)
    .first()
    .click();
  const options = page.getByRole('option');
  await expect(options).toHaveCount(2);
  expect((await options.allTextContents()).sort()).toEqual([
    'Orders API',
    'Storefront',
  ]);
});
