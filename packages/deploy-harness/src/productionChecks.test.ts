import { K8sObject } from '@runway/template-harness';
import {
  productionConfig,
  productionValues,
  renderProductionChart,
} from './chart';
import {
  checkProductionChart,
  configVariables,
  connectionBudget,
  poolMax,
  secretsInValues,
} from './productionChecks';

type Mutation = (objects: any[], context: { config: any; values: any }) => void;

const find = (objects: any[], kind: string, name = 'runway') =>
  objects.find(o => o.kind === kind && o.metadata.name === name);
const container = (objects: any[]) =>
  find(objects, 'Deployment').spec.template.spec.containers[0];
const pod = (objects: any[]) => find(objects, 'Deployment').spec.template;

describe('checkProductionChart', () => {
  let rendered: K8sObject[];
  beforeAll(async () => {
    rendered = await renderProductionChart();
  });

  const run = (mutate?: Mutation) => {
    const objects = structuredClone(rendered) as any[];
    const context = { config: productionConfig(), values: productionValues() };
    mutate?.(objects, context);
    return checkProductionChart(objects, context);
  };

  it('accepts the chart as rendered with the production values', () => {
    expect(run()).toEqual([]);
  });

  it.each<[string, Mutation, string]>([
    [
      'one replica',
      o => (find(o, 'HorizontalPodAutoscaler').spec.minReplicas = 1),
      'Deployment/runway: runs 1 replica(s) at least (HorizontalPodAutoscaler/runway); the portal needs two or more',
    ],
    [
      'replicas next to an HPA',
      o => (find(o, 'Deployment').spec.replicas = 2),
      'Deployment/runway: sets spec.replicas while HorizontalPodAutoscaler/runway scales it (Argo CD would fight the HPA)',
    ],
    [
      'a PDB that blocks drains',
      o => {
        const spec = find(o, 'PodDisruptionBudget').spec;
        delete spec.maxUnavailable;
        spec.minAvailable = 2;
      },
      'PodDisruptionBudget/runway: allows no disruption with 2 replicas, so it blocks node drains',
    ],
    [
      'no PDB',
      o => o.splice(o.indexOf(find(o, 'PodDisruptionBudget')), 1),
      'Deployment/runway: no PodDisruptionBudget selects its pods',
    ],
    [
      'readiness on the app root',
      o => (container(o).readinessProbe.httpGet.path = '/'),
      "Deployment/runway: readinessProbe is on /, not Backstage's /.backstage/health/v1/readiness",
    ],
    [
      'no liveness probe',
      o => delete container(o).livenessProbe,
      'Deployment/runway: container backend has no livenessProbe',
    ],
    [
      'a slow readiness probe',
      o => (container(o).readinessProbe.periodSeconds = 10),
      'app-config.production.yaml: backend.lifecycle.serverShutdownDelay is 15 s; the readiness probe needs up to 22 s to notice a shutdown, plus 5 s for the endpoint change to spread',
    ],
    [
      'a grace period shorter than the drain',
      o => (pod(o).spec.terminationGracePeriodSeconds = 60),
      "Deployment/runway: terminationGracePeriodSeconds 60 is not longer than the backend's drain: serverShutdownDelay (15 s) plus the event bus' long polls (55 s)",
    ],
    [
      'no shutdown delay',
      (_, c) => delete c.config.backend.lifecycle,
      'app-config.production.yaml: backend.lifecycle.serverShutdownDelay is not set',
    ],
    [
      'a sidecar that stops before the backend',
      o =>
        (pod(o).metadata.annotations['proxy.istio.io/config'] =
          'terminationDrainDuration: 5s'),
      "Deployment/runway: the Istio sidecar drains for 5 s, less than the backend's serverShutdownDelay (15 s)",
    ],
    [
      'a token in the values',
      (_, c) => (c.values.env.ARGOCD_AUTH_TOKEN = 'abc'),
      'values: env.ARGOCD_AUTH_TOKEN holds a secret; use secrets (Secrets Manager)',
    ],
    [
      'a token as a plain env var',
      o =>
        container(o).env.push({ name: 'GITHUB_TOKEN', value: 'placeholder' }),
      'Deployment/runway: env GITHUB_TOKEN is a plain value; a secret must come from a secretKeyRef',
    ],
    [
      'a rendered Secret',
      o =>
        o.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'runway-extra' },
        }),
      'Secret/runway-extra: the chart must not render Secrets',
    ],
    [
      'a variable the config reads but the chart does not set',
      (_, c) => (c.config.app.title = '${APP_TITLE}'),
      'Deployment/runway: app-config.production.yaml reads ${APP_TITLE}, which the container does not set',
    ],
    [
      'a secret no SecretProviderClass syncs',
      o =>
        container(o).env.push({
          name: 'SONAR_TOKEN',
          valueFrom: { secretKeyRef: { name: 'runway-secrets', key: 'sonar' } },
        }),
      'Deployment/runway: env SONAR_TOKEN reads runway-secrets/sonar, which no SecretProviderClass syncs (nor CloudNativePG creates)',
    ],
    [
      'the CSI volume missing',
      o =>
        (pod(o).spec.volumes = pod(o).spec.volumes.filter((v: any) => !v.csi)),
      'Deployment/runway: does not mount the CSI volume of SecretProviderClass/runway, so its Secret is never synced',
    ],
    [
      'a ServiceAccount without an IAM role',
      (o, c) => {
        delete find(o, 'ServiceAccount').metadata.annotations;
        delete find(o, 'SecretProviderClass').spec.parameters.usePodIdentity;
        c.values.serviceAccount.roleArn = '';
      },
      'ServiceAccount/runway: no IAM role: neither IRSA (eks.amazonaws.com/role-arn) nor EKS Pod Identity (SecretProviderClass parameters.usePodIdentity "true"); production needs one to reach the EKS clusters, S3 and Secrets Manager',
    ],
    [
      'an IRSA role while the CSI provider uses Pod Identity',
      (o, c) => {
        find(o, 'ServiceAccount').metadata.annotations = {
          'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/portal',
        };
        c.values.serviceAccount.roleArn =
          'arn:aws:iam::123456789012:role/portal';
      },
      'SecretProviderClass/runway: uses Pod Identity while the ServiceAccount has an IRSA role',
    ],
    [
      'no spread over zones',
      o =>
        (pod(o).spec.topologySpreadConstraints = pod(
          o,
        ).spec.topologySpreadConstraints.filter(
          (c: any) => c.topologyKey !== 'topology.kubernetes.io/zone',
        )),
      'Deployment/runway: no topology spread over topology.kubernetes.io/zone',
    ],
    [
      'no NetworkPolicy for the pods',
      o => o.splice(o.indexOf(find(o, 'NetworkPolicy')), 1),
      'Deployment/runway: no NetworkPolicy selects its pods',
    ],
    [
      'a single-instance database',
      o => (find(o, 'Cluster', 'runway-db').spec.instances = 1),
      "Cluster/runway-db: 1 instance(s); the portal's database runs three",
    ],
    [
      'no scheduled backup',
      o =>
        o.splice(o.indexOf(find(o, 'ScheduledBackup', 'runway-db-backup')), 1),
      'Cluster/runway-db: no ScheduledBackup',
    ],
  ])('reports %s', (_, mutate, problem) => {
    expect(run(mutate)).toEqual([problem]);
  });
});

