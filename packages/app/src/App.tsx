import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { argocdPlugin } from './modules/argocd';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';

/**
 * The Runway portal. Every plugin listed in package.json is discovered
 * (`app.packages: all`); the modules here customise the shell, and `argocdPlugin`
 * brings the community Argo CD plugin, which has no new-frontend-system export yet.
 */
export default createApp({
  features: [catalogPlugin, argocdPlugin, navModule, homeModule, signInModule],
});
