export { canaryApiRef } from './CanaryApi';
export type { CanaryApi, RolloutActionRequest } from './CanaryApi';
export { CanaryClient } from './CanaryClient';
