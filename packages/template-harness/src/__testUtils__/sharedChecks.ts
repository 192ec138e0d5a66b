/*
 * The checks every rendered repository gets, whatever its language: nothing left
 * unrendered, the shared chart (helm lint, render per environment, strict schemas,
 * progressive-delivery semantics, promtool on the alert rules), the shared CI workflow (actionlint, pinned actions), the Dockerfile, the
 * form's name rules, and the committed example. Each template's test adds its language
 * checks and its catalog expectations.
 */
/* eslint-disable jest/no-export -- test blocks shared by the templates' test files */
import Ajv from 'ajv';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ControlPlane } from '@runway/control-plane';
import { dryRunChart, startChartServer } from '../checks/apiServer';
import { checkDockerfile } from '../checks/dockerfile';
import {
  checkManifests,
  helmBinary,
  lintChart,
  renderChart,
  repoRoot,
} from '../checks/manifests';
import { checkWorkflows } from '../checks/workflow';
import {
  checkPrometheusRules,
  promtoolBinary,
} from '../checks/prometheusRules';
import { loadTemplate, renderTemplate } from '../render';
import { findUnrendered, listFiles } from '../repo';
import { Postgres, postgresUrl, startPostgres } from '@runway/testing';

const HELM = helmBinary();
const PROMTOOL = promtoolBinary(repoRoot);
const ACTIONLINT =
  process.env.ACTIONLINT ?? join(repoRoot, '.cache/tools/actionlint');

/** The example repository of a template: examples/<template>. */
export const exampleDir = (template: string) =>
  join(repoRoot, 'examples', template);

/** The entities of a rendered catalog-info.yaml. */
export function catalogEntities(repo: string): any[] {
  return parseAllDocuments(
    readFileSync(join(repo, 'catalog-info.yaml'), 'utf8'),
  ).map(d => d.toJS());
}

/** The form's name field refuses what Kubernetes, ECR and GitHub would refuse, naming the rule. */
export function describeNameRules(template: string) {
  describe(`${template} form`, () => {
    const entity = loadTemplate(template);
    const nameSchema = entity.spec.parameters[0].properties.name;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile({
      type: 'object',
      properties: { name: nameSchema },
    });

    it.each([
      ['Orders-Api', /must match pattern/],
      ['orders_api', /must match pattern/],
      ['1orders', /must match pattern/],
      ['orders-', /must match pattern/],
      ['ab', /must NOT have fewer than 3 characters/],
      ['a'.repeat(41), /must NOT have more than 40 characters/],
    ])('refuses the name %j, naming the rule', (name, rule) => {
      expect(validate({ name })).toBe(false);
      expect(ajv.errorsText(validate.errors)).toMatch(rule);
    });

    it.each(['orders-api', 'abc', 'a'.repeat(40), 'svc2'])(
      'accepts %j',
      name => {
        expect(validate({ name })).toBe(true);
      },
    );
  });
}

/**
 * A real API server for the charts of this describe block (started before its tests, stopped
 * after them): call once at the top of a template's suite.
 */
export function useChartServer(): () => ControlPlane {
  let plane: ControlPlane | undefined;
  beforeAll(async () => {
    plane = await startChartServer();
  }, 180_000);
  afterAll(() => plane?.stop());
  return () => {
    if (!plane) throw new Error('the chart server has not started');
    return plane;
  };
}

let dryRuns = 0;

/** The chart, workflow, Dockerfile and template-syntax checks of one rendered repository. */
export function itHasValidSharedParts(
  repo: () => string,
  expected: { virtualService: boolean },
  server: () => ControlPlane,
) {
  it('leaves nothing unrendered', () => {
    expect(findUnrendered(repo())).toEqual([]);
  });

  it('has a chart that lints, renders, validates and that a real API server accepts for every environment', async () => {
    const chart = join(repo(), 'chart');
    for (const values of ['values-staging.yaml', 'values-production.yaml']) {
      await lintChart(HELM, chart, values);
      const objects = await renderChart(HELM, chart, values);
      expect({
        values,
        problems: checkManifests(objects),
        rules: await checkPrometheusRules(objects, PROMTOOL),
      }).toEqual({
        values,
        problems: [],
        rules: [],
      });
      // Each render in a namespace of its own: only its ServiceAccounts are stored.
      dryRuns += 1;
      const namespace = `harness-${dryRuns}`;
      expect({
        values,
        refused: await dryRunChart(server(), objects, namespace),
      }).toEqual({ values, refused: [] });
      const kinds = objects.map((o: any) => o.kind);
      expect(kinds.includes('VirtualService')).toBe(expected.virtualService);
    }
  });

  it('has a workflow that passes actionlint with every action pinned', async () => {
    expect(await checkWorkflows(repo(), ACTIONLINT)).toEqual([]);
  });

  it('has a distroless, non-root, multi-stage Dockerfile', () => {
    expect(checkDockerfile(join(repo(), 'Dockerfile'))).toEqual([]);
  });
}

/**
 * The committed example (examples/<template>) is exactly what the template renders for
 * its parameters; UPDATE_EXAMPLES=1 rewrites it.
 */
