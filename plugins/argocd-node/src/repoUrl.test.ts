import { InputError } from '@backstage/errors';
import { normalizeRepoUrl, parseGitHubRepository } from './repoUrl';

describe('normalizeRepoUrl', () => {
  it.each([
    [
      'https://github.com/example-org/orders-api.git',
      'https://github.com/example-org/orders-api.git',
    ],
    [
      'https://github.com/example-org/orders-api',
      'https://github.com/example-org/orders-api',
    ],
    [
      '  https://github.com/example-org/orders-api  ',
      'https://github.com/example-org/orders-api',
    ],
    [
      'ssh://git@github.com/example-org/orders-api.git',
      'ssh://git@github.com/example-org/orders-api.git',
    ],
    [
      'git@github.com:example-org/orders-api.git',
      'git@github.com:example-org/orders-api.git',
    ],
    [
      'github.com?owner=example-org&repo=orders-api',
      'https://github.com/example-org/orders-api.git',
    ],
    [
      'github.com?repo=orders-api&owner=example-org',
      'https://github.com/example-org/orders-api.git',
    ],
    [
      'ghe.example.com:8443?owner=team&repo=svc',
      'https://ghe.example.com:8443/team/svc.git',
    ],
  ])('accepts %s as %s', (input, expected) => {
    expect(normalizeRepoUrl('repoUrl', input)).toBe(expected);
  });

  it.each([
    ['', /repoUrl must not be empty/],
    ['   ', /repoUrl must not be empty/],
    ['orders-api', /repoUrl 'orders-api' is not a repository URL/],
    ['ftp://example.com/repo', /unsupported scheme 'ftp'/],
    ['file:///tmp/repo', /unsupported scheme 'file'/],
    ['github.com?owner=example-org', /lacks owner or repo/],
    [
      'https://user:secret@github.com/example-org/orders-api',
      /must not contain credentials/,
    ],
    ['https://token@github.com/example-org/orders-api', /credentials/],
    ['https://github.com/', /must name a host and a repository path/],
    ['https://', /not a valid URL/],
  ])('rejects %j', (input, message) => {
    expect(() => normalizeRepoUrl('repoUrl', input)).toThrow(InputError);
    expect(() => normalizeRepoUrl('repoUrl', input)).toThrow(message);
  });

  it('never echoes credentials it refuses', () => {
    expect(() =>
      normalizeRepoUrl('repoUrl', 'https://u:s3cr3t@github.com/o/r'),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('s3cr3t'),
      }),
    );
  });
});

describe('parseGitHubRepository', () => {
  it.each([
    [
      'https://github.com/example-org/gitops',
      { host: 'github.com', owner: 'example-org', repo: 'gitops' },
    ],
    [
      'https://github.com/example-org/gitops.git',
      { host: 'github.com', owner: 'example-org', repo: 'gitops' },
    ],
    [
      'github.com/example-org/gitops',
      { host: 'github.com', owner: 'example-org', repo: 'gitops' },
    ],
    [
      'github.com?owner=example-org&repo=gitops',
      { host: 'github.com', owner: 'example-org', repo: 'gitops' },
    ],
    [
      'https://ghe.example.com/platform/gitops/',
      { host: 'ghe.example.com', owner: 'platform', repo: 'gitops' },
    ],
  ])('parses %s', (input, expected) => {
    expect(parseGitHubRepository('argocd.gitops.repoUrl', input)).toEqual(
      expected,
    );
  });

  it.each([
    'https://github.com/example-org',
    'https://github.com/a/b/c',
    'github.com?owner=example-org',
    'https://x:y@github.com/a/b',
    '',
  ])('rejects %j naming the field and the accepted forms', input => {
    expect(() => parseGitHubRepository('argocd.gitops.repoUrl', input)).toThrow(
      /argocd.gitops.repoUrl '.*' must name a GitHub repository as https:\/\/<host>\/<owner>\/<repo>/,
    );
  });
});
