import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { ComponentProps } from 'react';

const githubProvider = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * Guest sign-in locally; GitHub where `runway.signIn.provider` says so
 * (app-config.production.yaml).
 */
export const RunwaySignInPage = (
  props: Omit<ComponentProps<typeof SignInPage>, 'providers' | 'provider'>,
) => {
  const config = useApi(configApiRef);
  const provider =
    config.getOptionalString('runway.signIn.provider') ?? 'guest';
  return (
    <SignInPage
      {...props}
      providers={provider === 'github' ? [githubProvider] : ['guest']}
    />
  );
};

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: { loader: async () => RunwaySignInPage },
    }),
  ],
});
