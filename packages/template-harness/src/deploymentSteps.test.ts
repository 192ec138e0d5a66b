/*
 * The steps after composing the repository, checked against what the generated repository
 * expects: each template's runway:dockerfile:pin, argocd:app:create and cnpg:database:create
 * inputs, rendered as the scaffolder renders them, are run through the real actions in
 * dry-run mode (which validates them and returns what they would do without calling
 * anything). The Applications
 * must deploy the rendered chart with its own values files under the release name the
 * chart requires, carry the labels the catalog entry's Argo CD annotations select, and
 * land in the namespace where the database's secret is.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConfigClusterAccess } from '@runway/plugin-cluster-access-node';
import { kubernetesClustersConfig } from '@runway/plugin-cluster-access-node-test-utils';
import { labelSelectorMatcher } from '@runway/plugin-runway-common';
import { createArgocdAppCreateAction } from '@runway/plugin-scaffolder-backend-module-argocd';
import { createCnpgDatabaseAction } from '@runway/plugin-scaffolder-backend-module-cnpg';
import { createPinDockerfileAction } from '@runway/plugin-scaffolder-backend-module-runway';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { helmBinary, renderChart } from './checks/manifests';
import { renderStep, renderTemplate, TemplateContext } from './render';
import { catalogEntities } from './__testUtils__/sharedChecks';
import {
  partValues,
  serviceParameters,
  webParameters,
} from './__testUtils__/values';

const HELM = helmBinary();

const config = new ConfigReader({
  argocd: {
    instances: [
      { name: 'main', url: 'https://argocd.example.com', token: 'not-used' },
    ],
  },
  ...kubernetesClustersConfig(
    ['staging', 'production'].map(name => ({
      name,
      url: `https://${name}.k8s.example.com`,
      authProvider: 'serviceAccount',
      serviceAccountToken: 'not-used',
    })),
  ),
});

const argocdAction = createArgocdAppCreateAction({ config });
const cnpgAction = createCnpgDatabaseAction({
  clusterAccess: ConfigClusterAccess.fromConfig(config, {
    logger: mockServices.logger.mock(),
  }),
});

/** Runs an action in dry-run mode and returns its outputs by name. */
async function dryRun(
  action: { handler: (ctx: any) => Promise<void> },
  input: Record<string, unknown>,
  workspacePath?: string,
): Promise<Record<string, any>> {
  // The mock context has no isDryRun option: set it as the scaffolder's dry-run does.
  const ctx = {
    ...createMockActionContext({ input: input as any, workspacePath }),
    isDryRun: true,
  };
  await action.handler(ctx);
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [name, value]),
  );
}

const { repoOwner } = partValues();
const cases: { template: string; parameters: Record<string, unknown> }[] = [
  ...['go-service', 'ts-service'].flatMap(template =>
    [false, true].map(database => ({
      template,
      parameters: serviceParameters({ database }),
    })),
  ),
  { template: 'web-frontend', parameters: webParameters() },
];

jest.setTimeout(120_000);

/** The initial commit publish:github reports. */
const INITIAL_COMMIT = '5d41402abc4b2a76b9719d911017c592b5d4e0f1';

