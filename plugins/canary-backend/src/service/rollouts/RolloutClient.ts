import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type {
  RolloutActionTarget,
  RolloutPatch,
} from '@runway/plugin-canary-common';
import {
  ClusterAccess,
  describeKubernetesError,
  displayUrl,
  kubernetesStatusCode,
  kubernetesStatusOf,
} from '@runway/plugin-cluster-access-node';
import { assertDeclared, ROLLOUTS } from '../kubernetesPermissions';

/** A Rollout as the API returns it: what the actions read, plus its labels. */
export type RolloutObject = RolloutActionTarget & {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
};

const FORBIDDEN_HINT =
  "Bind the backend's identity to the ClusterRole of plugins/canary-backend/deploy/rbac.yaml";

/**
 * Reads and patches Argo Rollouts in one cluster with the backend's identity (cluster
 * access). Every request is declared in kubernetesPermissions.ts; every failure becomes an
 * error of `@backstage/errors` naming the cluster and its URL, never a credential.
 */
export class RolloutClient {
  static async connect(
    clusterAccess: ClusterAccess,
    cluster: string,
  ): Promise<RolloutClient> {
    return new RolloutClient(
      cluster,
      await clusterAccess.getKubeConfig(cluster),
    );
  }

  readonly #server: string;
  readonly #api: CustomObjectsApi;

  constructor(readonly cluster: string, kc: KubeConfig) {
    this.#server = displayUrl(kc.getCurrentCluster()?.server);
    this.#api = kc.makeApiClient(CustomObjectsApi);
  }

  #error(error: unknown, doing: string): Error {
    return describeKubernetesError(error, {
      cluster: this.cluster,
      server: this.#server,
      doing,
      forbiddenHint: FORBIDDEN_HINT,
      resource: ROLLOUTS,
      resourceProvider: 'Argo Rollouts',
    });
  }

  /** The Rollout, or undefined when it does not exist. */
  async get(
    namespace: string,
    name: string,
  ): Promise<RolloutObject | undefined> {
    assertDeclared('rollouts', 'get');
    try {
      return (await this.#api.getNamespacedCustomObject({
        ...ROLLOUTS,
        namespace,
        name,
      })) as RolloutObject;
    } catch (error) {
      // A missing object (its name in the Status), not a missing resource type.
      if (
        kubernetesStatusCode(error) === 404 &&
        kubernetesStatusOf(error).details?.name
      ) {
        return undefined;
      }
      throw this.#error(error, `reading Rollout ${namespace}/${name}`);
    }
  }

  /** Sends one JSON merge patch, to the status subresource or the object; returns the Rollout. */
  async patch(
    namespace: string,
    name: string,
    patch: RolloutPatch,
  ): Promise<RolloutObject> {
    const status = patch.subresource === 'status';
    assertDeclared(status ? 'rollouts/status' : 'rollouts', 'patch');
    const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const request = { ...ROLLOUTS, namespace, name, body: patch.body };
    try {
      return (await (status
        ? this.#api.patchNamespacedCustomObjectStatus(request, options)
        : this.#api.patchNamespacedCustomObject(
            request,
            options,
          ))) as RolloutObject;
    } catch (error) {
      throw this.#error(
        error,
        `patching ${
          status ? 'the status of ' : ''
        }Rollout ${namespace}/${name}`,
      );
    }
  }
}
