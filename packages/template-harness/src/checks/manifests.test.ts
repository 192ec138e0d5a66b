import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSkeleton } from '../render';
import {
  K8sObject,
  checkManifests,
  helmBinary,
  lintChart,
  renderChart,
  repoRoot,
} from './manifests';
import { checkPrometheusRules, promtoolBinary } from './prometheusRules';
import { partValues } from '../__testUtils__/values';

const id = { 'backstage.io/kubernetes-id': 'orders-api' };
const selector = {
  'app.kubernetes.io/name': 'orders-api',
  'app.kubernetes.io/instance': 'orders-api',
};

/** A small, valid canary setup: every case below breaks exactly one rule of it. */
function fixture(): K8sObject[] {
  const deployment = (track: string): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: track === 'stable' ? 'orders-api' : 'orders-api-canary',
      labels: { ...id },
    },
    spec: {
      selector: { matchLabels: { ...selector, track } },
      template: {
        metadata: { labels: { ...selector, ...id, track, version: 'abc123' } },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'orders-api',
              image: 'example/orders-api:abc123',
              ports: [{ name: 'http', containerPort: 8080 }],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  });
  const destination = (subset: string) => ({
    host: 'orders-api',
    subset,
    port: { number: 80 },
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders-api', labels: { ...id } },
      spec: {
        selector: { ...selector },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    },
    deployment('stable'),
    deployment('canary'),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'orders-api', labels: { ...id } },
      spec: {
        hosts: ['orders-api'],
        http: [
          {
            name: 'canary-header',
            match: [{ headers: { 'x-canary': { exact: 'true' } } }],
            route: [{ destination: destination('canary') }],
          },
          {
            name: 'default',
            route: [
              { destination: destination('stable'), weight: 90 },
              { destination: destination('canary'), weight: 10 },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'orders-api', labels: { ...id } },
      spec: {
        host: 'orders-api.default.svc.cluster.local',
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        subsets: [
          { name: 'stable', labels: { track: 'stable' } },
          { name: 'canary', labels: { track: 'canary' } },
        ],
      },
    },
  ];
}

const byKind = (objects: K8sObject[], kind: string, index = 0): any =>
  objects.filter(o => o.kind === kind)[index];
const container = (objects: K8sObject[], index = 0): any =>
  byKind(objects, 'Deployment', index).spec.template.spec.containers[0];
const vsRules = (objects: K8sObject[]): any[] =>
  byKind(objects, 'VirtualService').spec.http;

type Case = [string, (objects: K8sObject[]) => void, string[]];

// [rule, change to the fixture, the problems expected (each a substring)]
const cases: Case[] = [
  ['the fixture', () => {}, []],
  // strict schemas: built-in kinds and metadata are the API server's (apiServer.test.ts)
  [
    'a kind without a schema',
    o =>
      o.push({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', labels: { ...id } },
      }),
    ['Widget/w: no schema for example.com/v1 Widget'],
  ],
  // strict schemas: custom resources
  [
    'unknown field in a VirtualService',
    o => (vsRules(o)[1].retry = { attempts: 3 }),
    ['VirtualService/orders-api: unknown field /spec/http/1/retry'],
  ],
  [
    'unknown top-level field in a custom resource',
    o => (byKind(o, 'DestinationRule').specs = {}),
    ['DestinationRule/orders-api: unknown field /specs'],
  ],
  [
    'wrong enum value in a custom resource',
    o =>
      (byKind(o, 'DestinationRule').spec.trafficPolicy.tls.mode =
        'MUTUAL_ISTIO'),
    [
      'DestinationRule/orders-api: /spec/trafficPolicy/tls/mode must be equal to one of the allowed values',
    ],
  ],
  // routing, through canary-common (delivery.test.ts has the Rollout rules)
  [
    'weights that do not sum to 100',
    o => (vsRules(o)[1].route[1].weight = 20),
    [
      'VirtualService/orders-api: WEIGHTS_DO_NOT_SUM_TO_100: The weights of the default route of VirtualService default/orders-api add up to 110 (stable 90, canary 20); make them add up to 100.',
    ],
  ],
  [
    'a subset the DestinationRule does not define',
    o =>
      (byKind(o, 'DestinationRule').spec.subsets = [
        { name: 'stable', labels: { track: 'stable' } },
      ]),
    [
      "VirtualService/orders-api: UNKNOWN_SUBSET: VirtualService default/orders-api routes to subset 'canary' of host 'orders-api', which DestinationRule default/orders-api does not define",
    ],
  ],
  [
    'no default route',
    o => (vsRules(o)[1].match = [{ uri: { prefix: '/' } }]),
    [
      'VirtualService/orders-api: UNROUTED_TRAFFIC: VirtualService default/orders-api has a match condition on every HTTP rule',
    ],
  ],
  // Service selector
  [
    'a version label in the Service selector',
    o => (byKind(o, 'Service').spec.selector.version = 'abc123'),
    ['Service/orders-api: the selector must not contain the "version" label'],
  ],
  [
    'a track label in the Service selector',
    o => (byKind(o, 'Service').spec.selector.track = 'stable'),
    ['Service/orders-api: the selector must not contain the "track" label'],
  ],
  // Pod Security "restricted"
  [
    'runAsNonRoot missing',
    o =>
      delete byKind(o, 'Deployment').spec.template.spec.securityContext
        .runAsNonRoot,
    ['Deployment/orders-api: container orders-api: runAsNonRoot must be true'],
  ],
  [
    'runAsNonRoot on the container is enough',
    o => {
      delete byKind(o, 'Deployment').spec.template.spec.securityContext
        .runAsNonRoot;
      container(o).securityContext.runAsNonRoot = true;
    },
    [],
  ],
  [
    'runAsUser 0',
    o => (container(o).securityContext.runAsUser = 0),
    ['Deployment/orders-api: container orders-api: runAsUser must not be 0'],
  ],
  [
    'a writable root filesystem',
    o => (container(o).securityContext.readOnlyRootFilesystem = false),
    [
      'Deployment/orders-api: container orders-api: readOnlyRootFilesystem must be true',
    ],
  ],
  [
    'privilege escalation not disabled',
    o => delete container(o).securityContext.allowPrivilegeEscalation,
    [
      'Deployment/orders-api: container orders-api: allowPrivilegeEscalation must be false',
    ],
  ],
  [
    'capabilities not dropped',
    o => (container(o).securityContext.capabilities = { drop: ['NET_RAW'] }),
    ['Deployment/orders-api: container orders-api: capabilities must drop ALL'],
  ],
  [
    'no seccomp profile',
    o =>
      delete byKind(o, 'Deployment', 1).spec.template.spec.securityContext
        .seccompProfile,
    [
      'Deployment/orders-api-canary: container orders-api: seccompProfile must be RuntimeDefault',
    ],
  ],
  [
    'an initContainer running as it likes',
    o =>
      (byKind(o, 'Deployment').spec.template.spec.initContainers = [
        { name: 'migrate', image: 'example/migrate' },
      ]),
    [
      'Deployment/orders-api: initContainer migrate: readOnlyRootFilesystem must be true',
      'Deployment/orders-api: initContainer migrate: allowPrivilegeEscalation must be false',
      'Deployment/orders-api: initContainer migrate: capabilities must drop ALL',
    ],
  ],
  [
    'a compliant initContainer',
    o =>
      (byKind(o, 'Deployment').spec.template.spec.initContainers = [
        {
          name: 'migrate',
          image: 'example/migrate',
          securityContext: container(o).securityContext,
        },
      ]),
    [],
  ],
  [
    'pods without the track label',
    o => delete byKind(o, 'Deployment').spec.template.metadata.labels.track,
    [
      // canary-common then finds no stable workload for the subset either.
      "VirtualService/orders-api: NO_WORKLOAD: Subset 'stable' of DestinationRule default/orders-api selects no Deployment",
      'Deployment/orders-api: pods must carry the "track" label',
    ],
  ],
  // Backstage labels
  [
    'an object without backstage.io/kubernetes-id',
    o => delete byKind(o, 'DestinationRule').metadata.labels,
    [
      'DestinationRule/orders-api: missing the label backstage.io/kubernetes-id',
    ],
  ],
  [
    'pods without backstage.io/kubernetes-id',
    o =>
      delete byKind(o, 'Deployment', 1).spec.template.metadata.labels[
        'backstage.io/kubernetes-id'
      ],
    [
      'Deployment/orders-api-canary: pods miss the label backstage.io/kubernetes-id',
    ],
  ],
  [
    'two different kubernetes ids',
    o =>
      (byKind(o, 'Service').metadata.labels['backstage.io/kubernetes-id'] =
        'payments-api'),
    [
      'the backstage.io/kubernetes-id labels disagree: orders-api, payments-api',
    ],
  ],
];

describe('checkManifests', () => {
  it.each(cases)('%s', (_name, change, expected) => {
    const objects = fixture();
    change(objects);
    const problems = checkManifests(objects);
    expect(problems).toEqual(expected.map(p => expect.stringContaining(p)));
  });
});

// ------------------------------------------------------------------ the chart part

const helm = helmBinary();

function contractValues(database: boolean, canary: boolean) {
  return partValues({ database, canary });
}

async function renderChartPart(database: boolean, canary: boolean) {
  const outDir = mkdtempSync(join(tmpdir(), 'chart-part-'));
  await renderSkeleton({
    skeleton: 'skeletons/chart',
    values: contractValues(database, canary),
    outDir,
  });
  return { outDir, chartDir: join(outDir, 'chart') };
}

const promtool = promtoolBinary(repoRoot);
const kindsOf = (objects: K8sObject[]) => objects.map(o => o.kind);
const find = (objects: K8sObject[], kind: string, name?: string): any =>
  objects.find(o => o.kind === kind && (!name || o.metadata?.name === name));

describe.each([
  [true, true],
  [true, false],
  [false, true],
  [false, false],
])('the chart skeleton (canary %s, database %s)', (canary, database) => {
  let outDir: string;
  let chartDir: string;
  beforeAll(async () => {
    ({ outDir, chartDir } = await renderChartPart(database, canary));
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('leaves nothing unrendered', () => {
    for (const file of [
      'Chart.yaml',
      'values.yaml',
      'values-staging.yaml',
      'values-production.yaml',
    ]) {
      const text = readFileSync(join(chartDir, file), 'utf8');
      expect(text).not.toMatch(/\$\{\{|\{%/);
    }
  });

  it.each(['values-staging.yaml', 'values-production.yaml'])(
    'lints, renders and passes every check with %s',
    async valuesFile => {
      await lintChart(helm, chartDir, valuesFile);
      const objects = await renderChart(helm, chartDir, valuesFile);
      expect(checkManifests(objects)).toEqual([]);
      expect(await checkPrometheusRules(objects, promtool)).toEqual([]);

      const kinds = kindsOf(objects);
      const production = valuesFile === 'values-production.yaml';
      const workload = find(objects, canary ? 'Rollout' : 'Deployment');
      expect(kinds.filter(k => k === 'Rollout')).toHaveLength(canary ? 1 : 0);
      expect(kinds.filter(k => k === 'Deployment')).toHaveLength(
        canary ? 0 : 1,
      );
      expect(kinds.filter(k => k === 'AnalysisTemplate')).toHaveLength(
        canary ? 2 : 0,
      );
      expect(
        objects.filter(o => o.kind === 'Service').map(o => o.metadata?.name),
      ).toEqual(canary ? ['orders-api', 'orders-api-canary'] : ['orders-api']);
      // Always in the mesh; a VirtualService only for the canary (no routes or gateways here).
      expect(kinds.includes('PeerAuthentication')).toBe(true);
      expect(
        workload.spec.template.metadata.labels['sidecar.istio.io/inject'],
      ).toBe('true');
      expect(kinds.includes('VirtualService')).toBe(canary);
      expect(kinds.includes('DestinationRule')).toBe(false);
      // Monitoring: merged metrics on the sidecar agent's port, selected by kube-prometheus-stack.
      const monitor = find(objects, 'PodMonitor');
      expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
      expect(monitor.spec.podMetricsEndpoints[0]).toMatchObject({
        portNumber: 15020,
        path: '/stats/prometheus',
      });
      const alerts = find(objects, 'PrometheusRule').spec.groups[0].rules.map(
        (r: any) => r.alert,
      );
      expect(alerts).toEqual([
        'OrdersApiHighErrorRatio',
        'OrdersApiHighLatencyP99',
        'OrdersApiRestarting',
        ...(canary ? ['OrdersApiCanaryAborted'] : []),
      ]);
      // Migrations: a hook Job with the release's image; the pods only serve.
      const job = find(objects, 'Job');
      const image = workload.spec.template.spec.containers[0].image;
      const migrate = job?.spec.template.spec.containers[0];
      expect(migrate && { image: migrate.image, args: migrate.args }).toEqual(
        database ? { image, args: ['migrate'] } : undefined,
      );
      const env = JSON.stringify(workload.spec.template.spec.containers[0].env);
      expect(env.includes('"orders-api-db-app"')).toBe(database);
      const hpa = find(objects, 'HorizontalPodAutoscaler');
      expect(hpa?.spec.scaleTargetRef).toEqual(
        production
          ? {
              apiVersion: canary ? 'argoproj.io/v1alpha1' : 'apps/v1',
              kind: canary ? 'Rollout' : 'Deployment',
              name: 'orders-api',
            }
          : undefined,
      );
      // Git holds all traffic on stable; production waits for a person first.
      const steps: any[] = workload.spec.strategy.canary?.steps ?? [];
      const canarySetup = {
        gitWeights: find(objects, 'VirtualService')
          ?.spec.http.at(-1)
          .route.map((r: any) => r.weight),
        firstSteps: steps.slice(0, 2).map(s => Object.keys(s)[0]),
        waitsForAPerson: steps.some(s => s.pause && !s.pause.duration),
        weights: steps.filter(s => s.setWeight).map(s => s.setWeight),
      };
      const weights = production ? [10, 25, 50] : [20, 50];
      expect(canarySetup).toEqual(
        canary
          ? {
              gitWeights: [100, 0],
              firstSteps: ['setCanaryScale', 'setHeaderRoute'],
              waitsForAPerson: production,
              weights,
            }
          : {
              gitWeights: undefined,
              firstSteps: [],
              waitsForAPerson: false,
              weights: [],
            },
      );
    },
    60_000,
  );
});

describe('values that contradict each other', () => {
  let outDir: string;
  let chartDir: string;
  beforeAll(async () => {
    ({ outDir, chartDir } = await renderChartPart(true, true));
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it.each([
    [
      'the canary without the mesh',
      'mesh: {enabled: false}',
      'canary.enabled is true but mesh.enabled is false',
    ],
    [
      'gateways without the mesh',
      'canary: {enabled: false}\nmesh: {enabled: false, gateways: [istio-ingress/public], hosts: [orders.example.com]}',
      'mesh.hosts is set but mesh.enabled is false',
    ],
    [
      'routes without the mesh',
      'canary: {enabled: false}\nmesh: {enabled: false}\nroutes: [{name: api, prefix: /api, host: a.b.svc.cluster.local, port: 80}]',
      'routes is set but mesh.enabled is false',
    ],
    [
      'gateways without hosts',
      'mesh: {gateways: [istio-ingress/public]}',
      'mesh.gateways is set but mesh.hosts is empty',
    ],
    [
      'secrets without an IAM role',
      'secrets: [{name: k, objectName: orders-api/prod, env: K}]',
      'secrets is set but serviceAccount.roleArn is empty',
    ],
    [
      'weights that go down',
      'canary: {steps: [{setWeight: 50}, {pause: {duration: 1m}}, {setWeight: 20}]}',
      'canary.steps[2].setWeight is 20, lower than the 50 of an earlier step',
    ],
    [
      'steps without any weight',
      'canary: {steps: [{pause: {}}]}',
      'canary.steps has no setWeight step',
    ],
    ['a weight over 100', 'canary: {steps: [{setWeight: 120}]}', 'setWeight'],
    [
      'a step that is neither',
      'canary: {steps: [{setWeight: 20, pause: {}}]}',
      "at '/canary/steps/0': maxProperties",
    ],
    [
      'no replicas for the canary',
      'replicaCount: 0',
      'replicaCount is 0 with canary.enabled',
    ],
    [
      'the analysis without Prometheus',
      'monitoring: {prometheusAddress: ""}',
      "at '/monitoring/prometheusAddress'",
    ],
    [
      'migrations without a database',
      'database: {enabled: false}',
      'database.migrations.enabled is true but database.enabled is false',
    ],
    [
      'autoscaling bounds the wrong way round',
      'autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 2}',
      'autoscaling.minReplicas (5) is greater than autoscaling.maxReplicas (2)',
    ],
    [
      'no monitor selector label',
      // (null removes the default's key: Helm merges an empty map with the defaults)
      'monitoring: {selectorLabels: {release: null}}',
      "at '/monitoring/selectorLabels': minProperties",
    ],
  ])(
    'refuses %s, naming the value',
    async (_name, override, message) => {
      const valuesFile = join(outDir, 'override.yaml');
      writeFileSync(valuesFile, `image: {tag: abc123}\n${override}\n`);
      await expect(renderChart(helm, chartDir, valuesFile)).rejects.toThrow(
        message,
      );
    },
    60_000,
  );

  it('fails with a clear message when the image tag is not set', async () => {
    const valuesFile = join(outDir, 'no-tag.yaml');
    writeFileSync(valuesFile, 'image: {tag: ""}\n');
    await expect(renderChart(helm, chartDir, valuesFile)).rejects.toThrow(
      'image.tag is empty: CI writes the released commit SHA into chart/values.yaml',
    );
  }, 60_000);

  it('pulls the image by digest once CI released one, keeping the tag as the version label', async () => {
    const valuesFile = join(outDir, 'digest.yaml');
    const digest = `sha256:${'b'.repeat(64)}`;
    writeFileSync(valuesFile, `image: {tag: abc123, digest: "${digest}"}\n`);
    const objects = await renderChart(helm, chartDir, valuesFile);
    const pod = find(objects, 'Rollout').spec.template;
    // repository@digest: the tag no longer decides what is pulled.
    expect(pod.spec.containers[0].image).toMatch(
      new RegExp(`^[^@:]+/[^@:]+@${digest}$`),
    );
    expect(pod.metadata.labels.version).toBe('abc123');
  }, 60_000);

  it('refuses a digest that is not a sha256 digest, naming the value', async () => {
    const valuesFile = join(outDir, 'bad-digest.yaml');
    writeFileSync(valuesFile, 'image: {tag: abc123, digest: latest}\n');
    await expect(renderChart(helm, chartDir, valuesFile)).rejects.toThrow(
      "at '/image/digest'",
    );
  }, 60_000);

  it('renders under another release name with values given last', async () => {
    const objects = await renderChart(helm, chartDir, 'values-staging.yaml', {
      release: 'storefront',
      namespace: 'shop',
      values: { image: { repository: 'ghcr.io/example/shop', tag: '1.5.0' } },
    });
    expect(
      new Set(
        objects.map(o => o.metadata?.labels?.['app.kubernetes.io/instance']),
      ),
    ).toEqual(new Set(['storefront']));
    const workload = objects.find(
      o => o.kind === 'Rollout' || o.kind === 'Deployment',
    ) as any;
    expect(workload.metadata.name).toBe('storefront');
    expect(workload.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/example/shop:1.5.0',
    );
  }, 60_000);

  it('outside the mesh: no sidecar, no mTLS policy, metrics scraped from the app', async () => {
    const valuesFile = join(outDir, 'no-mesh.yaml');
    writeFileSync(
      valuesFile,
      'image: {tag: abc123}\ncanary: {enabled: false}\nmesh: {enabled: false}\n',
    );
    const objects = await renderChart(helm, chartDir, valuesFile);
    expect(checkManifests(objects)).toEqual([]);
    expect(kindsOf(objects)).not.toContain('PeerAuthentication');
    expect(kindsOf(objects)).not.toContain('VirtualService');
    const pod = find(objects, 'Deployment').spec.template;
    expect(pod.metadata.labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(
      find(objects, 'PodMonitor').spec.podMetricsEndpoints[0],
    ).toMatchObject({
      port: 'http',
      path: '/metrics',
    });
  }, 60_000);

  it('binds the gateways and the mesh with the same canary routing', async () => {
    const valuesFile = join(outDir, 'gateway.yaml');
    writeFileSync(
      valuesFile,
      'image: {tag: abc123}\nmesh: {hosts: [orders.example.com], gateways: [istio-ingress/public]}\n',
    );
    const objects = await renderChart(helm, chartDir, valuesFile);
    expect(checkManifests(objects)).toEqual([]);
    const vs = find(objects, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['orders-api', 'orders.example.com']);
    expect(vs.spec.gateways).toEqual(['mesh', 'istio-ingress/public']);
  }, 60_000);
});

describe('secrets from AWS', () => {
  it('mounts the CSI volume and reads env vars from the synced Secret', async () => {
    const { outDir, chartDir } = await renderChartPart(false, false);
    try {
      const valuesFile = join(outDir, 'secrets.yaml');
      writeFileSync(
        valuesFile,
        [
          'image: {tag: abc123}',
          'serviceAccount: {roleArn: "arn:aws:iam::123456789012:role/orders-api"}',
          'secrets:',
          '  - {name: api-key, objectName: orders-api/prod, key: apiKey, env: API_KEY}',
          '  - {name: cert, objectName: orders-api/cert, env: CERT}',
          '',
        ].join('\n'),
      );
      const objects = await renderChart(helm, chartDir, valuesFile);
      expect(checkManifests(objects)).toEqual([]);
      const spc: any = objects.find(o => o.kind === 'SecretProviderClass');
      expect(spc.spec.provider).toBe('aws');
      expect(spc.spec.secretObjects[0].data.map((d: any) => d.key)).toEqual([
        'api-key',
        'cert',
      ]);
      const pod: any = (objects.find(o => o.kind === 'Deployment') as any).spec
        .template.spec;
      expect(
        pod.volumes.find((v: any) => v.csi)?.csi.volumeAttributes
          .secretProviderClass,
      ).toBe('orders-api');
      expect(
        pod.containers[0].env.find((e: any) => e.name === 'API_KEY').valueFrom
          .secretKeyRef,
      ).toEqual({
        name: 'orders-api-secrets',
        key: 'api-key',
      });
      const sa: any = objects.find(o => o.kind === 'ServiceAccount');
      expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(
        'arn:aws:iam::123456789012:role/orders-api',
      );
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
