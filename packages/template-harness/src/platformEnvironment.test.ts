import Ajv from 'ajv';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ControlPlane } from '@runway/control-plane';
import { dryRunPlatform, startPlatformServer } from './checks/apiServer';
import { goModuleChecks } from './checks/go';
import { helmBinary, K8sObject, renderChart } from './checks/manifests';
import {
  applicationCharts,
  applications,
  checkChartPins,
  helmReleaseCharts,
  platformVersions,
  readObjects,
  validatePlatformObjects,
} from './checks/platform';
import { checkReadme } from './checks/readme';
import {
  chartAssumptions,
  checkServiceChartContract,
  platformFacts,
} from './checks/serviceChartContract';
import {
  checkTerraformFacts,
  readModuleFacts,
  tofuFmtProblems,
} from './checks/terraform';
import { checkWorkflows, TERRAFORM_OIDC } from './checks/workflow';
import {
  loadTemplate,
  renderSkeleton,
  renderStep,
  renderTemplate,
} from './render';
import { findUnrendered, listFiles } from './repo';
import {
  catalogEntities,
  fetchedParts,
  itMatchesTheExample,
  stepActions,
} from './__testUtils__/sharedChecks';
import { partValues, platformParameters } from './__testUtils__/values';

jest.setTimeout(20 * 60_000);

const TEMPLATE = 'platform-environment';
const TERRAFORM = ['terraform/bootstrap', 'terraform/environment'];

/** The plan tests must skip: no AWS credential reaches the Terratest run. */
const WITHOUT_AWS = {
  AWS_PROFILE: '',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_WEB_IDENTITY_TOKEN_FILE: '',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
};

describe('platform-environment form', () => {
  const pages = loadTemplate(TEMPLATE).spec.parameters;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile({
    allOf: pages.map((page: any) => ({
      type: 'object',
      properties: page.properties,
      required: page.required,
      dependencies: page.dependencies,
    })),
  });
  const valid = () => {
    const { repoUrl: _repoUrl, ...rest } = platformParameters();
    return { ...rest, repoUrl: 'github.com?owner=example-org&repo=platform' };
  };

  it('accepts the example environment', () => {
    expect(validate(valid())).toBe(true);
  });

  it.each([
    ['environment', 'Staging', /environment must match pattern/],
    ['environment', 'st', /environment must NOT have fewer than 3 characters/],
    ['awsAccountId', '12345678901', /awsAccountId must match pattern/],
    ['awsRegion', 'eu-west', /awsRegion must match pattern/],
    ['vpcCidr', '10.0.0.0/8', /vpcCidr must match pattern/],
    ['vpcCidr', '11.0.0.0/16', /vpcCidr must match pattern/],
    ['azCount', 4, /azCount must be equal to one of the allowed values/],
    ['kubernetesVersion', '1.3', /kubernetesVersion must match pattern/],
    ['domain', 'Example.com', /domain must match pattern/],
  ])('refuses %s %j, naming the rule', (field, value, rule) => {
    expect(validate({ ...valid(), [field]: value })).toBe(false);
    expect(ajv.errorsText(validate.errors, { dataVar: '' })).toMatch(rule);
  });

  it('asks for the endpoint of an existing Elasticsearch or OpenSearch', () => {
    expect(validate({ ...valid(), logBackend: 'opensearch' })).toBe(false);
    expect(ajv.errorsText(validate.errors, { dataVar: '' })).toMatch(
      /must have required property 'logEndpoint'/,
    );
    expect(
      validate({
        ...valid(),
        logBackend: 'opensearch',
        logEndpoint: 'https://search-logs.eu-west-1.es.amazonaws.com',
      }),
    ).toBe(true);
    expect(
      validate({
        ...valid(),
        logBackend: 'elasticsearch',
        logEndpoint: 'http://logs:9200',
      }),
    ).toBe(false);
  });
});

describe('platform-environment steps', () => {
  it('renders its skeleton, publishes and registers the repository', () => {
    expect(fetchedParts(TEMPLATE)).toEqual(['./platform-environment/skeleton']);
    expect(stepActions(TEMPLATE)).toEqual([
      'fetch:template',
      'publish:github',
      'catalog:register',
    ]);
  });

  it('hands the skeleton the platform pin list (versions.yaml)', () => {
    const step = loadTemplate(TEMPLATE).spec.steps[0];
    expect(step.input.values.versions).toEqual(platformVersions());
  });
});

