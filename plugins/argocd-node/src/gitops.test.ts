import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { createOctokit, GitOpsWriter, manifestToYaml } from './gitops';

const API = 'https://api.github.com';
const REPO = `${API}/repos/example-org/gitops`;
const BRANCH = 'runway/argocd-orders-api';

const files = [
  { path: 'apps/staging/orders-api.yaml', content: 'kind: Application\n' },
  { path: 'apps/production/orders-api.yaml', content: 'kind: Application\n' },
];

/**
 * One scenario of the repository: which files each ref has, which branches exist, which
 * pull request is open. Every request is recorded as `METHOD path` (decoded) and its body.
 */
type Scenario = {
  refs: Record<string, string>;
  contents: Record<string, Record<string, string>>;
  openPull?: { number: number; html_url: string };
  status?: number;
};

describe('GitOpsWriter', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  let calls: Array<{ call: string; body?: any }>;
  let authorizations: Set<string | null>;

  beforeEach(() => {
    calls = [];
    authorizations = new Set();
  });

  function github(scenario: Scenario) {
    server.use(
      http.all(`${REPO}/*`, async ({ request }) => {
        const url = new URL(request.url);
        const path = decodeURIComponent(
          url.pathname.slice(REPO.length - API.length),
        );
        const text = await request.text();
        const body = text ? JSON.parse(text) : undefined;
        calls.push({
          call: `${request.method} ${path}${
            url.search ? decodeURIComponent(url.search) : ''
          }`,
          ...(body && { body }),
        });
        authorizations.add(request.headers.get('authorization'));
        if (scenario.status) {
          return HttpResponse.json(
            { message: 'nope' },
            { status: scenario.status },
          );
        }
        const notFound = () =>
          HttpResponse.json({ message: 'Not Found' }, { status: 404 });
        const route = `${request.method} ${path}`;
        const ref = /^GET \/git\/ref\/heads\/(.+)$/.exec(route);
        if (ref) {
          const sha = scenario.refs[ref[1]];
          return sha ? HttpResponse.json({ object: { sha } }) : notFound();
        }
        const contents = /^GET \/contents\/(.+)$/.exec(route);
        if (contents) {
          const content =
            scenario.contents[url.searchParams.get('ref')!]?.[contents[1]];
          return content === undefined
            ? notFound()
            : HttpResponse.json({
                type: 'file',
                content: Buffer.from(content).toString('base64'),
              });
        }
        const commit = /^GET \/git\/commits\/(.+)$/.exec(route);
        if (commit) {
          return HttpResponse.json({
            sha: commit[1],
            tree: { sha: `tree-of-${commit[1]}` },
          });
        }
        switch (route) {
          case 'GET /pulls':
            return HttpResponse.json(
              scenario.openPull ? [scenario.openPull] : [],
            );
          case 'POST /git/trees':
            return HttpResponse.json({ sha: 'new-tree' }, { status: 201 });
          case 'POST /git/commits':
            return HttpResponse.json({ sha: 'new-commit' }, { status: 201 });
          case 'POST /git/refs':
            return HttpResponse.json({ ref: body.ref }, { status: 201 });
          case `PATCH /git/refs/heads/${BRANCH}`:
            return HttpResponse.json({ object: { sha: body.sha } });
          case 'POST /pulls':
            return HttpResponse.json(
              {
                number: 7,
                html_url: 'https://github.com/example-org/gitops/pull/7',
              },
              { status: 201 },
            );
          default:
            break;
        }
        return notFound();
      }),
    );
  }

  const writer = new GitOpsWriter({
    octokit: createOctokit({ token: 'gh-token' }),
    repository: { host: 'github.com', owner: 'example-org', repo: 'gitops' },
    baseBranch: 'main',
  });
  const ensure = () =>
    writer.ensurePullRequest({
      branch: BRANCH,
      files,
      commitMessage: 'Register orders-api in Argo CD',
      title: 'Argo CD: orders-api',
      body: 'Created by Runway',
    });

  it('branches, commits every file at once and opens a pull request', async () => {
    github({ refs: { main: 'base-sha' }, contents: {} });
    await expect(ensure()).resolves.toEqual({
      status: 'created',
      branch: BRANCH,
      url: 'https://github.com/example-org/gitops/pull/7',
      number: 7,
    });
    expect(calls).toEqual([
      { call: 'GET /git/ref/heads/main' },
      { call: 'GET /contents/apps/staging/orders-api.yaml?ref=main' },
      {
        call: `GET /pulls?head=example-org:${BRANCH}&base=main&state=open`,
      },
      { call: `GET /git/ref/heads/${BRANCH}` },
      {
        call: 'POST /git/refs',
        body: { ref: `refs/heads/${BRANCH}`, sha: 'base-sha' },
      },
      { call: 'GET /git/commits/base-sha' },
      {
        call: 'POST /git/trees',
        body: {
          base_tree: 'tree-of-base-sha',
          tree: files.map(f => ({
            path: f.path,
            mode: '100644',
            type: 'blob',
            content: f.content,
          })),
        },
      },
      {
        call: 'POST /git/commits',
        body: {
          message: 'Register orders-api in Argo CD',
          tree: 'new-tree',
          parents: ['base-sha'],
        },
      },
      {
        call: `PATCH /git/refs/heads/${BRANCH}`,
        body: { sha: 'new-commit' },
      },
      {
        call: 'POST /pulls',
        body: {
          head: BRANCH,
          base: 'main',
          title: 'Argo CD: orders-api',
          body: 'Created by Runway',
        },
      },
    ]);
    expect([...authorizations]).toEqual(['token gh-token']);
  });

  it('reuses the open pull request and commits nothing when the branch has the files', async () => {
    const branchFiles = Object.fromEntries(files.map(f => [f.path, f.content]));
    github({
      refs: { main: 'base-sha', [BRANCH]: 'branch-sha' },
      contents: { [BRANCH]: branchFiles },
      openPull: {
        number: 3,
        html_url: 'https://github.com/example-org/gitops/pull/3',
      },
    });
    await expect(ensure()).resolves.toEqual({
      status: 'unchanged',
      branch: BRANCH,
      url: 'https://github.com/example-org/gitops/pull/3',
      number: 3,
    });
    expect(calls.filter(c => !c.call.startsWith('GET'))).toEqual([]);
  });

  it('pushes one commit to the open pull request when a file changed', async () => {
    github({
      refs: { main: 'base-sha', [BRANCH]: 'branch-sha' },
      contents: {
        [BRANCH]: {
          [files[0].path]: 'kind: Application # old\n',
          [files[1].path]: files[1].content,
        },
      },
      openPull: {
        number: 3,
        html_url: 'https://github.com/example-org/gitops/pull/3',
      },
    });
    await expect(ensure()).resolves.toMatchObject({
      status: 'updated',
      number: 3,
    });
    const writes = calls.filter(c => !c.call.startsWith('GET'));
    expect(writes.map(c => c.call)).toEqual([
      'POST /git/trees',
      'POST /git/commits',
      `PATCH /git/refs/heads/${BRANCH}`,
    ]);
    expect(writes[1].body.parents).toEqual(['branch-sha']);
  });

  it('does nothing when the base branch already has the files', async () => {
    github({
      refs: { main: 'base-sha' },
      contents: {
        main: Object.fromEntries(files.map(f => [f.path, f.content])),
      },
    });
    await expect(ensure()).resolves.toEqual({
      status: 'up-to-date',
      branch: BRANCH,
    });
    expect(calls.map(c => c.call)).toEqual([
      'GET /git/ref/heads/main',
      'GET /contents/apps/staging/orders-api.yaml?ref=main',
      'GET /contents/apps/production/orders-api.yaml?ref=main',
    ]);
  });

  it('resets a branch left over from a closed pull request before committing', async () => {
    github({
      refs: { main: 'base-sha', [BRANCH]: 'stale-sha' },
      contents: {},
    });
    await expect(ensure()).resolves.toMatchObject({ status: 'created' });
    const writes = calls.filter(c => !c.call.startsWith('GET'));
    expect(writes[0]).toEqual({
      call: `PATCH /git/refs/heads/${BRANCH}`,
      body: { sha: 'base-sha', force: true },
    });
    expect(writes.map(c => c.call).slice(1)).toEqual([
      'POST /git/trees',
      'POST /git/commits',
      `PATCH /git/refs/heads/${BRANCH}`,
      'POST /pulls',
    ]);
  });

  it('says when the base branch does not exist', async () => {
    github({ refs: {}, contents: {} });
    await expect(ensure()).rejects.toThrow(NotFoundError);
    await expect(ensure()).rejects.toThrow(
      "The base branch 'main' does not exist in example-org/gitops: check argocd.gitops.baseBranch",
    );
  });

  it.each([
    [
      401,
      AuthenticationError,
      /GitHub \(github.com\) rejected the credentials when trying to read branch 'main' in example-org\/gitops: check the token or GitHub App of integrations.github for github.com/,
    ],
    [
      403,
      NotAllowedError,
      /GitHub \(github.com\) denied the request to read branch 'main' in example-org\/gitops: the token or GitHub App of integrations.github for github.com needs write access to contents and pull requests/,
    ],
    [
      500,
      Error,
      /GitHub \(github.com\) could not read branch 'main' in example-org\/gitops: nope/,
    ],
  ])('maps %i', async (status, type, message) => {
    github({ refs: {}, contents: {}, status });
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
