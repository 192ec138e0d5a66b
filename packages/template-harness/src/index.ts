/**
 * The harness's checks of generated artifacts, public for the other suites that verify the
 * same kinds of artifacts (packages/deploy-harness: Runway's own image and chart).
 */
export {
  checkDockerfile,
  checkDockerfileText,
  parseImageRef,
} from './checks/dockerfile';
export {
  checkManifests,
  checkSemantics,
  validateSchemas,
  helmBinary,
  lintChart,
  renderChart,
  KUBE_VERSION,
} from './checks/manifests';
export { nameOf, ofKind } from './checks/objects';
export type {
  K8sObject,
  HelmOptions,
  RenderOptions,
  CheckOptions,
} from './checks/manifests';
