import { grantKey, rulesGrants } from '@runway/plugin-cluster-access-node';
import { assertDeclared, requiredGrants } from './permissions';
import { rbacRules, readRbacDocuments } from '../__testUtils__/fixtures';

/** The grants of deploy/rbac.yaml's ClusterRole. */
const rbacGrants = () => rulesGrants(rbacRules());

describe('deploy/rbac.yaml', () => {
  it('grants exactly the verbs REQUIRED_PERMISSIONS declares', () => {
    expect(rbacGrants().map(grantKey)).toEqual(requiredGrants().map(grantKey));
  });

  it('lists exactly these grants (a change here is a change of RBAC: review it)', () => {
    expect(requiredGrants().map(grantKey)).toEqual([
      '/namespaces:create',
      '/namespaces:get',
      '/namespaces:patch',
      'barmancloud.cnpg.io/objectstores:create',
      'barmancloud.cnpg.io/objectstores:get',
      'barmancloud.cnpg.io/objectstores:patch',
      'postgresql.cnpg.io/clusters:create',
      'postgresql.cnpg.io/clusters:get',
      'postgresql.cnpg.io/clusters:patch',
      'postgresql.cnpg.io/clusters:watch',
      'postgresql.cnpg.io/databases:create',
      'postgresql.cnpg.io/databases:get',
      'postgresql.cnpg.io/databases:patch',
      'postgresql.cnpg.io/scheduledbackups:create',
      'postgresql.cnpg.io/scheduledbackups:get',
      'postgresql.cnpg.io/scheduledbackups:patch',
    ]);
  });

  it('binds the ClusterRole, with no wildcard anywhere', () => {
    const docs = readRbacDocuments();
    const role = docs.find(d => d?.kind === 'ClusterRole');
    const binding = docs.find(d => d?.kind === 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'backstage', namespace: 'backstage' },
    ]);
    expect(JSON.stringify(role.rules)).not.toContain('*');
  });
});

describe('assertDeclared', () => {
  it('lets declared operations through and stops undeclared ones', () => {
    expect(() => assertDeclared('clusters', 'watch')).not.toThrow();
    expect(() => assertDeclared('databases', 'watch')).toThrow(
      "Internal error: 'watch' on databases is not declared in REQUIRED_PERMISSIONS; declare it there and in deploy/rbac.yaml",
    );
  });
});
