/**
 * Rules every Runway package shares, without I/O: Kubernetes naming rules as zod schemas,
 * label selectors, input errors that name the field and the rule, and retry backoff.
 *
 * @packageDocumentation
 */
export { backoffDelay, exponentialBackoff } from './backoff';
export type { BackoffOptions } from './backoff';
export {
  MAX_DNS1123_LABEL_LENGTH,
  MAX_DNS1123_SUBDOMAIN_LENGTH,
  MAX_LABEL_VALUE_LENGTH,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  emptyAsAbsent,
  labelKeyProblem,
  labelValue,
  labels,
  quantity,
  quantityValue,
} from './kubernetesNames';
export type { NameRuleOptions } from './kubernetesNames';
export {
  labelSelectorMatcher,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';
export type { LabelSelectorRequirement } from './labelSelector';
export {
  describeIssue,
  describeIssues,
  formatPath,
  parseInput,
  parseValue,
} from './parseInput';
