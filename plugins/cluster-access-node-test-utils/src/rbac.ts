import { FakeStatusError, RequestTarget } from './routing';
import { AuthorizationCheck, FakeRbacRule } from './types';

/*
 * Who may do what: the bearer token every request must carry, and the RBAC decision for the
 * verb a request needs, logged whether or not rules are set.
 */

/** The RBAC verbs a request needs, or undefined when the fake does not serve the method. */
export function verbsOf(
  method: string,
  target: RequestTarget,
  exists: () => boolean,
): string[] | undefined {
  if (method === 'GET' && target.name) return ['get'];
  if (method === 'GET') return [target.watch ? 'watch' : 'list'];
  if (method === 'POST' && !target.name) return ['create'];
  if (method === 'PATCH' && target.name) {
    // A server-side apply that creates the object is also authorized as a create.
    return exists() ? ['patch'] : ['patch', 'create'];
  }
  return undefined;
}

export function allows(
  rules: FakeRbacRule[] | undefined,
  check: AuthorizationCheck,
) {
  if (!rules) return true;
  return rules.some(
    r =>
      (r.apiGroups.includes(check.apiGroup) || r.apiGroups.includes('*')) &&
      (r.resources.includes(check.resource) || r.resources.includes('*')) &&
      (r.verbs.includes(check.verb) || r.verbs.includes('*')),
  );
}

/**
 * Authorizes a request: appends each check to `log`, throws the API server's 403 for the
 * first verb the rules do not grant.
 */
export function authorize(
  rules: FakeRbacRule[] | undefined,
  verbs: string[],
  target: RequestTarget,
  log: AuthorizationCheck[],
) {
  const { apiGroup, plural, namespace, name } = target;
  for (const verb of verbs) {
    const check: AuthorizationCheck = {
      verb,
      apiGroup,
      resource: plural,
      ...(namespace && { namespace }),
      ...(name && { name }),
    };
    log.push(check);
    if (!allows(rules, check)) {
      const what = name ? `${plural} "${name}"` : plural;
      const scope = namespace ? ` in the namespace "${namespace}"` : '';
      throw new FakeStatusError(
        403,
        'Forbidden',
        `${what} is forbidden: User "backstage" cannot ${verb} resource "${plural}" in API group "${apiGroup}"${scope}`,
      );
    }
  }
}

/** Checks the bearer token (when one is required); 401 otherwise. */
export function authenticate(
  token: string | undefined,
  authorization: string | undefined,
) {
  if (token && authorization !== `Bearer ${token}`) {
    throw new FakeStatusError(401, 'Unauthorized', 'Unauthorized');
  }
}
