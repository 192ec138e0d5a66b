import { diffApplication, mergeForUpdate, omitEmpty } from './compare';
import { Application } from './types';
import { buildApplications } from './__testUtils__/build';

const [desired] = buildApplications({
  appName: 'orders-api',
  repoUrl: 'https://github.com/example-org/orders-api.git',
  environments: [{ name: 'staging' }],
  labels: { team: 'orders' },
});

/** What Argo CD answers for `desired` after creating it: server fields, status, omitempty. */
function asServed(application: Application): Application {
  const served = structuredClone(application);
  served.metadata = {
    ...served.metadata,
    namespace: 'argocd',
    uid: '6f1c',
    resourceVersion: '12345',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'argocd-server' }],
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  };
  served.status = { sync: { status: 'Synced' }, health: { status: 'Healthy' } };
  served.operation = { sync: {} };
  return served;
}

type Mutation = (application: Application) => void;

describe('diffApplication', () => {
  it.each<[string, Mutation]>([
    ['the same Application as served by Argo CD', () => {}],
    [
      'labels and finalizers others added',
      a => {
        a.metadata.labels!['argocd.argoproj.io/instance'] = 'x';
        a.metadata.finalizers!.push('post-delete-finalizer.argocd.argoproj.io');
      },
    ],
    [
      'zero values Go omits (false, [], empty string)',
      a => {
        a.spec.syncPolicy!.automated!.allowEmpty = false;
        a.spec.source!.chart = '';
        a.spec.info = [];
        a.spec.revisionHistoryLimit = 0;
      },
    ],
  ])('finds no difference with %s', (_name, mutate) => {
    const actual = asServed(desired);
    mutate(actual);
    expect(diffApplication(desired, actual)).toEqual([]);
  });

  it('ignores a server inferred from the cluster name only when the name matches', () => {
    const [named] = buildApplications({
      appName: 'orders-api',
      repoUrl: 'https://github.com/example-org/orders-api.git',
      environments: [{ name: 'prod', cluster: 'eks-prod' }],
    });
    const actual = asServed(named);
    actual.spec.destination.server = 'https://eks-prod.example.com';
    expect(diffApplication(named, actual)).toEqual([]);
    actual.spec.destination.name = 'eks-other';
    expect(diffApplication(named, actual)).toEqual([
      'spec.destination.name',
      'spec.destination.server',
    ]);
  });

  it('treats an omitted automated block with prune and selfHeal off as automated sync on', () => {
    const [manualOff] = buildApplications({
      appName: 'orders-api',
      repoUrl: 'https://github.com/example-org/orders-api.git',
      environments: [{ name: 'staging' }],
      syncPolicy: { automated: { prune: false, selfHeal: false } },
    });
    const served = asServed(manualOff);
    // Argo CD serves `automated: {}` for automated sync without prune and selfHeal.
    served.spec.syncPolicy!.automated = {};
    expect(diffApplication(manualOff, served)).toEqual([]);
    delete served.spec.syncPolicy!.automated;
    expect(diffApplication(manualOff, served)).toEqual([
      'spec.syncPolicy.automated',
    ]);
  });

  it.each<[string, Mutation, string[]]>([
    [
      'another target revision',
      a => {
        a.spec.source!.targetRevision = 'v2';
      },
      ['spec.source.targetRevision'],
    ],
    [
      'other value files',
      a => {
        a.spec.source!.helm!.valueFiles = ['values.yaml'];
      },
      ['spec.source.helm.valueFiles'],
    ],
    [
      'another namespace and project',
      a => {
        a.spec.destination.namespace = 'other';
        a.spec.project = 'team';
      },
      ['spec.destination.namespace', 'spec.project'],
    ],
    [
      'a field added by hand',
      a => {
        a.spec.ignoreDifferences = [
          { kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        ];
      },
      ['spec.ignoreDifferences'],
    ],
    [
      'automated sync turned off',
      a => {
        delete a.spec.syncPolicy!.automated;
      },
      ['spec.syncPolicy.automated'],
    ],
    [
      'a sync option removed',
      a => {
        a.spec.syncPolicy!.syncOptions = [];
      },
      ['spec.syncPolicy.syncOptions'],
    ],
    [
      'no Helm release name (Argo CD would use the Application name)',
      a => {
        delete a.spec.source!.helm!.releaseName;
      },
      ['spec.source.helm.releaseName'],
    ],
    [
      'our label changed',
      a => {
        a.metadata.labels!['backstage.io/kubernetes-id'] = 'other';
      },
      ['metadata.labels.backstage.io/kubernetes-id'],
    ],
    [
      'our label missing',
      a => {
        delete a.metadata.labels!.team;
      },
      ['metadata.labels.team'],
    ],
    [
      'the finalizer missing',
      a => {
        delete a.metadata.finalizers;
      },
      ['metadata.finalizers'],
    ],
    [
      'multiple sources instead of one',
      a => {
        a.spec.sources = [a.spec.source];
        delete a.spec.source;
      },
      ['spec.source', 'spec.sources'],
    ],
  ])('names the fields that differ: %s', (_name, mutate, expected) => {
    const actual = asServed(desired);
    mutate(actual);
    expect(diffApplication(desired, actual)).toEqual(expected);
  });
});

describe('omitEmpty', () => {
  it.each([
    [{ a: false, b: 0, c: '', d: [], e: null, f: undefined }, {}],
    [{ helm: {} }, {}],
    [
      { syncPolicy: { automated: { prune: false } } },
      { syncPolicy: { automated: {} } },
    ],
    [{ list: [{ a: '' }, 'x'] }, { list: [{}, 'x'] }],
    [
      { a: 1, b: 'x', c: true },
      { a: 1, b: 'x', c: true },
    ],
  ])('%j → %j', (input, expected) => {
    expect(omitEmpty(input)).toEqual(expected);
  });
});

describe('mergeForUpdate', () => {
  it('puts the desired spec, labels and finalizers on the existing metadata, without status', () => {
    const existing = asServed(desired);
    existing.metadata.labels = { other: 'kept', team: 'old' };
    existing.metadata.finalizers = ['other-finalizer'];
    existing.spec.source!.targetRevision = 'old';

    const merged = mergeForUpdate(existing, desired);
    expect(merged).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        ...existing.metadata,
        labels: {
          other: 'kept',
          team: 'orders',
          'backstage.io/kubernetes-id': 'orders-api',
        },
        finalizers: [
          'other-finalizer',
          'resources-finalizer.argocd.argoproj.io',
        ],
      },
      spec: desired.spec,
    });
    expect(merged).not.toHaveProperty('status');
    expect(merged).not.toHaveProperty('operation');
    expect(diffApplication(desired, merged)).toEqual([]);
  });

  it('copies the spec instead of sharing it', () => {
    const merged = mergeForUpdate(asServed(desired), desired);
    merged.spec.source!.targetRevision = 'changed';
    expect(desired.spec.source!.targetRevision).toBe('HEAD');
  });
});
