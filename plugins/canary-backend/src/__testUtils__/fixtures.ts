import { FakeObject } from '@runway/plugin-cluster-access-node-test-utils';

/**
 * Objects of a canary-routed service as Runway's chart renders them: a VirtualService
 * splitting traffic between the `stable` and `canary` subsets, with an `x-canary: true`
 * header override, its DestinationRule, and one Deployment per track.
 */
export function canaryService(options: {
  id: string;
  namespace: string;
  stableWeight: number;
  canaryWeight: number;
  stableVersion?: string;
  canaryVersion?: string;
  canaryReady?: number;
}): FakeObject[] {
  const { id, namespace } = options;
  const labels = { 'backstage.io/kubernetes-id': id, app: id };
  const host = `${id}.${namespace}.svc.cluster.local`;
  const stableVersion = options.stableVersion ?? '1.4.0';
  const canaryVersion = options.canaryVersion ?? '1.5.0';
  const deployment = (track: string, version: string, ready: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${id}-${track}`, namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: id, track } },
      template: {
        metadata: { labels: { app: id, track, version } },
        spec: {
          containers: [
            {
              name: id,
              image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${id}:${version}`,
            },
          ],
        },
      },
    },
    status: { replicas: 2, readyReplicas: ready, updatedReplicas: 2 },
  });
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: id, namespace, labels },
      spec: {
        hosts: [host],
        http: [
          {
            name: 'canary-override',
            match: [{ headers: { 'x-canary': { exact: 'true' } } }],
            route: [{ destination: { host, subset: 'canary' } }],
          },
          {
            name: 'primary',
            route: [
              {
                destination: { host, subset: 'stable' },
                weight: options.stableWeight,
              },
              {
                destination: { host, subset: 'canary' },
                weight: options.canaryWeight,
              },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: id, namespace, labels },
      spec: {
        host,
        subsets: [
          { name: 'stable', labels: { app: id, track: 'stable' } },
          { name: 'canary', labels: { app: id, track: 'canary' } },
        ],
      },
    },
    deployment('stable', stableVersion, 2),
    deployment('canary', canaryVersion, options.canaryReady ?? 2),
  ];
}
