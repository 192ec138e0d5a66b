/*
 * The Template Editor's dry run of every template, through the real route
 * (POST /api/scaffolder/v2/dry-run) of the real scaffolder backend with the modules the
 * portal installs (GitHub, Runway's Argo CD and CloudNativePG): the template as the catalog
 * serves it and the templates/ folder as the directory contents, as the editor sends them
 * when a person opens that folder. It must succeed with nothing configured (the `make start`
 * default) and with an Argo CD instance and clusters configured, show the manifests a real
 * run would apply, and call nothing: every request that leaves the process is recorded and
 * refused.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import argocdModule from '@runway/plugin-scaffolder-backend-module-argocd';
import cnpgModule from '@runway/plugin-scaffolder-backend-module-cnpg';
import runwayModule from '@runway/plugin-scaffolder-backend-module-runway';
import { kubernetesClustersConfig } from '@runway/plugin-cluster-access-node-test-utils';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadTemplate, renderTemplate, templatesDir } from './render';
import {
  partValues,
  platformParameters,
  serviceParameters,
  webParameters,
} from './__testUtils__/values';

/** Every file under a folder: path relative to it → content. */
function filesOf(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter(entry => entry.isFile())
      .map(entry => {
        const file = join(entry.parentPath, entry.name);
        return [relative(dir, file), readFileSync(file)] as const;
      }),
  );
}

/** The templates/ folder as the Template Editor sends it when a person opens it. */
const directoryContents = [...filesOf(templatesDir)].map(([path, content]) => ({
  path,
  base64Content: content.toString('base64'),
}));

const ARGOCD_URL = 'https://argocd.example.com';
const CLUSTERS = ['staging', 'production'];

const setups: { setup: string; config: Record<string, unknown> }[] = [
  { setup: 'nothing configured', config: {} },
  {
    setup: 'Argo CD and the clusters configured',
    config: {
      argocd: {
        instances: [{ name: 'main', url: ARGOCD_URL, token: 'argocd-token' }],
      },
      ...kubernetesClustersConfig(
        CLUSTERS.map(name => ({
          name,
          url: `https://${name}.k8s.example.com`,
          authProvider: 'serviceAccount',
          serviceAccountToken: `${name}-token`,
        })),
      ),
    },
  },
];

type Case = {
  label: string;
  template: string;
  values: Record<string, unknown>;
  /** The ids of the steps a dry run skips (actions without dry-run support, false `if`s). */
  skipped: string[];
  /** The component Argo CD deploys, when the template registers one. */
  app?: string;
  database?: boolean;
};

const { repoOwner } = partValues();
const cases: Case[] = [
  ...['go-service', 'ts-service'].flatMap(template =>
    [true, false].map(database => ({
      label: `${template} (database: ${database})`,
      template,
      values: serviceParameters({ database }),
      skipped: ['publish', ...(database ? [] : ['database']), 'register'],
      app: 'orders-api',
      database,
    })),
  ),
  {
    label: 'web-frontend',
    template: 'web-frontend',
    values: webParameters(),
    skipped: ['publish', 'register'],
    app: 'storefront-web',
    database: false,
  },
  {
    label: 'platform-environment',
    template: 'platform-environment',
    values: platformParameters(),
    skipped: ['publish', 'register'],
  },
  {
    label: 'register-component',
    template: 'register-component',
    values: {
      catalogInfoUrl: `https://github.com/${repoOwner}/orders-api/blob/main/catalog-info.yaml`,
    },
    skipped: ['register'],
  },
];

/** Requests that left the backend (anything but the test's own calls to it). */
const outbound: string[] = [];
const msw = setupServer(
  http.all('*', ({ request }) => {
    outbound.push(`${request.method} ${request.url}`);
    return HttpResponse.json({ message: 'refused' }, { status: 503 });
  }),
);

