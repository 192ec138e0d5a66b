import { expect, test } from './fixtures';
import { ARGOCD_TOKEN } from './support/backend';
import { signInAsGuest, snapshot } from './support/portal';

test('the entity page shows the sync status and health of orders-api in Argo CD', async ({
  page,
  argocd,
}) => {
  await signInAsGuest(page, { width: 1400, height: 1000 });

  // Overview: the community plugin's summary card, one row per environment.
  await page.goto('/catalog/default/component/orders-api');
  const summary = page
    .getByRole('table')
    .filter({ has: page.getByRole('columnheader', { name: 'Sync status' }) });
  const row = (name: string) =>
    summary.getByRole('row').filter({ has: page.getByRole('link', { name }) });
  await expect(row('orders-api-production')).toContainText('Synced');
  await expect(row('orders-api-production')).toContainText('Healthy');
  await expect(row('orders-api-staging')).toContainText('OutOfSync');
  await expect(row('orders-api-staging')).toContainText('Progressing');

  // The backend found them by the entity's argocd/app-selector, with the instance's token.
  expect(argocd.requests).toContainEqual({
    method: 'GET',
    path: '/api/v1/applications',
    query: { selector: 'backstage.io/kubernetes-id=orders-api' },
    authorization: `Bearer ${ARGOCD_TOKEN}`,
  });

  // The Argo CD tab, in the Deployment group: a card per Application.
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('button', { name: 'Deployment' })
    .click();
  await page.getByRole('menuitemradio', { name: 'Argo CD' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/orders-api\/argocd$/,
  );
  const production = page.getByTestId('orders-api-production-card');
  const staging = page.getByTestId('orders-api-staging-card');
  await expect(production).toContainText('Synced');
  await expect(production).toContainText('Healthy');
  await expect(staging).toContainText('OutOfSync');
  await expect(staging).toContainText('Progressing');
  // The commit of each deployed revision, from Argo CD's revision metadata.
  await expect(production).toContainText('Release 4d0e9b1');

  await snapshot(page, 'argocd');
});

test('entities without Argo CD annotations have no Argo CD card or tab', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.goto('/catalog/default/component/runway');
  await expect(
    page.getByText(
      'The developer portal, plugins and software templates of the platform team.',
    ),
  ).toBeVisible();
  const tabs = page.getByRole('navigation', { name: 'Content navigation' });
  await expect(tabs.getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'APIs' })).toBeVisible();
  await expect(tabs.getByRole('button', { name: 'Deployment' })).toHaveCount(0);
  await expect(tabs.getByText('Argo CD')).toHaveCount(0);
  await expect(page.getByText('Deployment Summary')).toHaveCount(0);
});
