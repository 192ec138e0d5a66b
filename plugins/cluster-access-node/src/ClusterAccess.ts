import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  AnonymousStrategy,
  AwsIamStrategy,
  DispatchStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import { KubeConfig } from '@kubernetes/client-node';
import { AUTH_PROVIDER_ANNOTATION, readClusterDetails } from './clusters';

/**
 * A configured cluster, without its credentials.
 *
 * @public
 */
export type ClusterInfo = { name: string; title?: string; url: string };

/**
 * Access to the Kubernetes clusters of the `kubernetes` config, for backend plugins.
 * Credentials never leave this object: callers get a ready KubeConfig.
 *
 * @public
 */
export interface ClusterAccess {
  /** Every configured cluster, in config order. */
  listClusters(): ClusterInfo[];
  /**
   * A KubeConfig for one cluster with fresh credentials (AWS tokens expire after
   * 15 minutes: ask again when a long-running connection is re-established).
   * @throws NotFoundError when no cluster has that name.
   */
  getKubeConfig(cluster: string): Promise<KubeConfig>;
}

/**
 * Builds a KubeConfig for one cluster and one credential.
 *
 * @public
 */
export function buildKubeConfig(
  cluster: ClusterDetails,
  credential: KubernetesCredential,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [
      {
        name: 'backstage',
        ...(credential.type === 'bearer token' && { token: credential.token }),
        ...(credential.type === 'x509 client certificate' && {
          certData: credential.cert,
          keyData: credential.key,
        }),
      },
    ],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'backstage' },
    ],
    currentContext: cluster.name,
  });
  return kc;
}

/**
 * `authProvider: serviceAccount`: the cluster's `serviceAccountToken`, else the Kubernetes
 * plugin's `ServiceAccountStrategy`, which reads the token mounted in the backend's pod on
 * every call. The configured token is answered here because the upstream strategy loads
 * `@kubernetes/client-node` with a dynamic `import()` first, on every call, which Jest's
 * CommonJS sandbox cannot run: every test reaching a cluster through ConfigClusterAccess
 * would fail.
 */
class ConfiguredOrPodTokenStrategy implements AuthenticationStrategy {
  readonly #pod = new ServiceAccountStrategy();

  async getCredential(cluster: ClusterDetails): Promise<KubernetesCredential> {
    const token = cluster.authMetadata.serviceAccountToken;
    if (token) return { type: 'bearer token', token };
    return this.#pod.getCredential(cluster);
  }

  validateCluster(): Error[] {
    return [];
  }

  presentAuthMetadata(): Record<string, string> {
    return {};
  }
}

/**
 * The auth providers the backend can use on its own (no end-user token needed):
 * `serviceAccount` (the cluster's `serviceAccountToken`, else the pod's token), and the
 * Kubernetes plugin's `AwsIamStrategy` (`aws`) and `AnonymousStrategy` (`localKubectlProxy`).
 *
 * @public
 */
export function defaultAuthStrategy(config: Config): AuthenticationStrategy {
  return new DispatchStrategy({
    authStrategyMap: {
      serviceAccount: new ConfiguredOrPodTokenStrategy(),
      aws: new AwsIamStrategy({ config }),
      localKubectlProxy: new AnonymousStrategy(),
    },
  });
}

/** @public */
export class ConfigClusterAccess implements ClusterAccess {
  static fromConfig(
    config: Config,
    options: { logger: LoggerService; authStrategy?: AuthenticationStrategy },
  ): ConfigClusterAccess {
    const clusters = readClusterDetails(config);
    const authStrategy = options.authStrategy ?? defaultAuthStrategy(config);
    for (const cluster of clusters) {
      const errors = authStrategy.validateCluster(cluster.authMetadata);
      if (errors.length) {
        throw new Error(
          `kubernetes cluster '${cluster.name}': ${errors
            .map(e => e.message)
            .join('; ')}`,
        );
      }
    }
    options.logger.info(
      `Cluster access for ${clusters.length} cluster(s): ${
        clusters.map(c => c.name).join(', ') || 'none'
      }`,
    );
    return new ConfigClusterAccess(clusters, authStrategy);
  }

  private constructor(
    private readonly clusters: ClusterDetails[],
    private readonly authStrategy: AuthenticationStrategy,
  ) {}

  listClusters(): ClusterInfo[] {
    return this.clusters.map(({ name, title, url }) => ({ name, title, url }));
  }

  async getKubeConfig(name: string): Promise<KubeConfig> {
    const cluster = this.clusters.find(c => c.name === name);
    if (!cluster) {
      throw new NotFoundError(
        `No Kubernetes cluster named '${name}' in the kubernetes config; known: ${
          this.clusters.map(c => c.name).join(', ') || 'none'
        }`,
      );
    }
    let credential: KubernetesCredential;
    try {
      credential = await this.authStrategy.getCredential(cluster, {});
    } catch (error) {
      // e.g. authProvider serviceAccount without serviceAccountToken outside a pod (no token file)
      throw new Error(
        `Kubernetes cluster '${name}': no credentials for authProvider '${
          cluster.authMetadata[AUTH_PROVIDER_ANNOTATION]
        }': ${(error as Error)?.message ?? error}`,
      );
    }
    return buildKubeConfig(cluster, credential);
  }
}