/** A log line without its colours and level prefix. */
const plain = (message: string) =>
  // eslint-disable-next-line no-control-regex
  message.replace(/\u001b\[[0-9;]*m/g, '').replace(/^(info|warn): /, '');

jest.setTimeout(120_000);

describe.each(setups)('the dry run with $setup', ({ setup, config }) => {
  const configured = setup !== 'nothing configured';
  let workingDirectory: string | undefined;
  let base: string;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // Made here, not in the describe body, so that a filtered run (-t) leaves none behind.
    workingDirectory = mkdtempSync(join(tmpdir(), 'runway-dry-run-'));
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            backend: { workingDirectory },
            integrations: { github: [{ host: 'github.com' }] },
            ...config,
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
        scaffolderPlugin,
        githubModule,
        argocdModule,
        cnpgModule,
        runwayModule,
      ],
    });
    stop = () => backend.stop();
    base = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
    msw.use(http.all(`${base}/*`, () => passthrough()));
    msw.listen({ onUnhandledRequest: 'error' });
  });

  afterAll(async () => {
    msw.close();
    await stop?.();
    if (workingDirectory)
      rmSync(workingDirectory, { recursive: true, force: true });
  });

  describe.each(cases)(
    '$label',
    ({ template, values, skipped, app, database }) => {
      const entity = loadTemplate(template);
      let status: number;
      let body: any;
      let calls: string[];
      let messages: { stepId?: string; status?: string; message: string }[];

      beforeAll(async () => {
        outbound.length = 0;
        const response = await fetch(`${base}/api/scaffolder/v2/dry-run`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            template: entity,
            values,
            secrets: {},
            directoryContents,
          }),
        });
        status = response.status;
        body = await response.json();
        calls = [...outbound];
        messages = (body.log ?? []).map((l: any) => ({
          ...l.body,
          message: plain(l.body.message),
        }));
      });

      it('succeeds, every step finished or skipped as a dry run must, with zero calls to Argo CD, a cluster or GitHub', () => {
        const lastStatus = Object.fromEntries(
          messages
            .filter(m => m.stepId && m.status && m.status !== 'processing')
            .map(m => [m.stepId, m.status]),
        );
        expect({ status, calls, steps: lastStatus }).toEqual({
          status: 200,
          calls: [],
          steps: Object.fromEntries(
            entity.spec.steps.map((s: any) => [
              s.id,
              skipped.includes(s.id) ? 'skipped' : 'completed',
            ]),
          ),
        });
        expect(body.steps.map((s: any) => s.id)).toEqual(
          entity.spec.steps.map((s: any) => s.id),
        );
      });

      it('renders exactly the repository a real run renders', async () => {
        const dryRunFiles = new Map<string, Buffer>(
          body.directoryContents.map((f: any) => [
            f.path,
            Buffer.from(f.base64Content, 'base64'),
          ]),
        );
        const out = mkdtempSync(join(tmpdir(), `runway-real-${template}-`));
        try {
          await renderTemplate({ template, parameters: values, outDir: out });
          const real = filesOf(out);
          expect([...dryRunFiles.keys()].sort()).toEqual(
            [...real.keys()].sort(),
          );
          for (const [path, content] of real) {
            expect({
              path,
              same: dryRunFiles.get(path)?.equals(content),
            }).toEqual({
              path,
              same: true,
            });
          }
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      });

      if (!app) return;

      it("names the Dockerfile's base images it would pin and where it would read their digests", () => {
        const file = body.directoryContents.find(
          (f: any) => f.path === 'Dockerfile',
        );
        const dockerfile = Buffer.from(file.base64Content, 'base64').toString();
        // The skeletons' FROM lines name images only (no stage is used as a base).
        const fromImages = [
          ...dockerfile.matchAll(/^FROM (?:--\S+ )*(\S+)/gm),
        ].map(m => m[1]);
        const wouldPin = messages
          .filter(m => m.stepId === 'pin-images')
          .map(m =>
            /^Dry run: would pin (\S+) in Dockerfile to the digest of (\S+)$/.exec(
              m.message,
            ),
          )
          .filter(Boolean)
          .map(m => ({ image: m![1], url: m![2] }));
        expect(wouldPin.map(p => p.image)).toEqual([
          'docker/dockerfile:1',
          ...new Set(fromImages),
        ]);
        for (const { image, url } of wouldPin) {
          const [name, tag] = image.startsWith('gcr.io/')
            ? [image.slice('gcr.io/'.length).split(':')[0], image.split(':')[1]]
            : image.split(':');
          expect(url).toBe(
            image.startsWith('gcr.io/')
              ? `https://gcr.io/v2/${name}/manifests/${tag}`
              : `https://registry-1.docker.io/v2/${
                  name.includes('/') ? name : `library/${name}`
                }/manifests/${tag}`,
          );
        }
      });

      it('shows the Argo CD Applications it would create: staging follows main, production pinned', () => {
        const applications = messages
          .filter(
            m => m.stepId === 'argocd' && /^Application \S+:\n/.test(m.message),
          )
          .map(m => parse(m.message.slice(m.message.indexOf('\n') + 1)));
        expect(
          applications.map(a => ({
            name: a.metadata.name,
            labels: a.metadata.labels,
            repoURL: a.spec.source.repoURL,
            path: a.spec.source.path,
            targetRevision: a.spec.source.targetRevision,
            valueFiles: a.spec.source.helm.valueFiles,
            destination: a.spec.destination,
          })),
        ).toEqual(
          ['staging', 'production'].map(environment => ({
            name: `${app}-${environment}`,
            labels: { 'backstage.io/kubernetes-id': app },
            repoURL: `https://github.com/${repoOwner}/${app}.git`,
            path: 'chart',
            // Production is pinned to the initial commit publish:github reports; a dry run
            // skips publishing, so the scaffolder's placeholder stands for it.
            targetRevision: environment === 'staging' ? 'main' : '<example>',
            valueFiles: [`values-${environment}.yaml`],
            destination: { name: environment, namespace: app },
          })),
        );
        const instance = configured ? 'main' : 'default';
        expect(
          messages.filter(
            m => m.stepId === 'argocd' && /^Dry run:/.test(m.message),
          ),
        ).toEqual([
          expect.objectContaining({
            message: `Dry run: would register ${app}-staging, ${app}-production on Argo CD instance '${instance}'; nothing was called`,
          }),
        ]);
        const argocdUrl = configured ? ARGOCD_URL : 'https://argocd.invalid';
        expect(
          body.output.links.filter((l: any) => /^Argo CD/.test(l.title)),
        ).toEqual([
          {
            title: 'Argo CD (staging)',
            url: `${argocdUrl}/applications/${app}-staging`,
          },
          {
            title: 'Argo CD (production)',
            url: `${argocdUrl}/applications/${app}-production`,
          },
        ]);
      });

      it('shows the CloudNativePG objects it would apply in each cluster exactly when a database is asked for', () => {
        const applies = messages.filter(
          m =>
            m.stepId === 'database' && /^Dry run: would apply/.test(m.message),
        );
        expect(
          applies.map(m => {
            const [heading, ...rest] = m.message.split('\n');
            const objects = parseAllDocuments(rest.join('\n')).map(d =>
              d.toJS(),
            );
            return {
              heading,
              objects: objects.map(
                o =>
                  `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
              ),
            };
          }),
        ).toEqual(
          (database ? ['staging', 'production'] : []).map(environment => ({
            heading: `Dry run: would apply to ${environment} (cluster ${environment}):`,
            objects: expect.arrayContaining([
              `Namespace /${app}`,
              `Cluster ${app}/${app}-db`,
            ]),
          })),
        );
        // With no cluster configured, the dry run says a real run would fail.
        expect(
          messages
            .filter(
              m =>
                m.stepId === 'database' &&
                /no Kubernetes cluster/.test(m.message),
            )
            .map(m => m.message.split(':')[0]),
        ).toEqual(
          database && !configured
            ? ['environments[0].cluster', 'environments[1].cluster']
            : [],
        );
      });
    },
  );
});
