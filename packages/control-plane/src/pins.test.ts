import { platformVersions } from './crds';
import { toolsModuleVersion } from './modules';

// The control plane runs what the platform template deploys: a version bump in the pin list without the
// tools module (or the other way round) would test against a cluster nobody runs.
describe('tools modules follow the platform pin list', () => {
  const versions = platformVersions();

  it.each([
    {
      what: 'kube-apiserver, kube-controller-manager and kube-scheduler',
      tools: 'kubernetes',
      module: 'k8s.io/kubernetes',
      pinned: `v${versions.kubernetes.version}`,
    },
    {
      what: 'the Argo Rollouts controller',
      tools: 'argo-rollouts',
      module: 'github.com/argoproj/argo-rollouts',
      pinned: versions.components['argo-rollouts']?.appVersion,
    },
  ])(
    '$what: tools/$tools requires $module at $pinned',
    ({ tools, module, pinned }) => {
      expect(pinned).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(toolsModuleVersion(tools, module)).toBe(pinned);
    },
  );

  it('reads the Rollouts CRDs from the same release as the controller', () => {
    const rollouts = versions.components['argo-rollouts'];
    expect(rollouts?.crds?.version).toBe(rollouts?.appVersion);
  });
});
