import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkNodeProject } from './checks/node';
import { helmBinary, renderChart } from './checks/manifests';
import { loadTemplate, renderTemplate } from './render';
import {
  catalogEntities,
  describeNameRules,
  fetchedParts,
  itHasValidSharedParts,
  useChartServer,
  itMatchesTheExample,
  stepActions,
} from './__testUtils__/sharedChecks';
import { webParameters } from './__testUtils__/values';

jest.setTimeout(20 * 60_000);

const HELM = helmBinary();

const parameters = webParameters;

describeNameRules('web-frontend');

describe('web-frontend form and steps', () => {
  it('asks for the backend among the catalog services', () => {
    const pages = loadTemplate('web-frontend').spec.parameters;
    const backend = pages
      .map((p: any) => p.properties?.backendService)
      .find(Boolean);
    expect(backend['ui:field']).toBe('EntityPicker');
    expect(backend['ui:options'].catalogFilter).toEqual({
      kind: 'Component',
      'spec.type': 'service',
    });
    expect(
      pages.flatMap((p: any) => Object.keys(p.properties ?? {})).sort(),
    ).toEqual(
      [
        'name',
        'description',
        'owner',
        'system',
        'backendService',
        'canary',
        'repoUrl',
      ].sort(),
    );
  });

  it('composes the web part with the shared parts, pins its base images; no database step', () => {
    expect(fetchedParts('web-frontend')).toEqual([
      './skeletons/web',
      './skeletons/chart',
      './skeletons/ci',
      './skeletons/catalog',
    ]);
    expect(stepActions('web-frontend').slice(4)).toEqual([
      'runway:dockerfile:pin',
      'publish:github',
      'argocd:app:create',
      'catalog:register',
    ]);
  });
});

describe('web-frontend rendered repository', () => {
  const server = useChartServer();
  const work = mkdtempSync(join(tmpdir(), 'runway-web-frontend-'));

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  describe.each([{ canary: true }, { canary: false }])(
    'canary=$canary',
    variant => {
      const repo = join(work, `canary-${variant.canary}`);

      beforeAll(async () => {
        await renderTemplate({
          template: 'web-frontend',
          parameters: parameters(variant),
          outDir: repo,
        });
      });

      // The VirtualService always exists: it routes /api to the backend.
      itHasValidSharedParts(() => repo, { virtualService: true }, server);

      // The application's files do not depend on `canary`: build and test them once.
      if (variant.canary) {
        it('installs from its lockfile, lints, type-checks, builds and passes its tests with coverage', async () => {
          await expect(checkNodeProject(repo)).resolves.toBeUndefined();
        });
      }

      it('routes /api to the backend service before any other rule', async () => {
        for (const values of [
          'values-staging.yaml',
          'values-production.yaml',
        ]) {
          const objects = await renderChart(HELM, join(repo, 'chart'), values);
          const vs: any = objects.find(o => o.kind === 'VirtualService');
          expect(vs.spec.http[0]).toEqual({
            name: 'api',
            match: [{ uri: { prefix: '/api' } }],
            route: [
              {
                destination: {
                  host: 'orders-api.orders-api.svc.cluster.local',
                  port: { number: 80 },
                },
              },
            ],
          });
          // The canary's header rule is Argo Rollouts' to add (first) during a rollout. A
          // server's fetch of an asset its build lacks reaches the stable build unsplit, and
          // the canary build through storefront-web-canary (ASSET_FALLBACK_ORIGINS).
          const workload: any = objects.find(
            o => o.kind === 'Rollout' || o.kind === 'Deployment',
          );
          const fallback = {
            rules: vs.spec.http.map((r: any) => r.name),
            rule: vs.spec.http.find((r: any) => r.name === 'asset-fallback'),
            origins: workload.spec.template.spec.containers[0].env.find(
              (e: any) => e.name === 'ASSET_FALLBACK_ORIGINS',
            )?.value,
          };
          expect(fallback).toEqual(
            variant.canary
              ? {
                  rules: ['api', 'asset-fallback', 'primary'],
                  rule: {
                    name: 'asset-fallback',
                    match: [
                      {
                        uri: { prefix: '/assets/' },
                        headers: { 'x-asset-fallback': { exact: '1' } },
                      },
                    ],
                    route: [
                      {
                        destination: {
                          host: 'storefront-web',
                          port: { number: 80 },
                        },
                      },
                    ],
                  },
                  origins: 'http://storefront-web-canary,http://storefront-web',
                }
              : {
                  rules: ['api', 'primary'],
                  rule: undefined,
                  origins: undefined,
                },
          );
        }
      });

      it('has no database and listens on 8080', () => {
        const values = parse(
          readFileSync(join(repo, 'chart/values.yaml'), 'utf8'),
        );
        expect(values.database.enabled).toBe(false);
        expect(values.containerPort).toBe(8080);
      });

      it('is a website in the catalog that consumes and depends on its backend', () => {
        const entities = catalogEntities(repo);
        expect(entities.map(e => e.kind)).toEqual(['Component']);
        const [component] = entities;
        expect(component.metadata.name).toBe('storefront-web');
        expect(component.spec).toMatchObject({
          type: 'website',
          owner: 'group:default/checkout-team',
          system: 'online-shop',
          consumesApis: ['api:default/orders-api'],
          dependsOn: ['component:default/orders-api'],
        });
        expect(component.metadata.annotations).toMatchObject({
          'backstage.io/kubernetes-id': 'storefront-web',
          'argocd/app-name': 'storefront-web-production',
          'argocd/app-selector': 'backstage.io/kubernetes-id=storefront-web',
        });
      });
    },
  );

  itMatchesTheExample({
    template: 'web-frontend',
    parameters: parameters(),
    workDir: () => work,
  });
});
