import { grantKey, rulesGrants } from './rbac';

describe('rulesGrants', () => {
  it('is one grant per group, resource and verb, deduplicated and sorted', () => {
    const grants = rulesGrants([
      {
        apiGroups: ['argoproj.io'],
        resources: ['rollouts', 'rollouts/status'],
        verbs: ['patch'],
      },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'create'] },
      { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['patch'] },
      // A rule for non-resource URLs names no resource: no grant on a resource.
      { verbs: ['get'] },
    ]);
    expect(grants.map(grantKey)).toEqual([
      '/namespaces:create',
      '/namespaces:get',
      'argoproj.io/rollouts/status:patch',
      'argoproj.io/rollouts:patch',
    ]);
    expect(grants[0]).toEqual({
      apiGroup: '',
      resource: 'namespaces',
      verb: 'create',
    });
  });
});
