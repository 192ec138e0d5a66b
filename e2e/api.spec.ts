import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, test } from './fixtures';
import { repoRoot } from './support/backend';
import { expectedEntityRefs, templateFiles } from './support/catalog';

test.describe('backend over HTTP', () => {
  let token: string;

  test.beforeAll(async ({ request, baseURL }) => {
    // Sign in as guest the way the frontend does, to call the APIs as a user.
    const res = await request.get(
      `${baseURL}/api/auth/guest/refresh?env=development`,
      {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      },
    );
    expect(res.status()).toBe(200);
    const { backstageIdentity } = await res.json();
    // The guest is the example user of catalog/org.yaml (auth.providers.guest.userEntityRef).
    expect(backstageIdentity.identity.userEntityRef).toBe('user:default/guest');
    token = backstageIdentity.token;
    expect(token).toMatch(/^ey/);
  });

  test('reports ready and alive', async ({ request }) => {
    const readiness = await request.get('/.backstage/health/v1/readiness');
    expect(readiness.status()).toBe(200);
    expect(await readiness.json()).toEqual({ status: 'ok' });
    expect((await request.get('/.backstage/health/v1/liveness')).status()).toBe(
      200,
    );
  });

  test('refuses catalog reads without a token', async ({ request }) => {
    expect((await request.get('/api/catalog/entities')).status()).toBe(401);
  });

  test('serves the preloaded catalog: this repo, the org, the example system', async ({
    request,
  }) => {
    const expected = expectedEntityRefs();
    const want = [...expected.self, ...expected.org, ...expected.system];
    expect(want).toEqual(
      expect.arrayContaining([
        'component:default/runway',
        'group:default/platform-team',
        'user:default/guest',
        'system:default/online-shop',
        'component:default/orders-api',
        'component:default/storefront',
      ]),
    );
    await expect
      .poll(
        async () => {
          const res = await request.get(
            '/api/catalog/entities?fields=kind,metadata.name,metadata.namespace',
            {
              headers: { Authorization: `Bearer ${token}` },
            },
          );
          expect(res.status()).toBe(200);
          const entities: {
            kind: string;
            metadata: { name: string; namespace: string };
          }[] = await res.json();
          const refs = entities.map(e =>
            `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
              'en-US',
            ),
          );
          return want.filter(ref => !refs.includes(ref));
        },
        { message: 'entities missing from the catalog', timeout: 60_000 },
      )
      .toEqual([]);
  });

  test('serves every template in templates/ through the Location file', async ({
    request,
  }) => {
    const files = templateFiles();
    expect(files.length).toBeGreaterThan(0);
    const location = parse(
      readFileSync(join(repoRoot, 'templates/location.yaml'), 'utf8'),
    );
    expect(
      location.spec.targets.map((t: string) => join('templates', t)),
    ).toEqual(expect.arrayContaining(files.map(f => join(f))));

    const want = expectedEntityRefs().templates;
    await expect
      .poll(
        async () => {
          const res = await request.get(
            '/api/catalog/entities/by-query?filter=kind=template',
            {
              headers: { Authorization: `Bearer ${token}` },
            },
          );
          expect(res.status()).toBe(200);
          const { items } = await res.json();
          const names = items.map(
            (e: any) => `template:default/${e.metadata.name}`,
          );
          return want.filter(ref => !names.includes(ref));
        },
        { message: 'templates missing from the catalog', timeout: 60_000 },
      )
      .toEqual([]);

    // Each loads without processing errors and the scaffolder can build its form.
    for (const ref of want) {
      const name = ref.split('/')[1];
      const entity = await request.get(
        `/api/catalog/entities/by-name/template/default/${name}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      const errors = ((await entity.json()).status?.items ?? []).filter(
        (i: { level: string }) => i.level === 'error',
      );
      expect({ ref, errors }).toEqual({ ref, errors: [] });
      const schema = await request.get(
        `/api/scaffolder/v2/templates/default/template/${name}/parameter-schema`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect({ ref, status: schema.status() }).toEqual({ ref, status: 200 });
      // Shared form pages ($yaml placeholders) arrive resolved: every page has fields.
      const { steps } = await schema.json();
      expect(steps.length).toBeGreaterThan(0);
      expect({
        ref,
        pagesWithoutFields: steps
          .filter(
            (s: any) => Object.keys(s.schema?.properties ?? {}).length === 0,
          )
          .map((s: any) => s.title),
      }).toEqual({ ref, pagesWithoutFields: [] });
    }
  });

  test('has the scaffolder actions the templates use', async ({ request }) => {
    const res = await request.get('/api/scaffolder/v2/actions', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status()).toBe(200);
    const ids = (await res.json()).map((a: { id: string }) => a.id);
    const used = templateFiles().flatMap(file =>
      parse(readFileSync(join(repoRoot, file), 'utf8')).spec.steps.map(
        (step: { action: string }) => step.action,
      ),
    );
    expect(used).toEqual(
      expect.arrayContaining([
        'runway:dockerfile:pin',
        'argocd:app:create',
        'cnpg:database:create',
      ]),
    );
    expect([...new Set(used)].filter(id => !ids.includes(id))).toEqual([]);
  });
});
