/*
 * Every Kubernetes request the Canary backend makes, as RBAC grants: the single source of
 * truth for the I/O code (the Rollout client checks its verbs here first) and for
 * deploy/rbac.yaml (a test asserts the ClusterRole grants exactly these).
 */
import {
  CLUSTER_STATE_KINDS,
  RbacGrant,
  sortGrants,
} from '@runway/plugin-cluster-access-node';
import { CANARY_KINDS } from './CanaryStatusService';
import { DATABASE_KINDS } from './DatabaseStatusService';

/** argoproj.io/v1alpha1 Rollouts, which the actions read and patch. */
export const ROLLOUTS = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'rollouts',
} as const;

/** What the Rollout actions do: read the Rollout, patch it and its status subresource. */
export const ROLLOUT_ACTION_GRANTS: readonly RbacGrant[] = [
  { apiGroup: ROLLOUTS.group, resource: 'rollouts', verb: 'get' },
  { apiGroup: ROLLOUTS.group, resource: 'rollouts', verb: 'patch' },
  { apiGroup: ROLLOUTS.group, resource: 'rollouts/status', verb: 'patch' },
];

/**
 * Every grant the Canary backend needs: list and watch of each kind its views read
 * through the cluster-state layer, and the Rollout actions' verbs.
 */
export function requiredGrants(): RbacGrant[] {
  const reads = [...CANARY_KINDS, ...DATABASE_KINDS].flatMap(id => {
    const kind = CLUSTER_STATE_KINDS[id];
    return ['list', 'watch'].map(verb => ({
      apiGroup: kind.group,
      resource: kind.plural,
      verb,
    }));
  });
  return sortGrants([...reads, ...ROLLOUT_ACTION_GRANTS]);
}

/**
 * Throws unless the Rollout actions declare this verb: the client calls it before every
 * request, so code cannot use a verb the RBAC does not list.
 */
export function assertDeclared(resource: string, verb: string): void {
  if (
    !ROLLOUT_ACTION_GRANTS.some(g => g.resource === resource && g.verb === verb)
  ) {
    throw new Error(
      `Internal error: '${verb}' on ${resource} is not declared in ROLLOUT_ACTION_GRANTS; declare it there and in deploy/rbac.yaml`,
    );
  }
}
