import { expect, test } from './fixtures';
import { signInAsGuest, snapshot } from './support/portal';

test('the Canary tab shows the live 80/20 split of orders-api from the cluster', async ({
  page,
}) => {
  await signInAsGuest(page, { width: 1400, height: 1000 });

  await page.goto('/catalog/default/component/orders-api');
  await page.getByText('Canary', { exact: true }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/orders-api\/canary$/,
  );

  await expect(
    page.getByRole('heading', { name: 'Cluster staging', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('img', {
      name: 'Traffic: 80% stable (1.4.0), 20% canary (1.5.0)',
    }),
  ).toBeVisible();
  await expect(page.getByText('progressing').first()).toBeVisible();
  await expect(
    page.getByText(
      "curl -H 'x-canary: true' http://orders-api.orders-api.svc.cluster.local/",
    ),
  ).toBeVisible();

  await snapshot(page, 'canary');
});
