import { RbacGrant, sortGrants } from '@runway/plugin-cluster-access-node';

/**
 * The Kubernetes resources cnpg:database:create touches and what it does with each: the
 * single source of truth for the I/O layer (every call checks its permission here first)
 * and for `deploy/rbac.yaml` (a test asserts the ClusterRole grants exactly these verbs).
 */

/** The resources the action reads and writes. */
export const RESOURCES = {
  namespaces: {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
  },
  clusters: {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'clusters',
    kind: 'Cluster',
    namespaced: true,
  },
  databases: {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'databases',
    kind: 'Database',
    namespaced: true,
  },
  scheduledbackups: {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'scheduledbackups',
    kind: 'ScheduledBackup',
    namespaced: true,
  },
  objectstores: {
    group: 'barmancloud.cnpg.io',
    version: 'v1',
    plural: 'objectstores',
    kind: 'ObjectStore',
    namespaced: true,
  },
} as const;

export type ResourceKey = keyof typeof RESOURCES;
export type ResourceType = (typeof RESOURCES)[ResourceKey];

/**
 * What the I/O layer does, and the RBAC verbs each needs. A server-side apply is a PATCH;
 * when the object does not exist yet the API server also authorizes it as a create.
 */
export const OPERATION_VERBS = {
  read: ['get'],
  apply: ['patch', 'create'],
  watch: ['watch'],
} as const;

export type Operation = keyof typeof OPERATION_VERBS;

/** The operations the action performs on each resource. */
export const REQUIRED_PERMISSIONS: Readonly<
  Record<ResourceKey, readonly Operation[]>
> = {
  // Read to tell whether it exists; applied only with createNamespace.
  namespaces: ['read', 'apply'],
  // Read before applying (ownership), applied, watched with waitForReady.
  clusters: ['read', 'apply', 'watch'],
  databases: ['read', 'apply'],
  scheduledbackups: ['read', 'apply'],
  objectstores: ['read', 'apply'],
};

/** REQUIRED_PERMISSIONS as RBAC grants, sorted (`group/resource:verb`). */
export function requiredGrants(): RbacGrant[] {
  const grants = (Object.keys(REQUIRED_PERMISSIONS) as ResourceKey[]).flatMap(
    key =>
      REQUIRED_PERMISSIONS[key].flatMap(operation =>
        OPERATION_VERBS[operation].map(verb => ({
          apiGroup: RESOURCES[key].group,
          resource: RESOURCES[key].plural,
          verb,
        })),
      ),
  );
  return sortGrants(grants);
}

/**
 * Throws unless REQUIRED_PERMISSIONS declares the operation on the resource: the I/O layer
 * calls this before every request, so code cannot use a verb the RBAC does not list.
 */
export function assertDeclared(resource: ResourceKey, operation: Operation) {
  if (!REQUIRED_PERMISSIONS[resource].includes(operation)) {
    throw new Error(
      `Internal error: '${operation}' on ${RESOURCES[resource].plural} is not declared in REQUIRED_PERMISSIONS; declare it there and in deploy/rbac.yaml`,
    );
  }
}
