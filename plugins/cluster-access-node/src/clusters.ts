import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';

/**
 * The annotation the Kubernetes plugin's auth strategies dispatch on.
 *
 * @public
 */
export const AUTH_PROVIDER_ANNOTATION = 'kubernetes.io/auth-provider';

/**
 * Reads the clusters of the `kubernetes` config the way the Backstage Kubernetes plugin's
 * config cluster locator does: every `clusterLocatorMethods` entry of type `config`.
 * Other locator types (catalog, gke, localKubectlProxy) are not read by Runway's plugins.
 *
 * @public
 */
export function readClusterDetails(config: Config): ClusterDetails[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters = methods
    .filter(method => method.getString('type') === 'config')
    .flatMap(method => method.getOptionalConfigArray('clusters') ?? [])
    .map(cluster => {
      const authProvider = cluster.getString('authProvider');
      const authMetadata: Record<string, string> = {
        [AUTH_PROVIDER_ANNOTATION]: authProvider,
        ...(cluster.getOptional<Record<string, string>>('authMetadata') ?? {}),
      };
      const token = cluster.getOptionalString('serviceAccountToken');
      if (token) authMetadata.serviceAccountToken = token;
      return {
        name: cluster.getString('name'),
        title: cluster.getOptionalString('title'),
        url: cluster.getString('url'),
        authMetadata,
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
      } satisfies ClusterDetails;
    });

  const seen = new Set<string>();
  for (const { name } of clusters) {
    if (seen.has(name)) {
      throw new InputError(
        `kubernetes.clusterLocatorMethods: cluster name '${name}' is configured twice; names must be unique`,
      );
    }
    seen.add(name);
  }
  return clusters;
}