describe('platform-environment rendered repository', () => {
  const work = mkdtempSync(join(tmpdir(), 'runway-platform-'));
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startPlatformServer();
  }, 300_000);

  afterAll(async () => {
    await plane?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  describe.each([
    {
      variant: 'ECK logs, ECR, 3 zones',
      parameters: {},
      files: { ingress: false, eck: true },
      unchecked: [],
    },
    {
      variant: 'ingress domain, OpenSearch, no ECR, 2 zones',
      parameters: {
        domain: 'staging.example.com',
        logBackend: 'opensearch',
        logEndpoint: 'https://search-logs-abc.eu-west-1.es.amazonaws.com',
        createEcrRepositories: false,
        azCount: 2,
      },
      files: { ingress: true, eck: false },
      // cert-manager's kinds: no schema of them in ../shared/crd-schemas.
      unchecked: [
        'cert-manager.io/v1 Certificate',
        'cert-manager.io/v1 ClusterIssuer',
      ],
    },
    {
      variant: 'production, existing Elasticsearch',
      parameters: {
        environment: 'production',
        logBackend: 'elasticsearch',
        logEndpoint: 'https://logs.example.com:9243',
        vpcCidr: '172.20.0.0/20',
      },
      files: { ingress: false, eck: false },
      unchecked: [],
    },
  ])('$variant', ({ parameters, files, unchecked }) => {
    const repo = join(work, Object.keys(parameters).join('-') || 'default');

    beforeAll(async () => {
      await renderTemplate({
        template: TEMPLATE,
        parameters: platformParameters(parameters),
        outDir: repo,
      });
    });

    it('leaves nothing unrendered', () => {
      expect(findUnrendered(repo)).toEqual([]);
    });

    it('renders the ingress and ECK files only when asked for', () => {
      const rendered = listFiles(repo);
      expect({
        ingress: rendered.includes('addons/ingress.yaml'),
        gateway: rendered.includes('manifests/ingress/gateway.yaml'),
        eck: rendered.includes('addons/eck-stack.yaml'),
      }).toEqual({
        ingress: files.ingress,
        gateway: files.ingress,
        eck: files.eck,
      });
    });

    it('is formatted as tofu fmt formats it', async () => {
      expect(await tofuFmtProblems(join(repo, 'terraform'))).toEqual([]);
    });

    it('calls the community modules with variables and outputs of their pinned versions, pins every provider, writes no credential or account id', async () => {
      const facts = await readModuleFacts(repo, TERRAFORM);
      expect(facts.map(f => f.dir)).toEqual(TERRAFORM);
      expect(facts.flatMap(f => checkTerraformFacts(f))).toEqual([]);
      // The checks saw the modules they are about.
      expect(facts[1].modules.map(m => m.source)).toEqual(
        expect.arrayContaining([
          'terraform-aws-modules/vpc/aws',
          'terraform-aws-modules/eks/aws',
          'terraform-aws-modules/eks/aws//modules/karpenter',
        ]),
      );
    });

    it('installs exactly the chart versions of versions.yaml: add-ons by Argo CD, Argo CD by Terraform', async () => {
      const installed = [
        ...applicationCharts(readObjects(repo, ['addons'])),
        ...helmReleaseCharts(await readModuleFacts(repo, TERRAFORM)),
      ];
      const optional = files.eck ? [] : ['eck-operator', 'eck-stack'];
      expect(checkChartPins(installed, platformVersions(), optional)).toEqual(
        [],
      );
    });

    it('validates every add-on and platform object against the CRD schemas', () => {
      const objects = readObjects(repo, ['addons', 'manifests']);
      expect(validatePlatformObjects(objects)).toEqual({
        problems: [],
        unchecked,
      });
      expect(new Set(objects.map(o => o.kind))).toEqual(
        new Set([
          'AppProject',
          'Application',
          'EC2NodeClass',
          'NodePool',
          'PeerAuthentication',
          'PodMonitor',
          'ServiceMonitor',
          ...(files.ingress ? ['Gateway', 'ClusterIssuer', 'Certificate'] : []),
        ]),
      );
    });

    it('has add-ons and platform objects that a real API server with the pinned CRDs accepts (dry-run)', async () => {
      const objects = readObjects(repo, ['addons', 'manifests']).map(
        ({ file: _file, ...object }) => object,
      );
      expect(await dryRunPlatform(plane, objects)).toEqual({
        problems: [],
        // cert-manager's CRDs are not in the pin list's crds.
        unserved: unchecked,
      });
    });

    it('has a workflow that passes actionlint with every action pinned, OIDC only for AWS', async () => {
      expect(await checkWorkflows(repo, undefined, TERRAFORM_OIDC)).toEqual([]);
    });

    it('has a README whose commands and paths match the files', () => {
      expect(checkReadme(repo)).toEqual([]);
    });

    it("is published with main protected by its workflow's pull-request checks", () => {
      const { jobs } = parse(
        readFileSync(join(repo, '.github/workflows/terraform.yaml'), 'utf8'),
      );
      const onPullRequests = Object.values(jobs)
        .filter((job: any) => !String(job.if ?? '').includes("'push'"))
        .map((job: any) => job.name);
      const publish = renderStep(TEMPLATE, 'publish', {
        parameters: platformParameters(parameters),
      });
      expect(publish.input).toMatchObject({
        protectDefaultBranch: true,
        requiredStatusCheckContexts: onPullRequests,
        requireBranchesToBeUpToDate: true,
      });
      expect(onPullRequests).toEqual([
        'Format, validate, offline tests',
        'Plan',
      ]);
    });

    it('has a catalog entity for its cluster', () => {
      const environment = platformParameters(parameters).environment;
      expect(catalogEntities(repo)).toEqual([
        expect.objectContaining({
          kind: 'Resource',
          metadata: expect.objectContaining({
            name: `eks-${environment}`,
            annotations: {
              'github.com/project-slug': 'example-org/platform-staging',
            },
          }),
          spec: {
            type: 'kubernetes-cluster',
            owner: 'group:default/platform-team',
          },
        }),
      ]);
    });

    it('passes its own Terratest suite offline: go vet, go test; the plan tests skip without AWS', async () => {
      const output = await goModuleChecks(join(repo, 'test'), {
        race: false,
        env: WITHOUT_AWS,
      });
      expect(output).toMatch(/--- PASS: TestEveryVariableIsTypedAndDescribed/);
      expect(output).toMatch(
        /--- PASS: TestSyncWavesInstallWhatAnAddonNeedsBeforeIt/,
      );
      expect(output).toMatch(
        /plan_test\.go:\d+: no AWS credentials [^\n]*\n--- SKIP: TestEnvironmentPlan/,
      );
    });
  });

  it('has a Terratest suite that fails on an undescribed variable and on an add-on synced before what it needs', async () => {
    const repo = join(work, 'broken');
    await renderTemplate({
      template: TEMPLATE,
      parameters: platformParameters(),
      outDir: repo,
    });
    const variables = join(repo, 'terraform/environment/variables.tf');
    writeFileSync(
      variables,
      readFileSync(variables, 'utf8').replace(
        /(variable "az_count" \{\n {2}type {8}= number\n) {2}description = "[^"]*"\n/,
        '$1',
      ),
    );
    const karpenter = join(repo, 'addons/karpenter.yaml');
    writeFileSync(
      karpenter,
      readFileSync(karpenter, 'utf8').replace(
        'sync-wave: "-5"',
        'sync-wave: "-3"',
      ),
    );
    const failure = goModuleChecks(join(repo, 'test'), {
      race: false,
      env: WITHOUT_AWS,
    });
    await expect(failure).rejects.toThrow(
      /variable "az_count" has no description/,
    );
    await expect(failure).rejects.toThrow(
      /karpenter-nodes \(wave -4\) needs karpenter, which syncs in wave -3/,
    );
  });

  itMatchesTheExample({
    template: TEMPLATE,
    parameters: platformParameters(),
    workDir: () => work,
  });
});

