export { argocdPlugin } from './plugin';
