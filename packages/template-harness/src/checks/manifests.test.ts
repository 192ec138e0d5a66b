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
} from './manifests';
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
  // canary routing
  [
    'weights that do not sum to 100',
    o => (vsRules(o)[1].route[1].weight = 20),
    ['VirtualService/orders-api: http[1] route weights sum to 110, not 100'],
  ],
  [
    'a subset the DestinationRule does not define',
    o =>
      (byKind(o, 'DestinationRule').spec.subsets = [
        { name: 'stable', labels: { track: 'stable' } },
      ]),
    [
      'VirtualService/orders-api: http[0] routes to subset "canary", which DestinationRule/orders-api does not define',
      'VirtualService/orders-api: http[1] routes to subset "canary", which DestinationRule/orders-api does not define',
    ],
  ],
  [
    'a host without DestinationRule',
    o => (byKind(o, 'DestinationRule').spec.host = 'payments-api'),
    [
      'http[0] routes to subset "canary" of orders-api, which has no DestinationRule',
      'http[1] routes to subset "stable" of orders-api, which has no DestinationRule',
      'http[1] routes to subset "canary" of orders-api, which has no DestinationRule',
    ],
  ],
  [
    'a catch-all rule before the last',
    o =>
      vsRules(o).push({
        route: [{ destination: { host: 'orders-api', subset: 'stable' } }],
      }),
    [
      'VirtualService/orders-api: http[1] has no match, so the rules after it are never used',
    ],
  ],
  [
    'no default route',
    o => (vsRules(o)[1].match = [{ uri: { prefix: '/' } }]),
    [
      'VirtualService/orders-api: no default route (the last http rule must have no match)',
    ],
  ],
  [
    'the header rule is not first',
    o =>
      vsRules(o).unshift({
        match: [{ uri: { prefix: '/admin' } }],
        route: [{ destination: { host: 'orders-api', subset: 'stable' } }],
      }),
    [
      'VirtualService/orders-api: the first http rule that routes to this service must send the header x-canary: "true" (exact) to the canary subset alone',
    ],
  ],
  [
    'a path forwarded to another service before the header rule',
    o =>
      vsRules(o).unshift({
        name: 'api',
        match: [{ uri: { prefix: '/api' } }],
        route: [
          {
            destination: {
              host: 'payments-api.payments.svc.cluster.local',
              port: { number: 80 },
            },
          },
        ],
      }),
    [],
  ],
  [
    'a path forwarded to this service itself before the header rule',
    o =>
      vsRules(o).unshift({
        name: 'admin',
        match: [{ uri: { prefix: '/admin' } }],
        route: [{ destination: { host: 'orders-api', port: { number: 80 } } }],
      }),
    [
      'VirtualService/orders-api: the first http rule that routes to this service must send the header x-canary: "true" (exact) to the canary subset alone',
    ],
  ],
  [
    'the header rule matches a prefix instead of the exact value',
    o =>
      (vsRules(o)[0].match = [{ headers: { 'x-canary': { prefix: 'true' } } }]),
    [
      'VirtualService/orders-api: the first http rule that routes to this service must send the header x-canary',
    ],
  ],
  [
    'the header rule sends to stable',
    o => (vsRules(o)[0].route[0].destination.subset = 'stable'),
    [
      'VirtualService/orders-api: the first http rule that routes to this service must send the header x-canary',
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
    ['Deployment/orders-api: pods must carry the "track" label'],
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

      const kinds = objects.map(o => o.kind);
      expect(kinds.filter(k => k === 'Deployment')).toHaveLength(
        canary ? 2 : 1,
      );
      for (const kind of [
        'VirtualService',
        'DestinationRule',
        'PeerAuthentication',
      ]) {
        expect(kinds.includes(kind)).toBe(canary);
      }
      const env = JSON.stringify(
        objects
          .filter(o => o.kind === 'Deployment')
          .map(o => (o.spec as any).template.spec.containers[0].env),
      );
      expect(env.includes('"orders-api-db-app"')).toBe(database);
      expect(kinds.includes('HorizontalPodAutoscaler')).toBe(
        valuesFile === 'values-production.yaml',
      );
      // Both environments start with all traffic on stable.
      const vs: any = objects.find(o => o.kind === 'VirtualService');
      const weights = vs?.spec.http.at(-1).route.map((r: any) => r.weight);
      expect(weights).toEqual(canary ? [100, 0] : undefined);
    },
    60_000,
  );
});

describe('canary weights', () => {
  let outDir: string;
  let chartDir: string;
  beforeAll(async () => {
    ({ outDir, chartDir } = await renderChartPart(false, true));
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('refuses to render a split that does not sum to 100', async () => {
    const valuesFile = join(outDir, 'bad-weights.yaml');
    writeFileSync(
      valuesFile,
      'image:\n  tag: abc123\ncanary:\n  weights:\n    stable: 70\n    canary: 20\n',
    );
    await expect(renderChart(helm, chartDir, valuesFile)).rejects.toThrow(
      'canary.weights must sum to 100, got stable 70 + canary 20 = 90',
    );
  }, 60_000);

  it('renders the split it is given', async () => {
    const valuesFile = join(outDir, 'good-weights.yaml');
    writeFileSync(
      valuesFile,
      'image:\n  tag: abc123\ncanary:\n  image:\n    tag: def456\n  weights:\n    stable: 75\n    canary: 25\n',
    );
    const objects = await renderChart(helm, chartDir, valuesFile);
    expect(checkManifests(objects)).toEqual([]);
    const vs: any = objects.find(o => o.kind === 'VirtualService');
    expect(vs.spec.http.at(-1).route.map((r: any) => r.weight)).toEqual([
      75, 25,
    ]);
    const canaryPods: any = objects.find(
      o => o.metadata?.name === 'orders-api-canary',
    );
    expect(canaryPods.spec.template.metadata.labels.version).toBe('def456');
  }, 60_000);

  it('fails with a clear message when the image tag is not set', async () => {
    await expect(renderChart(helm, chartDir, 'values.yaml')).rejects.toThrow(
      'image.tag is empty',
    );
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
