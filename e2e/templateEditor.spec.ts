import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { expect, test } from './fixtures';
import { repoRoot } from './support/backend';
import { fillAboutPage, signInAsGuest } from './support/portal';

/**
 * The templates/ folder as a person opens it in the Template Editor ("Load Template
 * Directory"), with go-service.yaml as the catalog serves it: the editor reads a template
 * file as it is and does not resolve the `$yaml` form pages the catalog resolves
 * (templates/README.md, Dry run).
 */
function templatesFolder(goService: unknown): Record<string, string> {
  const dir = join(repoRoot, 'templates');
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files[relative(dir, file)] = readFileSync(file).toString('base64');
  }
  files['go-service.yaml'] = Buffer.from(stringify(goService)).toString(
    'base64',
  );
  return files;
}

test('the Template Editor dry-runs go-service: every step finished or skipped, the Argo CD Applications shown, nothing called', async ({
  page,
  request,
  argocd,
}) => {
  // The go-service template the catalog serves (what the editor's "Load Template" lists).
  const guest = await request.get('/api/auth/guest/refresh?env=development', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const { token } = (await guest.json()).backstageIdentity;
  const fromCatalog = () =>
    request.get('/api/catalog/entities/by-name/template/default/go-service', {
      headers: { Authorization: `Bearer ${token}` },
    });
  // The catalog reads the templates once the backend is up.
  await expect
    .poll(async () => (await fromCatalog()).status(), { timeout: 60_000 })
    .toBe(200);
  const { apiVersion, kind, metadata, spec } = await (
    await fromCatalog()
  ).json();
  const files = templatesFolder({
    apiVersion,
    kind,
    metadata: { name: metadata.name, title: metadata.title },
    spec,
  });

  // The directory picker cannot be driven by a test: it answers with a folder of the
  // browser's origin-private file system holding those files (a real directory handle).
  await page.exposeFunction('runwayTemplatesFolder', () => files);
  await page.addInitScript(() => {
    const w = window as any;
    w.showDirectoryPicker = async () => {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry('templates', { recursive: true }).catch(() => {});
      const folder = await root.getDirectoryHandle('templates', {
        create: true,
      });
      const contents: Record<string, string> = await w.runwayTemplatesFolder();
      for (const [path, base64] of Object.entries(contents)) {
        const parts = path.split('/');
        let dir = folder;
        for (const part of parts.slice(0, -1)) {
          dir = await dir.getDirectoryHandle(part, { create: true });
        }
        const file = await dir.getFileHandle(parts[parts.length - 1], {
          create: true,
        });
        const writable = await file.createWritable();
        await writable.write(
          Uint8Array.from(atob(base64), c => c.charCodeAt(0)),
        );
        await writable.close();
      }
      return folder;
    };
  });

  await signInAsGuest(page, { width: 1600, height: 1200 });
  await page.goto('/create/edit');
  await page.getByText('Load Template Directory').click();
  await page.getByText('go-service.yaml', { exact: true }).click();

  // The form: the catalog's three pages of go-service.
  await fillAboutPage(page, {
    name: 'orders-api',
    description: 'Stores and lists the orders of the online shop.',
    owner: /checkout/i,
  });
  await page.getByLabel(/^PostgreSQL database/).check();
  await page.getByRole('button', { name: /^Next/ }).click();
  // The repository picker's fields take their value as typed (they are autocompletes).
  for (const [label, value] of [
    [/^Owner/, 'example-org'],
    [/^Repository/, 'orders-api'],
  ] as const) {
    const field = page.getByLabel(label).first();
    await field.pressSequentially(value);
    await field.press('Tab');
  }
  await page.getByRole('button', { name: /^Review/ }).click();

  const argocdRequests = argocd.requests.length;
  const [response] = await Promise.all([
    page.waitForResponse(r => r.url().endsWith('/api/scaffolder/v2/dry-run')),
    page.getByRole('button', { name: /^Create/ }).click(),
  ]);
  expect(response.status()).toBe(200);
  const result = await response.json();

  // What the editor received: every step finished, or skipped as a dry run skips it.
  const statuses = Object.fromEntries(
    result.log
      .map((l: any) => l.body)
      .filter((b: any) => b.stepId && b.status && b.status !== 'processing')
      .map((b: any) => [b.stepId, b.status]),
  );
  expect(statuses).toEqual({
    'fetch-service': 'completed',
    'fetch-chart': 'completed',
    'fetch-ci': 'completed',
    'fetch-catalog': 'completed',
    'pin-images': 'completed',
    publish: 'skipped',
    argocd: 'completed',
    database: 'completed',
    register: 'skipped',
  });
  // The Applications it would create: staging follows main, production is pinned (to the
  // initial commit; '<example>' while nothing is published). Argo CD was not called.
  const applications = result.log
    .map((l: any) => l.body)
    .filter((b: any) => b.stepId === 'argocd')
    // A log line, without the colours and level prefix of the development log format.
    // eslint-disable-next-line no-control-regex
    .map((b: any) => b.message.replace(/\u001b\[[0-9;]*m/g, ''))
    .map((m: string) => m.replace(/^(info|warn): /, ''))
    .filter((m: string) => /^Application \S+:\n/.test(m))
    .map((m: string) => parse(m.slice(m.indexOf('\n') + 1)));
  expect(
    applications.map((a: any) => [
      a.metadata.name,
      a.spec.source.repoURL,
      a.spec.source.targetRevision,
      a.spec.destination,
    ]),
  ).toEqual([
    [
      'orders-api-staging',
      'https://github.com/example-org/orders-api.git',
      'main',
      { name: 'staging', namespace: 'orders-api' },
    ],
    [
      'orders-api-production',
      'https://github.com/example-org/orders-api.git',
      '<example>',
      { name: 'production', namespace: 'orders-api' },
    ],
  ]);
  expect(argocd.requests.length).toBe(argocdRequests);

  // What the person sees: the results panel, its steps (publish and register skipped)…
  const results = page.locator('.MuiAccordion-root', {
    hasText: 'Dry-run results',
  });
  await expect(results).toBeVisible();
  await results.getByRole('tab', { name: 'Log' }).click();
  for (const [name, skipped] of [
    ['Go service', false],
    ['Publish to GitHub', true],
    ['Register in Argo CD', false],
    ['Provision PostgreSQL', false],
    ['Register in the catalog', true],
  ] as const) {
    const step = results.getByRole('button', {
      name: new RegExp(`^${name}`),
    });
    await expect(step).toBeVisible();
    if (skipped) await expect(step).toContainText('Skipped');
    else await expect(step).not.toContainText('Skipped');
  }
  // …the Argo CD step's log: what it would register, and the Applications' manifests
  // (the log follows its end; searching scrolls to a line)…
  await results.getByRole('button', { name: /^Register in Argo CD/ }).click();
  await expect(
    results
      .getByText(
        "Dry run: would register orders-api-staging, orders-api-production on Argo CD instance 'main'; nothing was called",
      )
      .first(),
  ).toBeVisible();
  const search = results.getByPlaceholder('Search');
  for (const line of [
    'Application orders-api-production:',
    'targetRevision: main',
    'targetRevision: <example>',
    'valueFiles:',
    '- values-production.yaml',
  ]) {
    await search.fill(line);
    await expect(results.getByText(line).first()).toBeVisible();
  }
  // …and the links to the Applications in the output.
  await results.getByRole('tab', { name: 'Output' }).click();
  await expect(
    results.getByRole('link', { name: 'Argo CD (production)' }),
  ).toHaveAttribute('href', `${argocd.url}/applications/orders-api-production`);
});
