import {
  checkSemantics,
  helmBinary,
  K8sObject,
  renderChart,
  validateSchemas,
} from '@runway/template-harness';
import { dryRunObjects, startControlPlane } from '@runway/control-plane';
import { validateCrd } from '@runway/testing';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  applicationYaml,
  PORTAL_CHART_PATH,
  PORTAL_RELEASE,
  portalApplication,
} from './application';
import {
  backendContainer,
  lintProductionChart,
  PORTAL_NAMESPACE,
  portalDeployment,
  productionConfig,
  productionValues,
  renderProductionChart,
} from './chart';
import { databaseTemplate, portalDatabaseObjects } from './database';
import { generatedFiles } from './generate';
import { applicationFile, chartDir, repoRoot } from './paths';
import { checkProductionChart } from './productionChecks';

const DATABASE_KINDS = ['ObjectStore', 'Cluster', 'ScheduledBackup'];
/** The pin list's components whose CRDs the chart renders objects of. */
const PORTAL_CRDS = [
  'istio',
  'cloudnative-pg',
  'barman-cloud-plugin',
  'secrets-store-csi-driver',
];

/** Objects in a stable order (helm sorts by kind, the builder by apply order). */
const sorted = (list: K8sObject[]) =>
  [...list].sort((a, b) =>
    `${a.kind}/${a.metadata?.name}`.localeCompare(
      `${b.kind}/${b.metadata?.name}`,
    ),
  );

const isCustomResource = (o: K8sObject) => {
  const group = (o.apiVersion ?? '').split('/')[0];
  return (
    (o.apiVersion ?? '').includes('/') &&
    group.includes('.') &&
    !group.endsWith('.k8s.io')
  );
};

/** A values file with the production values plus an override, in a temporary folder. */
function valuesFile(dir: string, override: Record<string, unknown>): string {
  const file = join(dir, `values-${Math.random().toString(36).slice(2)}.yaml`);
  const production = parse(
    readFileSync(join(chartDir, 'values-production.yaml'), 'utf8'),
  );
  const merge = (a: any, b: any): any =>
    b &&
    typeof b === 'object' &&
    !Array.isArray(b) &&
    a &&
    typeof a === 'object'
      ? Object.fromEntries(
          [...new Set([...Object.keys(a), ...Object.keys(b)])].map(k => [
            k,
            k in b ? merge(a[k], b[k]) : a[k],
          ]),
        )
      : b;
  writeFileSync(file, stringify(merge(production, override)));
  return file;
}

