import { expect, Page } from '@playwright/test';
import { join } from 'node:path';
import { repoRoot } from './backend';

/** Opens the portal and signs in as guest; returns the sidebar navigation. */
export async function signInAsGuest(
  page: Page,
  viewport = { width: 1400, height: 860 },
) {
  await page.setViewportSize(viewport);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  return nav;
}

/** `RUNWAY_SCREENSHOTS=1 make e2e` refreshes the README's screenshots in docs/screenshots. */
export async function snapshot(page: Page, name: string) {
  if (process.env.RUNWAY_SCREENSHOTS) {
    await page.screenshot({
      path: join(repoRoot, 'docs/screenshots', `${name}.png`),
    });
  }
}

/**
 * Fills the form page every service and frontend template shares (templates/parameters/about.yaml):
 * name, description, and the owner picked among the catalog's groups; then goes to the next page.
 */
export async function fillAboutPage(
  page: Page,
  about: { name: string; description: string; owner: RegExp },
) {
  await page.getByLabel(/^Name/).first().fill(about.name);
  await page
    .getByLabel(/^Description/)
    .first()
    .fill(about.description);
  await page
    .getByLabel(/^Owner/)
    .first()
    .click();
  await page.getByRole('option', { name: about.owner }).first().click();
  await page.getByRole('button', { name: /^Next/ }).click();
}
