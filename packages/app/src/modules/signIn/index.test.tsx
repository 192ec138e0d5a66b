import { ConfigReader } from '@backstage/config';
import {
  configApiRef,
  discoveryApiRef,
  githubAuthApiRef,
} from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { RunwaySignInPage } from './index';

describe('RunwaySignInPage', () => {
  it.each([
    [{}, 'Guest', 'Enter'],
    [{ runway: { signIn: { provider: 'guest' } } }, 'Guest', 'Enter'],
    [{ runway: { signIn: { provider: 'github' } } }, 'GitHub', 'Sign In'],
  ])('with config %j offers %s', async (config, title, button) => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            configApiRef,
            new ConfigReader({ app: { title: 'Runway' }, ...config }),
          ],
          [githubAuthApiRef, { getBackstageIdentity: jest.fn() }],
          [
            discoveryApiRef,
            {
              getBaseUrl: async (id: string) =>
                `http://localhost:7007/api/${id}`,
            },
          ],
        ]}
      >
        <RunwaySignInPage onSignInSuccess={jest.fn()} />
      </TestApiProvider>,
    );
    expect(screen.getByText(title)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: button })).toBeInTheDocument();
    expect(
      screen.queryByText(title === 'Guest' ? 'GitHub' : 'Guest'),
    ).toBeNull();
  });
});