describe('deploy/chart with the production values', () => {
  let objects: K8sObject[];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runway-chart-'));
    objects = await renderProductionChart();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes helm lint --strict', async () => {
    await expect(lintProductionChart()).resolves.toBeUndefined();
  });

  it('renders the portal, its database and its mesh objects', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(
      [
        'Cluster/runway-db',
        'Deployment/runway',
        'HorizontalPodAutoscaler/runway',
        'NetworkPolicy/runway',
        'NetworkPolicy/runway-db',
        'ObjectStore/runway-db-backup',
        'PeerAuthentication/runway',
        'PodDisruptionBudget/runway',
        'ScheduledBackup/runway-db-backup',
        'SecretProviderClass/runway',
        'Service/runway',
        'ServiceAccount/runway',
        'VirtualService/runway',
      ].sort(),
    );
  });

  it('validates custom resources against ../shared/crd-schemas', () => {
    const custom = objects.filter(isCustomResource);
    expect(custom.map(o => o.kind).sort()).toEqual(
      [
        'Cluster',
        'ObjectStore',
        'PeerAuthentication',
        'ScheduledBackup',
        'SecretProviderClass',
        'VirtualService',
      ].sort(),
    );
    // The Barman Cloud plugin's ObjectStore has no schema there: the API server below
    // validates it with the plugin's own CRD.
    expect(
      validateSchemas(objects.filter(o => o.kind !== 'ObjectStore')),
    ).toEqual([]);
  });

  it('is accepted by a real API server: dry-run with strict field validation and Pod Security "restricted"', async () => {
    const plane = await startControlPlane({ crds: PORTAL_CRDS });
    try {
      expect(
        await dryRunObjects(plane, objects as any[], {
          namespace: PORTAL_NAMESPACE,
          podSecurity: 'restricted',
        }),
      ).toEqual([]);
      // The same server refuses what restricted forbids: the check can fail.
      const root = structuredClone(objects) as any[];
      const pod = portalDeployment(root).spec.template.spec;
      pod.securityContext.runAsNonRoot = false;
      pod.containers[0].securityContext.runAsNonRoot = false;
      const refused = await dryRunObjects(plane, root, {
        namespace: PORTAL_NAMESPACE,
      });
      expect(refused.join('\n')).toContain('runAsNonRoot != true');
    } finally {
      await plane.stop();
    }
  }, 180_000);

  it("follows Runway's conventions: Pod Security restricted, Backstage labels, mesh routing", () => {
    expect(checkSemantics(objects, { namespace: PORTAL_NAMESPACE })).toEqual(
      [],
    );
  });

  it('runs as several replicas in production: replicas, drains, probes, shutdown, secrets, spread, IAM, database', () => {
    expect(
      checkProductionChart(objects, {
        config: productionConfig(),
        values: productionValues(),
      }),
    ).toEqual([]);
  });

  it('exposes nothing secret: env vars are names, values and references only', () => {
    const container = backendContainer(portalDeployment(objects));
    const literal = container.env
      .filter((e: any) => e.value !== undefined)
      .map((e: any) => e.name)
      .sort();
    expect(literal).toEqual([
      'APP_BASE_URL',
      'ARGOCD_URL',
      'AWS_REGION',
      'K8S_PRODUCTION_CA_DATA',
      'K8S_PRODUCTION_URL',
      'K8S_STAGING_CA_DATA',
      'K8S_STAGING_URL',
      'RUNWAY_TEMPLATES_URL',
      'TECHDOCS_S3_BUCKET',
    ]);
    const references = Object.fromEntries(
      container.env
        .filter((e: any) => e.valueFrom)
        .map((e: any) => [
          e.name,
          `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`,
        ]),
    );
    expect(references).toEqual({
      ARGOCD_AUTH_TOKEN: 'runway-secrets/argocd-auth-token',
      AUTH_GITHUB_CLIENT_ID: 'runway-secrets/auth-github-client-id',
      AUTH_GITHUB_CLIENT_SECRET: 'runway-secrets/auth-github-client-secret',
      GITHUB_TOKEN: 'runway-secrets/github-token',
      POSTGRES_CA: 'runway-db-ca/ca.crt',
      POSTGRES_DB: 'runway-db-app/dbname',
      POSTGRES_HOST: 'runway-db-app/host',
      POSTGRES_PASSWORD: 'runway-db-app/password',
      POSTGRES_PORT: 'runway-db-app/port',
      POSTGRES_USER: 'runway-db-app/username',
    });
  });

  it('renders exactly the objects cnpg:database:create builds for the portal', () => {
    const values = productionValues();
    const rendered = objects.filter(o => DATABASE_KINDS.includes(o.kind!));
    expect(sorted(rendered)).toEqual(
      sorted(
        portalDatabaseObjects(
          PORTAL_RELEASE,
          PORTAL_NAMESPACE,
          values.database,
        ),
      ),
    );
  });

  it.each([
    [
      'another release, namespace, bucket and schedule',
      'portal',
      'platform-portal',
      {
        storageSize: '50Gi',
        backup: {
          destinationPath: 's3://acme-backups/portal/pg',
          roleArn: 'arn:aws:iam::210987654321:role/portal-pg',
          retentionPolicy: '8w',
          schedule: '@daily',
        },
      },
    ],
  ])(
    'renders the builder objects for %s',
    async (_, release, namespace, database) => {
      const rendered = (
        await renderChart(
          helmBinary(),
          chartDir,
          valuesFile(dir, { database }),
          { release, namespace },
        )
      ).filter(o => DATABASE_KINDS.includes(o.kind!));
      expect(sorted(rendered)).toEqual(
        sorted(
          portalDatabaseObjects(release, namespace, {
            ...productionValues().database,
            ...database,
          }),
        ),
      );
    },
  );

  it.each([
    [
      'an empty image tag',
      { image: { tag: '' } },
      'image.tag is empty: set the commit SHA of the image in values-production.yaml',
    ],
    [
      'a single replica',
      { autoscaling: { minReplicas: 1 } },
      "at '/autoscaling/minReplicas': minimum: got 1, want 2",
    ],
    [
      'a backup path with a trailing slash',
      { database: { backup: { destinationPath: 's3://bucket/' } } },
      "at '/database/backup/destinationPath': 's3://bucket/' does not match pattern",
    ],
    [
      'a probe off the health endpoints',
      { probes: { readiness: { path: '/' } } },
      "at '/probes/readiness/path': value must be '/.backstage/health/v1/readiness'",
    ],
    [
      'an unknown value',
      { replicas: 3 },
      "additional properties 'replicas' not allowed",
    ],
  ])('refuses %s, naming the value', async (_, override, message) => {
    await expect(
      renderProductionChart(valuesFile(dir, override)),
    ).rejects.toThrow(message);
  });
});

describe('generated parts of deploy/', () => {
  it('are what the builders build today', () => {
    for (const { file, content } of generatedFiles()) {
      expect({ file, content: readFileSync(file, 'utf8') }).toEqual({
        file,
        content,
      });
    }
    expect(databaseTemplate()).toContain('{{- if .Values.database.enabled }}');
  });

  it("the portal's Application deploys this chart as the release the chart expects", () => {
    const application = parse(readFileSync(applicationFile, 'utf8'));
    expect(application).toEqual(portalApplication());
    expect(validateCrd(application)).toEqual([]);
    expect(application.spec.source.path).toBe(PORTAL_CHART_PATH);
    expect(application.spec.source.helm.releaseName).toBe(PORTAL_RELEASE);
    expect(application.spec.destination.namespace).toBe(PORTAL_NAMESPACE);
    for (const file of application.spec.source.helm.valueFiles) {
      expect(existsSync(join(repoRoot, PORTAL_CHART_PATH, file))).toBe(true);
    }
    expect(
      applicationYaml({
        repoUrl: 'https://github.com/acme/runway',
        targetRevision: 'v1.2.0',
        namespace: 'portal',
        project: 'platform',
        applicationNamespace: 'argocd',
      }),
    ).toContain('repoURL: https://github.com/acme/runway\n');
  });
});
