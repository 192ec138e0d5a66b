import { expect, test } from './fixtures';
import { signInAsGuest, snapshot } from './support/portal';

test("the overview's Database card shows orders-api's CloudNativePG cluster from the cluster", async ({
  page,
}) => {
  await signInAsGuest(page, { width: 1400, height: 1400 });

  await page.goto('/catalog/default/component/orders-api');
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Database', { exact: true }) });
  await expect(
    card.getByRole('heading', { name: 'orders-api/orders-api-db' }),
  ).toBeVisible();
  await expect(
    card.getByRole('heading', { name: 'Cluster staging' }),
  ).toBeVisible();
  await expect(card.getByText('Healthy', { exact: true })).toBeVisible();
  const row = (label: string) =>
    card.getByRole('row').filter({
      has: page.getByRole('rowheader', { name: label, exact: true }),
    });
  await expect(row('Phase')).toContainText('Cluster in healthy state');
  await expect(row('Instances')).toContainText('3/3 ready');
  await expect(row('Primary')).toContainText('orders-api-db-1');
  await expect(row('PostgreSQL')).toContainText('17.2');
  await expect(row('Storage')).toContainText('20Gi');
  await expect(row('Continuous archiving')).toContainText('Working');
  await expect(row('Last successful backup')).toContainText('5 h ago');
  await expect(row('Next scheduled backup')).toContainText('in 5 h');
  await expect(card.getByRole('heading', { name: 'Problems' })).toHaveCount(0);

  await snapshot(page, 'database');
});
