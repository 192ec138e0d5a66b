import { Manifest } from './manifests';
import { ResourceKey, RESOURCES } from './permissions';

/*
 * The objects of cnpg:database:create as the API server returns them, and what marks one as
 * Runway's: pure.
 */

/** The field manager of every apply: what marks an object as Runway's. */
export const FIELD_MANAGER = 'runway-cnpg';

/** An object as the API server returns it. */
export type KubeObject = Manifest & {
  metadata: Manifest['metadata'] & {
    resourceVersion?: string;
    generation?: number;
    managedFields?: { manager?: string; operation?: string }[];
  };
  status?: Record<string, unknown>;
};

/** Whether Runway's field manager manages the object (it applied it before). */
export function isManagedByRunway(object: KubeObject): boolean {
  return (object.metadata.managedFields ?? []).some(
    entry => entry.manager === FIELD_MANAGER,
  );
}

/** `Cluster orders/orders-db`, for messages. */
export const describeObject = (
  kind: string,
  name: string,
  namespace?: string,
) => `${kind} ${namespace ? `${namespace}/` : ''}${name}`;

/** The resource of a manifest, from its apiVersion and kind. */
export function resourceOf(manifest: {
  apiVersion: string;
  kind: string;
}): ResourceKey {
  const key = (Object.keys(RESOURCES) as ResourceKey[]).find(k => {
    const r = RESOURCES[k];
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    return apiVersion === manifest.apiVersion && r.kind === manifest.kind;
  });
  if (!key) {
    throw new Error(
      `Internal error: ${manifest.apiVersion} ${manifest.kind} is not a resource this action manages`,
    );
  }
  return key;
}
