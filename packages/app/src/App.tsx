import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';

/**
 * The Runway portal. Every plugin listed in package.json is discovered
 * (`app.packages: all`); the modules here only customise the shell.
 */
export default createApp({
  features: [catalogPlugin, navModule, homeModule, signInModule],
});