export function itMatchesTheExample(options: {
  template: string;
  parameters: Record<string, unknown>;
  workDir: () => string;
}) {
  it(`matches the committed example (examples/${options.template})`, async () => {
    const fresh = join(options.workDir(), 'example');
    const committed = exampleDir(options.template);
    await renderTemplate({
      template: options.template,
      parameters: options.parameters,
      outDir: fresh,
    });
    if (process.env.UPDATE_EXAMPLES) {
      rmSync(committed, { recursive: true, force: true });
      cpSync(fresh, committed, { recursive: true });
    }
    const files = listFiles(fresh);
    expect(listFiles(committed)).toEqual(files);
    for (const file of files) {
      expect({
        file,
        text: readFileSync(join(committed, file), 'utf8'),
      }).toEqual({
        file,
        text: readFileSync(join(fresh, file), 'utf8'),
      });
    }
  });
}

/** The actions of a template's steps, in order. */
export const stepActions = (template: string): string[] =>
  loadTemplate(template).spec.steps.map((s: { action: string }) => s.action);

/** The part folders its fetch:template steps compose, in order. */
export const fetchedParts = (template: string): string[] =>
  loadTemplate(template)
    .spec.steps.filter((s: { action: string }) => s.action === 'fetch:template')
    .map((s: { input: { url: string } }) => s.input.url);

/** What a backend service's catalog-info.yaml holds (go-service and ts-service alike). */
export function expectServiceEntities(
  entities: any[],
  options: { language: string; database: boolean },
) {
  const component = entities.find(e => e.kind === 'Component');
  expect(component.metadata).toMatchObject({
    name: 'orders-api',
    tags: [options.language],
  });
  expect(component.spec).toMatchObject({
    type: 'service',
    owner: 'group:default/checkout-team',
    system: 'online-shop',
    providesApis: ['api:orders-api'],
  });
  expect(component.metadata.annotations).toMatchObject({
    'github.com/project-slug': 'example-org/orders-api',
    'backstage.io/kubernetes-id': 'orders-api',
    'argocd/app-name': 'orders-api-production',
    'argocd/app-selector': 'backstage.io/kubernetes-id=orders-api',
    'sonarqube.org/project-key': 'example-org_orders-api',
    'backstage.io/techdocs-ref': 'dir:.',
  });
  const api = entities.find(e => e.kind === 'API');
  expect(api).toMatchObject({
    metadata: { name: 'orders-api' },
    spec: { type: 'openapi', definition: { $text: './openapi.yaml' } },
  });
  const resources = entities
    .filter(e => e.kind === 'Resource')
    .map(e => `resource:${e.metadata.name}`);
  expect(resources).toEqual(options.database ? ['resource:orders-api-db'] : []);
  expect(component.spec.dependsOn ?? []).toEqual(resources);
}

/**
 * The whole suite of a backend service template (go-service, ts-service): the form's
 * name rules; its steps (the language part with the shared parts, then publish, Argo CD,
 * database, register); and for each combination of `database` and `canary` the
 * language's own checks (with the integration tests on a throwaway PostgreSQL), the
 * shared parts and the catalog entities; then the committed example.
 */
export function describeServiceTemplate(options: {
  template: string;
  part: string;
  language: string;
  parameters: (overrides?: Record<string, unknown>) => Record<string, unknown>;
  /** What the generated repository's own CI runs for its language. */
  languageCheck: {
    title: string;
    run: (repo: string, options: { databaseUrl: string }) => Promise<void>;
    /** Only the variants whose language files differ (default: every variant). */
    onlyFor?: (variant: { database: boolean; canary: boolean }) => boolean;
  };
}) {
  const { template, languageCheck } = options;
  describeNameRules(template);

  describe(`${template} steps`, () => {
    it('composes its language part with the shared parts, pins its base images, publishes, deploys, provisions and registers', () => {
      expect(fetchedParts(template)).toEqual([
        `./skeletons/${options.part}`,
        './skeletons/chart',
        './skeletons/ci',
        './skeletons/catalog',
      ]);
      expect(stepActions(template).slice(4)).toEqual([
        'runway:dockerfile:pin',
        'publish:github',
        'argocd:app:create',
        'cnpg:database:create',
        'catalog:register',
      ]);
    });
  });

  describe(`${template} rendered repository`, () => {
    const server = useChartServer();
    let postgres: Postgres;
    const work = mkdtempSync(join(tmpdir(), `runway-${template}-`));

    beforeAll(async () => {
      postgres = await startPostgres();
    }, 120_000);

    afterAll(async () => {
      await postgres?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    describe.each([
      { database: false, canary: true },
      { database: true, canary: true },
      { database: false, canary: false },
      { database: true, canary: false },
    ])('database=$database canary=$canary', variant => {
      const repo = join(
        work,
        `db-${variant.database}-canary-${variant.canary}`,
      );

      beforeAll(async () => {
        await renderTemplate({
          template,
          parameters: options.parameters(variant),
          outDir: repo,
        });
      });

      // Before the language check, which writes build output into the repository.
      itHasValidSharedParts(
        () => repo,
        { virtualService: variant.canary },
        server,
      );

      if (languageCheck.onlyFor?.(variant) ?? true) {
        // eslint-disable-next-line jest/valid-title -- the title is the check's own
        it(languageCheck.title, async () => {
          await expect(
            languageCheck.run(repo, { databaseUrl: postgresUrl(postgres) }),
          ).resolves.toBeUndefined();
        });
      }

      it('has catalog entities for the service, its API and, with a database, its database', () => {
        expectServiceEntities(catalogEntities(repo), {
          language: options.language,
          database: variant.database,
        });
      });
    });

    itMatchesTheExample({
      template,
      parameters: options.parameters(),
      workDir: () => work,
    });
  });
}
