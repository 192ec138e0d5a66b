/**
 * `make demo`: Runway on two real control planes, staging and production, running the example
 * system from its rendered charts, with a canary held by the real Argo Rollouts controller and
 * synthetic health series behind a Prometheus-compatible endpoint.
 *
 * @packageDocumentation
 */
export {
  startDemo,
  portalConfig,
  pluginRbacDocuments,
  DEMO_CRDS,
} from './demo';
export type { Demo, DemoCluster, DemoOptions } from './demo';
export * from './plan';
export {
  classifyQuery,
  syntheticValue,
  instantQuery,
  rangeQuery,
  SYNTHETIC_LABEL,
  SYNTHETIC_LABEL_VALUE,
  SYNTHETIC_NOTICE,
} from './synthetic';
export type {
  ClassifiedQuery,
  PrometheusResponse,
  SyntheticSignal,
  Track,
} from './synthetic';
export { startSyntheticPrometheus } from './prometheus';
export type { SyntheticPrometheus } from './prometheus';
export { processMemory } from './memory';
