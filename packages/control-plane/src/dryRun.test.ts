import { ControlPlane, startControlPlane } from './ControlPlane';
import { dryRunObjects, podOfTemplate, RenderedObject } from './dryRun';

const restrictedPod = {
  securityContext: {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  serviceAccountName: 'web',
  containers: [
    {
      name: 'web',
      image: 'example.com/web:1',
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    },
  ],
};

const deployment = (spec: object): RenderedObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec },
  },
});

const serviceAccount: RenderedObject = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'web' },
};

describe('dryRunObjects', () => {
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: ['istio'] });
  }, 120_000);

  afterAll(() => plane?.stop());

  it('accepts valid objects and stores none of them but the ServiceAccounts', async () => {
    const problems = await dryRunObjects(
      plane,
      [
        serviceAccount,
        deployment(restrictedPod),
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'web' },
          spec: {
            hosts: ['web'],
            http: [{ route: [{ destination: { host: 'web' } }] }],
          },
        },
      ],
      { namespace: 'valid' },
    );
    expect(problems).toEqual([]);
    expect(
      await plane.getObject('/apis/apps/v1/namespaces/valid/deployments/web'),
    ).toBeUndefined();
    expect(
      await plane.getObject('/api/v1/namespaces/valid/serviceaccounts/web'),
    ).toMatchObject({
      metadata: { name: 'web' },
    });
    expect(await plane.getObject('/api/v1/namespaces/valid')).toMatchObject({
      metadata: {
        labels: expect.objectContaining({
          'pod-security.kubernetes.io/enforce': 'restricted',
        }),
      },
    });
  });

  it('names each object the API server refuses, with its reason', async () => {
    const problems = await dryRunObjects(
      plane,
      [
        serviceAccount,
        // root-capable container: Pod Security admission refuses its pods
        deployment({
          ...restrictedPod,
          securityContext: undefined,
          containers: [{ name: 'web', image: 'x' }],
        }),
        // unknown field: strict field validation
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web' },
          spec: { portz: [] },
        },
        // a CRD's structural schema
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name: 'web' },
          spec: { host: 'web', subsets: [{ labels: { version: 'v1' } }] },
        },
        // a kind the server does not serve
        {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
        },
      ],
      { namespace: 'invalid' },
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^Widget\/w: the API server does not serve example.com\/v1/,
      ),
      expect.stringMatching(
        /^Deployment\/web \(its pod template as a Pod\): .*violates PodSecurity "restricted:latest"/,
      ),
      expect.stringMatching(/^Service\/web: .*unknown field "spec.portz"/),
      expect.stringMatching(
        /^DestinationRule\/web: .*spec.subsets\[0\].name: Required value/,
      ),
    ]);
  });
});

describe('podOfTemplate', () => {
  it.each([
    ['Deployment', { spec: { template: { spec: { containers: [] } } } }, true],
    [
      'CronJob',
      {
        spec: {
          jobTemplate: { spec: { template: { spec: { containers: [] } } } },
        },
      },
      true,
    ],
    ['Rollout', { spec: { template: { spec: { containers: [] } } } }, true],
    [
      'Rollout',
      { spec: { workloadRef: { kind: 'Deployment', name: 'web' } } },
      false,
    ],
    ['Service', { spec: {} }, false],
  ])('%s %#', (kind, body, hasPod) => {
    const pod = podOfTemplate({
      apiVersion: 'x/v1',
      kind,
      metadata: { name: 'web', namespace: 'ns' },
      ...body,
    });
    const expected = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-dry-run', namespace: 'ns' },
      spec: { containers: [] },
    };
    expect(pod).toEqual(hasPod ? expected : undefined);
  });
});