describe('configVariables', () => {
  it.each([
    [
      { a: '${A}', b: ['x ${B} ${C}'], c: { d: '${D:-default}' } },
      ['A', 'B', 'C'],
    ],
    [{ a: 'plain', n: 3 }, []],
  ])('reads the variables of %j', (config, variables) => {
    expect(configVariables(config)).toEqual(variables);
  });
});

describe('secretsInValues', () => {
  it.each([
    [{ auth: { password: 'hunter2' } }, ['auth.password']],
    [{ auth: { password: '' } }, []],
    [{ env: { SOME: 'ghp_0123456789abcdefghijABCDEFGHIJ' } }, ['env.SOME']],
    [{ list: ['AKIAABCDEFGHIJKLMNOP'] }, ['list[0]']],
    [
      {
        secrets: [
          {
            name: 'github-token',
            objectName: 'runway/portal',
            key: 'githubToken',
          },
        ],
      },
      [],
    ],
  ])('finds the secrets of %j', (values, paths) => {
    expect(secretsInValues(values)).toEqual(paths);
  });
});

describe('connectionBudget', () => {
  const config = {
    backend: {
      database: {
        knexConfig: { pool: { max: 2 } },
        plugin: { catalog: { knexConfig: { pool: { max: 5 } } } },
      },
    },
  };
  it.each([
    [['catalog', 'auth'], 2, 1, { perReplica: 7, total: 24 }],
    [['auth', 'app', 'search'], 3, 0, { perReplica: 6, total: 21 }],
  ])(
    'counts %j on %i replicas plus %i surge',
    (plugins, maxReplicas, maxSurge, budget) => {
      expect(
        connectionBudget({ config, plugins, maxReplicas, maxSurge }),
      ).toEqual(budget);
    },
  );

  it("falls back to knex's pool of 10", () => {
    expect(poolMax({}, 'catalog')).toBe(10);
  });
});
