import { grantKey, rulesGrants } from '@runway/plugin-cluster-access-node';
import { assertDeclared, requiredGrants } from './kubernetesPermissions';
import { readRbacDocuments } from '../__testUtils__/rolloutPlane';

/** The grants of deploy/rbac.yaml's ClusterRole. */
const rbacGrants = () =>
  rulesGrants(readRbacDocuments().find(d => d?.kind === 'ClusterRole').rules);

describe('deploy/rbac.yaml', () => {
  it('grants exactly the verbs the backend uses', () => {
    expect(rbacGrants().map(grantKey)).toEqual(requiredGrants().map(grantKey));
  });

  it('lists exactly these grants (a change here is a change of RBAC: review it)', () => {
    expect(requiredGrants().map(grantKey)).toEqual([
      'apps/deployments:list',
      'apps/deployments:watch',
      'apps/replicasets:list',
      'apps/replicasets:watch',
      'argoproj.io/analysisruns:list',
      'argoproj.io/analysisruns:watch',
      'argoproj.io/rollouts/status:patch',
      'argoproj.io/rollouts:get',
      'argoproj.io/rollouts:list',
      'argoproj.io/rollouts:patch',
      'argoproj.io/rollouts:watch',
      'networking.istio.io/destinationrules:list',
      'networking.istio.io/destinationrules:watch',
      'networking.istio.io/virtualservices:list',
      'networking.istio.io/virtualservices:watch',
      'postgresql.cnpg.io/backups:list',
      'postgresql.cnpg.io/backups:watch',
      'postgresql.cnpg.io/clusters:list',
      'postgresql.cnpg.io/clusters:watch',
      'postgresql.cnpg.io/databases:list',
      'postgresql.cnpg.io/databases:watch',
      'postgresql.cnpg.io/scheduledbackups:list',
      'postgresql.cnpg.io/scheduledbackups:watch',
    ]);
  });

  it('binds the ClusterRole to the backend, with no wildcard anywhere', () => {
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
  it('lets declared requests through and stops undeclared ones', () => {
    expect(() => assertDeclared('rollouts/status', 'patch')).not.toThrow();
    expect(() => assertDeclared('rollouts', 'delete')).toThrow(
      "Internal error: 'delete' on rollouts is not declared in ROLLOUT_ACTION_GRANTS; declare it there and in deploy/rbac.yaml",
    );
  });
});
