/*
 * RBAC grants: how a plugin declares the Kubernetes verbs it uses (the single source its
 * I/O checks and its deploy/rbac.yaml is compared with) and how a ClusterRole's rules
 * are read as the same grants.
 */

/**
 * One RBAC grant: a verb on a resource (or `resource/subresource`) of an API group
 * (`''` for the core group).
 *
 * @public
 */
export type RbacGrant = { apiGroup: string; resource: string; verb: string };

/**
 * A grant as one string: `group/resource:verb`.
 *
 * @public
 */
export const grantKey = (g: RbacGrant) =>
  `${g.apiGroup}/${g.resource}:${g.verb}`;

/**
 * Grants deduplicated and sorted by `group/resource:verb`.
 *
 * @public
 */
export function sortGrants(grants: readonly RbacGrant[]): RbacGrant[] {
  const unique = new Map(grants.map(g => [grantKey(g), g]));
  return [...unique.keys()].sort().map(k => unique.get(k)!);
}

/**
 * The grants of a ClusterRole's (or Role's) rules, one per group, resource and verb,
 * deduplicated and sorted.
 *
 * @public
 */
export function rulesGrants(
  rules: ReadonlyArray<{
    apiGroups?: readonly string[];
    resources?: readonly string[];
    verbs: readonly string[];
  }>,
): RbacGrant[] {
  return sortGrants(
    rules.flatMap(rule =>
      (rule.apiGroups ?? []).flatMap(apiGroup =>
        (rule.resources ?? []).flatMap(resource =>
          rule.verbs.map(verb => ({ apiGroup, resource, verb })),
        ),
      ),
    ),
  );
}
