import { ControlPlane } from '@runway/control-plane';
import { dryRunChart, startChartServer } from './apiServer';
import { K8sObject } from './manifests';

const labels = { 'backstage.io/kubernetes-id': 'orders-api' };

/** A restricted-compliant Service, Deployment and VirtualService: each case breaks one thing. */
function fixture(): any[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders-api', labels },
      spec: {
        selector: { app: 'orders-api' },
        ports: [{ port: 80, targetPort: 'http' }],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'orders-api', labels },
      spec: {
        selector: { matchLabels: { app: 'orders-api' } },
        template: {
          metadata: { labels: { app: 'orders-api', ...labels } },
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
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'orders-api', labels },
      spec: {
        hosts: ['orders-api'],
        http: [
          { name: 'default', route: [{ destination: { host: 'orders-api' } }] },
        ],
      },
    },
  ];
}

const of = (objects: any[], kind: string) => objects.find(o => o.kind === kind);
const container = (objects: any[]) =>
  of(objects, 'Deployment').spec.template.spec.containers[0];

// [what breaks, change to the fixture, the refusals expected (each a substring, in order)]
const cases: Array<[string, (objects: any[]) => void, string[]]> = [
  ['accepts the valid objects', () => {}, []],
  [
    'refuses an unknown field in a Deployment',
    o => (container(o).imagePullPolicyy = 'Always'),
    [
      'Deployment/orders-api: ',
      'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
    ],
  ],
  [
    'refuses an unknown field in metadata',
    o => (of(o, 'Service').metadata.label = {}),
    ['Service/orders-api: ', 'unknown field "metadata.label"'],
  ],
  [
    'refuses a wrong type in a built-in kind',
    o => (container(o).ports[0].containerPort = 'http'),
    ['Deployment/orders-api: ', 'containerPort'],
  ],
  [
    'refuses a missing required field',
    o => delete of(o, 'Deployment').spec.selector,
    ['Deployment/orders-api: ', 'spec.selector: Required value'],
  ],
  [
    'map keys (labels) are not unknown fields',
    o => (of(o, 'Service').metadata.labels = { any: 'thing' }),
    [],
  ],
  [
    'refuses an unknown field in a custom resource',
    o => (of(o, 'VirtualService').spec.http[0].retry = { attempts: 3 }),
    ['VirtualService/orders-api: ', 'unknown field "spec.http[0].retry"'],
  ],
  [
    'refuses an unknown field in a custom resource metadata',
    o => (of(o, 'VirtualService').metadata.lables = {}),
    ['VirtualService/orders-api: ', 'unknown field "metadata.lables"'],
  ],
  [
    'refuses pods whose container may run as root',
    o =>
      delete of(o, 'Deployment').spec.template.spec.securityContext
        .runAsNonRoot,
    [
      'Deployment/orders-api (its pod template as a Pod): ',
      'violates PodSecurity "restricted:latest"',
      'runAsNonRoot != true',
    ],
  ],
  [
    'refuses pods whose capabilities are not dropped',
    o => delete container(o).securityContext.capabilities,
    [
      'Deployment/orders-api (its pod template as a Pod): ',
      'unrestricted capabilities',
    ],
  ],
  [
    'refuses a kind the cluster does not serve',
    o =>
      o.push({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
      }),
    ['Widget/w: the API server does not serve example.com/v1'],
  ],
];

describe('dryRunChart', () => {
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startChartServer();
  }, 180_000);

  afterAll(() => plane?.stop());

  it.each(cases)('%s', async (_what, change, expected) => {
    const objects: K8sObject[] = fixture();
    change(objects);
    const problems = await dryRunChart(plane, objects, 'orders-api');
    const escape = (text: string) =>
      text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // One refusal naming the object and its reason, or none.
    expect(problems).toHaveLength(expected.length ? 1 : 0);
    expect(problems.join('\n')).toMatch(
      new RegExp(expected.map(escape).join('.*')),
    );
  });
});