describe.each(cases)(
  '$template (database=$parameters.database): the deployment steps',
  ({ template, parameters }) => {
    const name = parameters.name as string;
    const work = mkdtempSync(join(tmpdir(), `runway-steps-${template}-`));
    const context: TemplateContext = {
      parameters,
      steps: {
        publish: {
          output: {
            remoteUrl: `https://github.com/${repoOwner}/${name}.git`,
            repoContentsUrl: `https://github.com/${repoOwner}/${name}/blob/main`,
            commitHash: INITIAL_COMMIT,
          },
        },
      },
    };
    let applications: any[];
    let manifests: any[];

    beforeAll(async () => {
      await renderTemplate({ template, parameters, outDir: work });
      const step = renderStep(template, 'argocd', context);
      ({ applications, manifests } = await dryRun(argocdAction, step.input));
    });

    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('pins every base image of the rendered Dockerfile and its # syntax frontend, before publishing', async () => {
      const step = renderStep(template, 'pin-images', context);
      expect(step.action).toBe('runway:dockerfile:pin');
      const dockerfile = readFileSync(join(work, 'Dockerfile'), 'utf8');
      // A dry run resolves nothing: it names what a run pins, on the rendered file.
      const output = await dryRun(
        createPinDockerfileAction({ config: new ConfigReader({}) }),
        step.input,
        work,
      );
      expect(output.unpinned).toEqual([]);
      expect(output.pinned.map((image: any) => image.kind)).toEqual([
        'syntax',
        ...(dockerfile.match(/^FROM /gm) ?? []).map(() => 'from'),
      ]);
      for (const { image } of output.pinned) {
        expect(image).toMatch(
          /^(docker\/dockerfile:1|golang:[\w.-]+|node:[\w.-]+|gcr\.io\/distroless\/[\w.-]+:nonroot)$/,
        );
      }
      expect(readFileSync(join(work, 'Dockerfile'), 'utf8')).toBe(dockerfile);
    });

    it('registers <name>-staging and <name>-production in Argo CD', () => {
      expect(renderStep(template, 'argocd', context).action).toBe(
        'argocd:app:create',
      );
      expect(applications.map(a => [a.name, a.environment])).toEqual([
        [`${name}-staging`, 'staging'],
        [`${name}-production`, 'production'],
      ]);
      expect(applications.map(a => a.url)).toEqual([
        `https://argocd.example.com/applications/${name}-staging`,
        `https://argocd.example.com/applications/${name}-production`,
      ]);
    });

    it("deploys the repository's chart with its values file per environment, under the chart's release name", () => {
      const chart = parse(readFileSync(join(work, 'chart/Chart.yaml'), 'utf8'));
      for (const app of manifests.filter(m => m.kind === 'Application')) {
        const { source } = app.spec;
        expect(source.repoURL).toBe(
          `https://github.com/${repoOwner}/${name}.git`,
        );
        expect(existsSync(join(work, source.path, 'Chart.yaml'))).toBe(true);
        expect(source.helm.releaseName).toBe(chart.name);
        for (const file of source.helm.valueFiles) {
          expect({
            file,
            exists: existsSync(join(work, source.path, file)),
          }).toEqual({
            file,
            exists: true,
          });
        }
        expect(app.spec.destination).toEqual({
          name: app.metadata.name.slice(name.length + 1),
          namespace: name,
        });
      }
    });

    it('lets staging follow main and pins production to the initial commit', () => {
      expect(
        manifests
          .filter(m => m.kind === 'Application')
          .map(a => [a.metadata.name, a.spec.source.targetRevision]),
      ).toEqual([
        [`${name}-staging`, 'main'],
        [`${name}-production`, INITIAL_COMMIT],
      ]);
    });

    it("dry-runs as the Template Editor does: publish's outputs are placeholders and nothing is configured", async () => {
      // In a dry run the scaffolder skips publish:github and gives its outputs as
      // '<example>'; the portal's development config has no Argo CD instance.
      const placeholders: TemplateContext = {
        parameters,
        steps: {
          publish: {
            output: {
              remoteUrl: '<example>',
              repoContentsUrl: '<example>',
              commitHash: '<example>',
            },
          },
        },
      };
      const step = renderStep(template, 'argocd', placeholders);
      const output = await dryRun(
        createArgocdAppCreateAction({ config: new ConfigReader({}) }),
        step.input,
      );
      expect(output.manifests.map((m: any) => m.spec.source.repoURL)).toEqual([
        `https://github.com/${repoOwner}/${name}.git`,
        `https://github.com/${repoOwner}/${name}.git`,
      ]);
      expect(output.applications.map((a: any) => a.url)).toEqual([
        `https://argocd.invalid/applications/${name}-staging`,
        `https://argocd.invalid/applications/${name}-production`,
      ]);
    });

    it("is found by the catalog entry's argocd/app-name and argocd/app-selector", () => {
      const component = catalogEntities(work).find(e => e.kind === 'Component');
      const annotations = component.metadata.annotations;
      const apps = manifests.filter(m => m.kind === 'Application');
      expect(apps.map(a => a.metadata.name)).toContain(
        annotations['argocd/app-name'],
      );
      for (const app of apps) {
        expect(
          labelSelectorMatcher(annotations['argocd/app-selector'])(
            app.metadata.labels,
          ),
        ).toBe(true);
      }
    });

    it('provisions PostgreSQL exactly when the form asked for it, where the chart reads its secret', async () => {
      const step =
        template === 'web-frontend'
          ? undefined
          : renderStep(template, 'database', context);
      expect(step?.runs ?? false).toBe(parameters.database === true);
      if (!step?.runs) return;
      const output = await dryRun(cnpgAction, step.input);
      // Each environment's database is in the cluster and namespace Argo CD deploys
      // that environment of the service to.
      const destinations = manifests
        .filter(m => m.kind === 'Application')
        .map(a => [a.spec.destination.name, a.spec.destination.namespace]);
      expect(
        output.environments.map((e: any) => [e.cluster, e.namespace]),
      ).toEqual(destinations);
      for (const values of ['values-staging.yaml', 'values-production.yaml']) {
        const objects = await renderChart(HELM, join(work, 'chart'), values);
        // The service's pods (a Rollout with canary releases) and the migration Job.
        const readers = objects.filter(o =>
          ['Rollout', 'Deployment', 'Job'].includes(o.kind ?? ''),
        );
        expect(readers.map(o => o.kind).sort()).toEqual(
          [parameters.canary ? 'Rollout' : 'Deployment', 'Job'].sort(),
        );
        for (const reader of readers as any[]) {
          const secrets = reader.spec.template.spec.containers[0].env
            .filter((e: any) => e.valueFrom?.secretKeyRef)
            .map((e: any) => e.valueFrom.secretKeyRef.name);
          expect({ kind: reader.kind, secrets: new Set(secrets) }).toEqual({
            kind: reader.kind,
            secrets: new Set([output.secretName]),
          });
        }
      }
    });
  },
);
