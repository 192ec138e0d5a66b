export { canaryApiRef } from './CanaryApi';
export type { CanaryApi } from './CanaryApi';
export { CanaryClient } from './CanaryClient';
