/** A Kubernetes resource type the Canary backend watches. */
export type WatchedResource = {
  group: string;
  version: string;
  plural: string;
  /** A CRD that may not be installed: absent means no objects, not an error. */
  optional?: boolean;
};

export const RESOURCES = {
  virtualServices: {
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'virtualservices',
  },
  destinationRules: {
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'destinationrules',
  },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments' },
  rollouts: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    optional: true,
  },
} satisfies Record<string, WatchedResource>;

export function resourcePath(resource: WatchedResource, namespace?: string) {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `/apis/${resource.group}/${resource.version}${ns}/${resource.plural}`;
}
