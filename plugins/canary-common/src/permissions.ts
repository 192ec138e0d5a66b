/*
 * The Canary actions' permissions. Their names are an interface: a platform team's own
 * permission policy matches on them, so they never change.
 *
 * Each is a resource permission on the catalog entity the Rollout belongs to, so a policy
 * can answer with a condition on that entity (its owner, its system, a label…), which the
 * catalog resolves for the entity the request names.
 */
import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Move a Rollout forward: promote to the next step, promote fully, retry an aborted
 * Rollout.
 *
 * @public
 */
export const canaryRolloutPromotePermission = createPermission({
  name: 'canary.rollout.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Abort a Rollout: all traffic back to the stable revision.
 *
 * @public
 */
export const canaryRolloutAbortPermission = createPermission({
  name: 'canary.rollout.abort',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Promote the commit staging runs to production (the gates of `argocd:app:promote`).
 *
 * @public
 */
export const canaryEnvironmentPromotePermission = createPermission({
  name: 'canary.environment.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the Canary plugin, as registered with the permissions registry.
 *
 * @public
 */
export const canaryPermissions = [
  canaryRolloutPromotePermission,
  canaryRolloutAbortPermission,
  canaryEnvironmentPromotePermission,
];