describe('the platform and the service chart (templates/skeletons/chart) agree', () => {
  const work = mkdtempSync(join(tmpdir(), 'runway-platform-contract-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** The service chart's objects for every environment and option, and its default values. */
  async function renderServiceChart() {
    const objects: K8sObject[] = [];
    let values: Record<string, any> = {};
    for (const variant of [
      { canary: true, language: 'go' },
      { canary: false, language: 'typescript' },
      { canary: true, language: 'web', backendName: 'orders-api' },
    ]) {
      const dir = join(work, `chart-${variant.language}-${variant.canary}`);
      await renderSkeleton({
        skeleton: 'skeletons/chart',
        values: partValues(variant),
        outDir: dir,
      });
      const chart = join(dir, 'chart');
      values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
      for (const file of ['values-staging.yaml', 'values-production.yaml']) {
        objects.push(...(await renderChart(helmBinary(), chart, file)));
      }
    }
    return { objects, values };
  }

  it("gets from the platform's add-ons what the chart assumes", async () => {
    const platformRepo = join(work, 'platform');
    await renderTemplate({
      template: TEMPLATE,
      parameters: platformParameters(),
      outDir: platformRepo,
    });
    const { objects, values } = await renderServiceChart();
    const chart = chartAssumptions(objects, values);
    const platform = platformFacts(
      applications(readObjects(platformRepo, ['addons'])),
    );

    // Both sides were read: the chart assumes monitors, dashboards and a mesh...
    expect([...new Set(chart.monitors.map(m => m.kind))].sort()).toEqual([
      'PodMonitor',
      'PrometheusRule',
    ]);
    // (every variant renders the service orders-api)
    expect(chart.mergedMetricsScrapes).toEqual(['PodMonitor/orders-api']);
    expect(chart.istioRollouts).toEqual(['Rollout/orders-api']);
    expect([...new Set(chart.dashboards.map(d => d.name))]).toEqual([
      'orders-api-dashboard',
    ]);
    // (the canary variants run a Rollout, the others a Deployment; the migration Job stays out)
    expect(chart.meshWorkloads).toEqual([
      'Deployment/orders-api',
      'Rollout/orders-api',
    ]);
    expect(chart.monitoringNamespace).toBe(platform.prometheus?.namespace);
    // ...and the platform provides them.
    expect(platform.prometheus?.url).toBe(
      'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
    );
    expect(checkServiceChartContract(chart, platform)).toEqual([]);
    expect(
      existsSync(join(platformRepo, 'addons/kube-prometheus-stack.yaml')),
    ).toBe(true);
  });
});
