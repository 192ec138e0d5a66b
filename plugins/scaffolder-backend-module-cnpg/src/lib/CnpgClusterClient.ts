import { ConflictError } from '@backstage/errors';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  ClusterAccess,
  displayUrl,
  kubernetesStatusCode,
  kubernetesStatusOf,
} from '@runway/plugin-cluster-access-node';
import { describeCnpgError } from './clusterErrors';
import { Manifest } from './manifests';
import {
  describeObject,
  FIELD_MANAGER,
  isManagedByRunway,
  KubeObject,
  resourceOf,
} from './objects';
import {
  assertDeclared,
  Operation,
  ResourceKey,
  RESOURCES,
} from './permissions';
import { ClusterReadiness } from './readiness';
import { waitForCluster, WaitForClusterOptions } from './waitForCluster';

/*
 * I/O with one Kubernetes cluster for cnpg:database:create: reads, server-side applies and
 * a readiness watch through `@kubernetes/client-node`. Every call first checks that
 * REQUIRED_PERMISSIONS declares it (permissions.ts), and every failure becomes an error of
 * `@backstage/errors` naming the cluster and its URL, never a credential.
 */

export type ApplyResult = {
  object: KubeObject;
  /** created: it did not exist; unchanged: the apply changed nothing. */
  result: 'created' | 'configured' | 'unchanged';
};

/** Reads, applies and watches the objects of cnpg:database:create in one cluster. */
export class CnpgClusterClient {
  /**
   * A client for a configured cluster. Fetches fresh credentials from cluster access.
   * @throws NotFoundError when no cluster has that name.
   */
  static async connect(
    clusterAccess: ClusterAccess,
    cluster: string,
  ): Promise<CnpgClusterClient> {
    const kc = await clusterAccess.getKubeConfig(cluster);
    return new CnpgClusterClient(cluster, kc);
  }

  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(readonly cluster: string, readonly kc: KubeConfig) {
    this.server = displayUrl(kc.getCurrentCluster()?.server);
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }

  private async call<T>(
    resource: ResourceKey,
    operation: Operation,
    doing: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    assertDeclared(resource, operation);
    try {
      return await fn();
    } catch (error) {
      throw describeCnpgError(error, {
        cluster: this.cluster,
        server: this.server,
        doing,
        resource: RESOURCES[resource],
      });
    }
  }

  /** One object, or undefined when it does not exist. */
  async read(
    resource: ResourceKey,
    name: string,
    namespace?: string,
  ): Promise<KubeObject | undefined> {
    const r = RESOURCES[resource];
    const doing = `reading ${describeObject(r.kind, name, namespace)}`;
    assertDeclared(resource, 'read');
    try {
      if (resource === 'namespaces') {
        return (await this.core.readNamespace({ name })) as KubeObject;
      }
      return (await this.custom.getNamespacedCustomObject({
        group: r.group,
        version: r.version,
        plural: r.plural,
        namespace: namespace!,
        name,
      })) as KubeObject;
    } catch (error) {
      // A missing object (its name in the Status), not a missing resource type (no name).
      if (
        kubernetesStatusCode(error) === 404 &&
        kubernetesStatusOf(error).details?.name
      ) {
        return undefined;
      }
      throw describeCnpgError(error, {
        cluster: this.cluster,
        server: this.server,
        doing,
        resource: r,
      });
    }
  }

  /**
   * Reads the object a manifest describes: undefined when it does not exist, the object
   * when Runway manages it.
   * @throws ConflictError when it exists and Runway's field manager does not manage it.
   */
  async readOwned(manifest: Manifest): Promise<KubeObject | undefined> {
    const { kind, metadata } = manifest;
    const existing = await this.read(
      resourceOf(manifest),
      metadata.name,
      metadata.namespace,
    );
    if (existing && !isManagedByRunway(existing)) {
      const managers = [
        ...new Set(
          (existing.metadata.managedFields ?? [])
            .map(m => m.manager)
            .filter(Boolean),
        ),
      ];
      throw new ConflictError(
        `Kubernetes cluster '${this.cluster}': ${describeObject(
          kind,
          metadata.name,
          metadata.namespace,
        )} already exists and Runway does not manage it (field managers: ${
          managers.join(', ') || 'none'
        }; Runway's is '${FIELD_MANAGER}'). Nothing was changed: choose another name, or delete or adopt the object first.`,
      );
    }
    return existing;
  }

  /**
   * Server-side apply with Runway's field manager, never forced: a field another manager
   * owns with another value fails with a ConflictError naming it.
   * @param existing the object as read before, to tell created, configured and unchanged apart.
   */
  async apply(manifest: Manifest, existing?: KubeObject): Promise<ApplyResult> {
    const resource = resourceOf(manifest);
    const r = RESOURCES[resource];
    const { name, namespace } = manifest.metadata;
    const options = setHeaderOptions(
      'Content-Type',
      PatchStrategy.ServerSideApply,
    );
    const object = await this.call(
      resource,
      'apply',
      `applying ${describeObject(r.kind, name, namespace)}`,
      async () => {
        if (resource === 'namespaces') {
          return (await this.core.patchNamespace(
            {
              name,
              body: manifest,
              fieldManager: FIELD_MANAGER,
              fieldValidation: 'Strict',
            },
            options,
          )) as KubeObject;
        }
        return (await this.custom.patchNamespacedCustomObject(
          {
            group: r.group,
            version: r.version,
            plural: r.plural,
            namespace: namespace!,
            name,
            body: manifest,
            fieldManager: FIELD_MANAGER,
            fieldValidation: 'Strict',
          },
          options,
        )) as KubeObject;
      },
    );
    let result: ApplyResult['result'] = 'configured';
    if (!existing) result = 'created';
    else if (
      existing.metadata.resourceVersion === object.metadata.resourceVersion
    )
      result = 'unchanged';
    return { object, result };
  }

  /**
   * Watches a Cluster until it has `instances` ready instances and a healthy phase (see
   * waitForCluster.ts).
   * @throws ClusterNotReadyError with the operator's last status after `timeoutMs`.
   */
  async waitForCluster(
    options: WaitForClusterOptions,
  ): Promise<ClusterReadiness> {
    return waitForCluster(this, options);
  }
}
