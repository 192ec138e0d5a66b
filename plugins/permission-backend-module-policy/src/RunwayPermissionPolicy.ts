import type {
  BackstageUserInfo,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { canaryPermissions } from '@runway/plugin-canary-common';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The permissions that change something in a cluster on behalf of an entity. */
const ACTING_PERMISSIONS = new Set(canaryPermissions.map(p => p.name));

/**
 * Options of RunwayPermissionPolicy.
 *
 * @public
 */
export type RunwayPermissionPolicyOptions = {
  /** Entity refs whose members act on every entity (`group:default/platform`). */
  platformTeams: string[];
  /** Who a signed-in user is: their ref and the ownership refs sign-in gave them. */
  userInfo: UserInfoService;
};

/**
 * Runway's permission policy.
 *
 * - The acting permissions (`canary.rollout.promote`, `canary.rollout.abort`,
 *   `canary.environment.promote`): a user of a platform team may act on any entity;
 *   another user on the entities they own, directly or through a group they belong to
 *   (a condition the catalog resolves for the entity named); without a user (an
 *   unauthenticated request): denied.
 * - Every other permission: allowed, as before this policy (everyone signed in reads;
 *   what the catalog and the other plugins allow stays as Backstage ships it).
 *
 * Service principals (another plugin, a static token) never reach a policy: Backstage
 * decides for them from their token's access restrictions. The Canary backend refuses
 * them its actions unless `canary.actions.servicePrincipals` names them.
 *
 * @public
 */
export class RunwayPermissionPolicy implements PermissionPolicy {
  readonly #platformTeams: Set<string>;
  readonly #userInfo: UserInfoService;

  /** The policy of `runway.permissions`; throws naming the key of a bad entry. */
  static fromConfig(
    config: Config,
    options: { userInfo: UserInfoService },
  ): RunwayPermissionPolicy {
    const key = 'runway.permissions.platformTeams';
    const refs = config.getOptionalStringArray(key) ?? [];
    return new RunwayPermissionPolicy({
      platformTeams: refs.map((ref, i) => normalizeRef(ref, `${key}[${i}]`)),
      userInfo: options.userInfo,
    });
  }

  constructor(options: RunwayPermissionPolicyOptions) {
    this.#platformTeams = new Set(options.platformTeams.map(lower));
    this.#userInfo = options.userInfo;
  }

  /** Decides one permission request for a user (undefined: no user principal). */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!ACTING_PERMISSIONS.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user || !isResourcePermission(permission, 'catalog-entity')) {
      return { result: AuthorizeResult.DENY };
    }
    const info: BackstageUserInfo = await this.#userInfo.getUserInfo(
      user.credentials,
    );
    const claims = [info.userEntityRef, ...info.ownershipEntityRefs];
    if (claims.some(ref => this.#platformTeams.has(lower(ref)))) {
      return { result: AuthorizeResult.ALLOW };
    }
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityOwner({ claims: [...new Set(claims)] }),
    );
  }
}

/** A full entity ref (`kind:namespace/name`), or an error naming the config key. */
function normalizeRef(ref: string, key: string): string {
  if (!ref.includes(':')) {
    throw new Error(
      `${key} must name the kind (group:default/platform), got "${ref}"`,
    );
  }
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch {
    throw new Error(
      `${key} must be an entity ref such as group:default/platform, got "${ref}"`,
    );
  }
}
