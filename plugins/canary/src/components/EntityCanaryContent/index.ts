export { EntityCanaryContent } from './EntityCanaryContent';
