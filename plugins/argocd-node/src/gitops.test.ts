import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { FakeGitHub } from '@runway/plugin-argocd-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { createOctokit, GitOpsWriter, manifestToYaml } from './gitops';

const BRANCH = 'runway/argocd-orders-api';

const files = [
  { path: 'apps/staging/orders-api.yaml', content: 'kind: Application\n' },
  { path: 'apps/production/orders-api.yaml', content: 'kind: Application\n' },
];

describe('GitOpsWriter', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let github: FakeGitHub;

  beforeEach(() => {
    github = new FakeGitHub({
      owner: 'example-org',
      repo: 'gitops',
      token: 'gh-token',
    });
    server.use(...github.handlers());
  });

  const writer = new GitOpsWriter({
    octokit: createOctokit({ token: 'gh-token' }),
    repository: { host: 'github.com', owner: 'example-org', repo: 'gitops' },
    baseBranch: 'main',
  });
  const ensure = (withFiles = files) =>
    writer.ensurePullRequest({
      branch: BRANCH,
      files: withFiles,
      commitMessage: 'Register orders-api in Argo CD',
      title: 'Argo CD: orders-api',
      body: 'Created by Runway',
    });
  const writes = () => github.writes.map(r => `${r.method} ${r.path}`);
  const head = (branch: string) =>
    github.commits.get(github.branches.get(branch)!)!;

  it('commits every file at once on a branch from the base and opens a pull request', async () => {
    const base = github.branches.get('main');
    await expect(ensure()).resolves.toEqual({
      status: 'created',
      branch: BRANCH,
      url: 'https://github.com/example-org/gitops/pull/1',
      number: 1,
    });
    expect(github.files(BRANCH)).toEqual({
      'README.md': '# GitOps\n',
      'apps/staging/orders-api.yaml': 'kind: Application\n',
      'apps/production/orders-api.yaml': 'kind: Application\n',
    });
    expect(head(BRANCH)).toMatchObject({
      parents: [base],
      message: 'Register orders-api in Argo CD',
    });
    expect(writes()).toEqual([
      'POST /repos/example-org/gitops/git/trees',
      'POST /repos/example-org/gitops/git/commits',
      'POST /repos/example-org/gitops/git/refs',
      'POST /repos/example-org/gitops/pulls',
    ]);
    expect(github.pulls).toEqual([
      expect.objectContaining({
        number: 1,
        head: BRANCH,
        base: 'main',
        state: 'open',
        title: 'Argo CD: orders-api',
        body: 'Created by Runway',
      }),
    ]);
    expect(github.branches.get('main')).toBe(base);
    expect(new Set(github.requests.map(r => r.authorization))).toEqual(
      new Set(['token gh-token']),
    );
  });

  it('reuses the open pull request and commits nothing when its branch has the files', async () => {
    await ensure();
    const before = {
      writes: writes().length,
      head: github.branches.get(BRANCH),
    };
    await expect(ensure()).resolves.toEqual({
      status: 'unchanged',
      branch: BRANCH,
      url: 'https://github.com/example-org/gitops/pull/1',
      number: 1,
    });
    expect(writes()).toHaveLength(before.writes);
    expect(github.branches.get(BRANCH)).toBe(before.head);
    expect(github.pulls).toHaveLength(1);
  });

  it('replaces the open pull request branch by one commit on the base when a file changed', async () => {
    await ensure();
    const before = writes().length;
    const changed = [
      { ...files[0], content: 'kind: Application # v2\n' },
      files[1],
    ];
    await expect(ensure(changed)).resolves.toEqual({
      status: 'updated',
      branch: BRANCH,
      url: 'https://github.com/example-org/gitops/pull/1',
      number: 1,
    });
    expect(writes().slice(before)).toEqual([
      'POST /repos/example-org/gitops/git/trees',
      'POST /repos/example-org/gitops/git/commits',
      `PATCH /repos/example-org/gitops/git/refs/heads/${BRANCH}`,
      'PATCH /repos/example-org/gitops/pulls/1',
    ]);
    expect(github.files(BRANCH)['apps/staging/orders-api.yaml']).toBe(
      'kind: Application # v2\n',
    );
    expect(head(BRANCH).parents).toEqual([github.branches.get('main')]);
    expect(github.pulls).toHaveLength(1);
  });

  it('does nothing when the base branch already has the files', async () => {
    github.push(
      'main',
      Object.fromEntries(files.map(f => [f.path, f.content])),
    );
    await expect(ensure()).resolves.toEqual({
      status: 'up-to-date',
      branch: BRANCH,
    });
    expect(github.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/example-org/gitops/git/ref/heads/main',
      'GET /repos/example-org/gitops/contents/apps/staging/orders-api.yaml?ref=main',
      'GET /repos/example-org/gitops/contents/apps/production/orders-api.yaml?ref=main',
    ]);
    expect(github.branches.has(BRANCH)).toBe(false);
  });

  it('starts a branch left over from a closed pull request again from the base', async () => {
    await ensure();
    github.close(1);
    github.push('main', { 'other.yaml': 'x: 1\n' });
    await expect(ensure()).resolves.toMatchObject({
      status: 'created',
      number: 2,
    });
    expect(head(BRANCH).parents).toEqual([github.branches.get('main')]);
    expect(github.files(BRANCH)).toMatchObject({ 'other.yaml': 'x: 1\n' });
    expect(github.pulls.map(p => [p.number, p.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });

  it('says when the base branch does not exist', async () => {
    github = new FakeGitHub({
      owner: 'example-org',
      repo: 'gitops',
      token: 'gh-token',
      baseBranch: 'trunk',
    });
    server.use(...github.handlers());
    const result = ensure();
    await expect(result).rejects.toThrow(NotFoundError);
    await expect(result).rejects.toThrow(
      "The base branch 'main' does not exist in example-org/gitops: check argocd.gitops.baseBranch",
    );
    expect(github.writes).toEqual([]);
  });

  it('refuses, rather than fork, when the credentials may not push', async () => {
    github.canPush = false;
    const result = ensure();
    await expect(result).rejects.toThrow(NotAllowedError);
    await expect(result).rejects.toThrow(
      'GitHub (github.com) denies pushing to example-org/gitops: the token or GitHub App of integrations.github for github.com needs write access to contents and pull requests of that repository',
    );
    expect(github.writes).toEqual([]);
  });

  it.each([
    [
      401,
      AuthenticationError,
      "GitHub (github.com) rejected the credentials when trying to read branch 'main' in example-org/gitops: check the token or GitHub App of integrations.github for github.com",
    ],
    [
      403,
      NotAllowedError,
      "GitHub (github.com) denied the request to read branch 'main' in example-org/gitops: the token or GitHub App of integrations.github for github.com needs write access to contents and pull requests of that repository",
    ],
    [
      500,
      Error,
      "GitHub (github.com) could not read branch 'main' in example-org/gitops: nope",
    ],
  ])('maps %i', async (status, type, message) => {
    server.use(
      http.all('https://api.github.com/*', () =>
        HttpResponse.json({ message: 'nope' }, { status }),
      ),
    );
    const result = ensure();
    await expect(result).rejects.toThrow(type);
    await expect(result).rejects.toThrow(message);
    await expect(ensure()).rejects.not.toThrow(/gh-token/);
  });
});

describe('manifestToYaml', () => {
  it('writes the manifest with a header comment, deterministically', () => {
    const manifest = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a' } };
    const text = manifestToYaml(manifest, 'Managed by Runway');
    expect(text).toBe(
      '# Managed by Runway\n\napiVersion: v1\nkind: X\nmetadata:\n  name: a\n',
    );
    expect(parse(text)).toEqual(manifest);
    expect(manifestToYaml(manifest, 'Managed by Runway')).toBe(text);
  });

  it('does not fold long lines', () => {
    const long = `https://example.com/${'x'.repeat(200)}`;
    expect(manifestToYaml({ url: long })).toBe(`url: ${long}\n`);
  });
});
