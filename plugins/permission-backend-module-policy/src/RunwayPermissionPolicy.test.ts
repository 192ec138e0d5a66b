import type { UserInfoService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  type Permission,
  type PermissionCriteria,
  type PermissionCondition,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  canaryEnvironmentPromotePermission,
  canaryRolloutAbortPermission,
  canaryRolloutPromotePermission,
} from '@runway/plugin-canary-common';
import { RunwayPermissionPolicy } from './RunwayPermissionPolicy';

/** Who each user is, as sign-in resolved them: their ref and their groups'. */
const users: Record<string, string[]> = {
  'user:default/olivia': ['user:default/olivia'],
  'user:default/gary': ['user:default/gary', 'group:default/orders-team'],
  'user:default/pat': ['user:default/pat', 'group:default/platform'],
  'user:default/eve': ['user:default/eve', 'group:default/storefront-team'],
};
const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: users[ref] };
  },
};

const entity = (owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const ownedByOlivia = entity('user:default/olivia');
const ownedByOrdersTeam = entity('group:default/orders-team');

/** Resolves a decision for one entity with the catalog's own rules, as the catalog would. */
function resolve(decision: PolicyDecision, target: Entity): AuthorizeResult {
  if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result;
  expect(decision.pluginId).toBe('catalog');
  expect(decision.resourceType).toBe('catalog-entity');
  const rules = Object.values(permissionRules);
  const evaluate = (
    c: PermissionCriteria<PermissionCondition<string>>,
  ): boolean => {
    if ('allOf' in c) return c.allOf.every(evaluate);
    if ('anyOf' in c) return c.anyOf.some(evaluate);
    if ('not' in c) return !evaluate(c.not);
    const rule = rules.find(r => r.name === c.rule);
    if (!rule) throw new Error(`unknown rule ${c.rule}`);
    return rule.apply(target, c.params as never);
  };
  return evaluate(decision.conditions)
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;
}

const policy = RunwayPermissionPolicy.fromConfig(
  new ConfigReader({
    runway: { permissions: { platformTeams: ['group:default/Platform'] } },
  }),
  { userInfo },
);
const asUser = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: users[ref] },
});

const { ALLOW, DENY } = AuthorizeResult;
const acting: Permission[] = [
  canaryRolloutPromotePermission,
  canaryRolloutAbortPermission,
  canaryEnvironmentPromotePermission,
];

describe('RunwayPermissionPolicy', () => {
  describe.each(acting.map(p => [p.name, p]))('%s', (_, permission) => {
    it.each<[string, string | undefined, Entity, AuthorizeResult]>([
      ['the owner (directly)', 'user:default/olivia', ownedByOlivia, ALLOW],
      [
        'a member of the owning group',
        'user:default/gary',
        ownedByOrdersTeam,
        ALLOW,
      ],
      [
        'the platform team, on any entity',
        'user:default/pat',
        ownedByOrdersTeam,
        ALLOW,
      ],
      ['another user', 'user:default/eve', ownedByOrdersTeam, DENY],
      [
        'the owner of another entity',
        'user:default/olivia',
        ownedByOrdersTeam,
        DENY,
      ],
      ['a member of another group', 'user:default/gary', ownedByOlivia, DENY],
      [
        'no user (a request without a user principal)',
        undefined,
        ownedByOlivia,
        DENY,
      ],
    ])('%s: %s', async (_who, ref, target, expected) => {
      const decision = await policy.handle(
        { permission },
        ref ? asUser(ref) : undefined,
      );
      expect(resolve(decision, target)).toBe(expected);
    });
  });

  it('answers an owner with the catalog condition on the user’s refs, never a blanket allow', async () => {
    const decision = await policy.handle(
      { permission: canaryRolloutAbortPermission },
      asUser('user:default/gary'),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/gary', 'group:default/orders-team'] },
      },
    });
  });

  it.each<[string, string | undefined]>([
    ['a user', 'user:default/eve'],
    ['no user', undefined],
  ])('leaves every other permission as before: %s may read', async (_, ref) => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      ref ? asUser(ref) : undefined,
    );
    expect(decision).toEqual({ result: ALLOW });
  });

  it.each([
    [
      ['platform'],
      'runway.permissions.platformTeams[0] must name the kind (group:default/platform), got "platform"',
    ],
    [
      ['group:default/ok', ':/'],
      'runway.permissions.platformTeams[1] must be an entity ref such as group:default/platform, got ":/"',
    ],
  ])('refuses platformTeams %j', (platformTeams, message) => {
    expect(() =>
      RunwayPermissionPolicy.fromConfig(
        new ConfigReader({ runway: { permissions: { platformTeams } } }),
        { userInfo },
      ),
    ).toThrow(message);
  });

  it('has no platform team unless configured', async () => {
    const bare = RunwayPermissionPolicy.fromConfig(new ConfigReader({}), {
      userInfo,
    });
    const decision = await bare.handle(
      { permission: canaryRolloutPromotePermission },
      asUser('user:default/pat'),
    );
    expect(resolve(decision, ownedByOrdersTeam)).toBe(DENY);
  });
});
