import {
  checkChartPins,
  FileObject,
  InstalledChart,
  PlatformVersions,
  validatePlatformObjects,
} from './platform';

const versions: PlatformVersions = {
  kubernetes: { version: '1.37.2' },
  components: {
    'argo-rollouts': {
      appVersion: 'v1.9.1',
      chart: {
        repository: 'https://argoproj.github.io/argo-helm',
        name: 'argo-rollouts',
        version: '2.41.1',
      },
      crds: {
        module: 'github.com/argoproj/argo-rollouts',
        version: 'v1.9.1',
        files: [],
      },
    },
    'eck-operator': {
      appVersion: '3.5.0',
      chart: {
        repository: 'https://helm.elastic.co',
        name: 'eck-operator',
        version: '3.5.0',
      },
    },
    'no-chart': { appVersion: 'v1.0.0' },
  },
};

const rollouts = (
  version = '2.41.1',
  where = 'addons/argo-rollouts.yaml',
): InstalledChart => ({
  repository: 'https://argoproj.github.io/argo-helm',
  name: 'argo-rollouts',
  version,
  where,
});
const eck: InstalledChart = {
  repository: 'https://helm.elastic.co',
  name: 'eck-operator',
  version: '3.5.0',
  where: 'addons/eck-operator.yaml',
};

describe('checkChartPins', () => {
  it('accepts every pinned chart installed once at its version', () => {
    expect(checkChartPins([rollouts(), eck], versions)).toEqual([]);
  });

  it('fails when the installed version changes alone', () => {
    expect(checkChartPins([rollouts('2.42.0'), eck], versions)).toEqual([
      'addons/argo-rollouts.yaml: installs argo-rollouts 2.42.0, but versions.yaml pins argo-rollouts at 2.41.1',
    ]);
  });

  it('fails when the pin changes alone', () => {
    const moved = structuredClone(versions);
    moved.components['argo-rollouts'].chart!.version = '2.42.0';
    expect(checkChartPins([rollouts(), eck], moved)).toEqual([
      'addons/argo-rollouts.yaml: installs argo-rollouts 2.41.1, but versions.yaml pins argo-rollouts at 2.42.0',
    ]);
  });

  it('reports unpinned, missing and doubled charts', () => {
    const foreign = { ...eck, name: 'kibana', where: 'addons/kibana.yaml' };
    expect(
      checkChartPins(
        [rollouts(), rollouts('2.41.1', 'addons/again.yaml'), foreign],
        versions,
      ),
    ).toEqual([
      'addons/kibana.yaml: installs kibana from https://helm.elastic.co, which versions.yaml does not pin',
      'argo-rollouts (argo-rollouts) is installed 2 times',
      'versions.yaml pins eck-operator (eck-operator 3.5.0), which nothing installs',
    ]);
  });

  it('lets optional components be absent', () => {
    expect(checkChartPins([rollouts()], versions, ['eck-operator'])).toEqual(
      [],
    );
  });
});

describe('validatePlatformObjects', () => {
  const nodePool = (spec: Record<string, unknown>): FileObject => ({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'default' },
    spec,
    file: 'manifests/karpenter/nodepool.yaml',
  });

  it('validates against the CRD schema and lists the kinds no schema covers', () => {
    const issuer: FileObject = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt' },
      spec: {},
      file: 'manifests/ingress/certificate.yaml',
    };
    const valid = nodePool({
      template: {
        spec: {
          nodeClassRef: {
            group: 'karpenter.k8s.aws',
            kind: 'EC2NodeClass',
            name: 'default',
          },
          requirements: [],
        },
      },
    });
    expect(validatePlatformObjects([valid, issuer])).toEqual({
      problems: [],
      unchecked: ['cert-manager.io/v1 ClusterIssuer'],
    });
  });

  it('reports schema violations with the file and the object', () => {
    const { problems } = validatePlatformObjects([
      nodePool({
        template: { spec: { requirements: [] } },
        disruption: { budget: 1 },
      }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        "manifests/karpenter/nodepool.yaml: NodePool/default: /spec/template/spec must have required property 'nodeClassRef'",
        'manifests/karpenter/nodepool.yaml: NodePool/default: unknown field /spec/disruption/budget',
      ]),
    );
  });
});
