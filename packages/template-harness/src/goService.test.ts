import Ajv from 'ajv';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Postgres, postgresUrl, startPostgres } from '@runway/testing';
import { checkDockerfile } from './checks/dockerfile';
import { checkGoModule } from './checks/go';
import { checkManifests, renderChart } from './checks/manifests';
import { checkWorkflows } from './checks/workflow';
import { renderTemplate, templatesDir } from './render';
import { findUnrendered, listFiles, run } from './repo';
import { partValues } from './testing/values';

const tools = resolve(__dirname, '../../../.cache/tools');
const HELM = process.env.HELM ?? join(tools, 'helm');
const ACTIONLINT = process.env.ACTIONLINT ?? join(tools, 'actionlint');
const EXAMPLE_DIR = resolve(__dirname, '../../../examples/go-service');

/** The example's parameters (the part-only keys among them are not form fields and go unused). */
const { repoHost, repoOwner, repoName } = partValues();
const exampleParameters = {
  ...partValues(),
  repoUrl: `${repoHost}?owner=${repoOwner}&repo=${repoName}`,
};

const template = parse(
  readFileSync(join(templatesDir, 'go-service/template.yaml'), 'utf8'),
);

jest.setTimeout(20 * 60_000);

describe('go-service template form', () => {
  // The form validates parameters against the template's JSON schema before any step.
  const nameSchema = template.spec.parameters[0].properties.name;
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

  it.each(['orders-api', 'abc', 'a'.repeat(40), 'svc2'])('accepts %j', name => {
    expect(validate({ name })).toBe(true);
  });

  it('composes the shared parts, then publishes and registers', () => {
    expect(
      template.spec.steps.map((s: { action: string }) => s.action),
    ).toEqual([
      'fetch:template',
      'fetch:template',
      'fetch:template',
      'fetch:template',
      'publish:github',
      'catalog:register',
    ]);
    expect(
      template.spec.steps
        .filter((s: { action: string }) => s.action === 'fetch:template')
        .map((s: { input: { url: string } }) => s.input.url),
    ).toEqual([
      '../skeletons/go',
      '../skeletons/chart',
      '../skeletons/ci',
      '../skeletons/catalog',
    ]);
  });
});

describe('go-service rendered repository', () => {
  let postgres: Postgres;
  const work = mkdtempSync(join(tmpdir(), 'runway-go-service-'));

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
    const repo = join(work, `db-${variant.database}-canary-${variant.canary}`);

    beforeAll(async () => {
      await renderTemplate({
        template: 'go-service',
        parameters: { ...exampleParameters, ...variant },
        outDir: repo,
      });
    });

    it('leaves nothing unrendered', () => {
      expect(findUnrendered(repo)).toEqual([]);
    });

    it('is tidy, vets, builds and passes its tests (integration test on PostgreSQL)', async () => {
      await expect(
        checkGoModule(repo, { databaseUrl: postgresUrl(postgres) }),
      ).resolves.toBeUndefined();
    });

    it('has a chart that lints, renders and validates for every environment', async () => {
      await run(HELM, ['lint', '--strict', join(repo, 'chart')], { cwd: repo });
      for (const values of ['values-staging.yaml', 'values-production.yaml']) {
        const objects = await renderChart(HELM, join(repo, 'chart'), values);
        expect({ values, problems: checkManifests(objects) }).toEqual({
          values,
          problems: [],
        });
        const kinds = objects.map((o: any) => o.kind);
        expect(kinds.includes('VirtualService')).toBe(variant.canary);
      }
    });

    it('has a workflow that passes actionlint with every action pinned', async () => {
      expect(await checkWorkflows(repo, ACTIONLINT)).toEqual([]);
    });

    it('has a distroless, non-root, multi-stage Dockerfile', () => {
      expect(checkDockerfile(join(repo, 'Dockerfile'))).toEqual([]);
    });

    it('has catalog entities for the service and, with a database, its database', () => {
      const entities = parseAllDocuments(
        readFileSync(join(repo, 'catalog-info.yaml'), 'utf8'),
      ).map(d => d.toJS());
      const component = entities.find(e => e.kind === 'Component');
      expect(component.metadata.name).toBe('orders-api');
      expect(component.spec).toMatchObject({
        type: 'service',
        owner: 'group:default/checkout-team',
        system: 'online-shop',
      });
      expect(component.metadata.annotations).toMatchObject({
        'github.com/project-slug': 'example-org/orders-api',
        'backstage.io/kubernetes-id': 'orders-api',
        'argocd/app-name': 'orders-api-production',
        'sonarqube.org/project-key': 'example-org_orders-api',
        'backstage.io/techdocs-ref': 'dir:.',
      });
      const resources = entities
        .filter(e => e.kind === 'Resource')
        .map(e => `resource:${e.metadata.name}`);
      expect(resources).toEqual(
        variant.database ? ['resource:orders-api-db'] : [],
      );
      expect(component.spec.dependsOn ?? []).toEqual(resources);
    });
  });

  it('matches the committed example (examples/go-service)', async () => {
    const fresh = join(work, 'example');
    await renderTemplate({
      template: 'go-service',
      parameters: exampleParameters,
      outDir: fresh,
    });
    if (process.env.UPDATE_EXAMPLES) {
      rmSync(EXAMPLE_DIR, { recursive: true, force: true });
      cpSync(fresh, EXAMPLE_DIR, { recursive: true });
    }
    const files = listFiles(fresh);
    expect(listFiles(EXAMPLE_DIR)).toEqual(files);
    for (const file of files) {
      expect({
        file,
        text: readFileSync(join(EXAMPLE_DIR, file), 'utf8'),
      }).toEqual({
        file,
        text: readFileSync(join(fresh, file), 'utf8'),
      });
    }
  });
});
