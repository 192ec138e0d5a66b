import { InputError } from '@backstage/errors';
import { parseValue } from '@runway/plugin-runway-common';
import {
  gitHubRepositoryOf,
  gitRepoUrl,
  parseGitHubRepository,
  repoUrlProblem,
} from './repoUrl';

describe('gitRepoUrl', () => {
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
  ])('accepts %s as %s', (input, expected) => {
    expect(parseValue('repoUrl', gitRepoUrl(), input)).toBe(expected);
  });

  it.each([
    ['', 'repoUrl: must not be empty'],
    ['   ', 'repoUrl: must not be empty'],
    [
      'orders-api',
      "repoUrl: 'orders-api' is not a repository URL; use an https:// or ssh:// Git URL, or a scp-like 'git@host:owner/repo.git'",
    ],
    [
      'ftp://example.com/repo',
      "repoUrl: 'ftp://example.com/repo' uses the unsupported scheme 'ftp'",
    ],
    ['file:///tmp/repo', "uses the unsupported scheme 'file'"],
    [
      'github.com?owner=example-org&repo=orders-api',
      "repoUrl: 'github.com?owner=example-org&repo=orders-api' is the scaffolder's 'host?owner=…&repo=…' form, which the action resolves with its integrations; give a Git URL",
    ],
    [
      'https://user:secret@github.com/example-org/orders-api',
      'repoUrl: must not contain credentials; Argo CD uses the repository credentials configured in Argo CD',
    ],
    [
      'https://token@github.com/example-org/orders-api',
      'repoUrl: must not contain credentials',
    ],
    [
      'https://github.com/',
      "repoUrl: 'https://github.com/' must name a host and a repository path",
    ],
    ['https://', "repoUrl: 'https://' is not a valid URL"],
  ])('rejects %j', (input, message) => {
    expect(() => parseValue('repoUrl', gitRepoUrl(), input)).toThrow(
      InputError,
    );
    expect(() => parseValue('repoUrl', gitRepoUrl(), input)).toThrow(message);
  });

  it('never echoes credentials it refuses', () => {
    expect(repoUrlProblem('https://u:s3cr3t@github.com/o/r')).not.toContain(
      's3cr3t',
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
    'github.com?owner=example-org&repo=gitops',
    'https://x:y@github.com/a/b',
    '',
  ])('rejects %j naming the field and the accepted forms', input => {
    expect(() => parseGitHubRepository('argocd.gitops.repoUrl', input)).toThrow(
      `argocd.gitops.repoUrl '${input}' must name a GitHub repository as https://<host>/<owner>/<repo> or <host>/<owner>/<repo>`,
    );
  });
});

describe('gitHubRepositoryOf', () => {
  it.each([
    [
      'https://github.com/example-org/orders-api.git',
      { host: 'github.com', owner: 'example-org', repo: 'orders-api' },
    ],
    [
      'https://ghe.example.com:8443/team/web',
      { host: 'ghe.example.com:8443', owner: 'team', repo: 'web' },
    ],
    [
      'git@github.com:example-org/orders-api.git',
      { host: 'github.com', owner: 'example-org', repo: 'orders-api' },
    ],
    [
      'ssh://git@github.com/example-org/orders-api.git',
      { host: 'github.com', owner: 'example-org', repo: 'orders-api' },
    ],
    ['https://gitlab.example.com/group/sub/project.git', undefined],
    ['https://github.com/example-org', undefined],
    ['not a url', undefined],
  ])('%s', (url, expected) => {
    expect(gitHubRepositoryOf(url)).toEqual(expected);
  });
});
