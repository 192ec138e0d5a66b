import { http } from 'msw';

/**
 * A request the fake served.
 *
 * @public
 */
export type GitHubRequest = {
  method: string;
  /** The API path, e.g. `/repos/example-org/gitops/git/refs` or `/graphql`. */
  path: string;
  authorization: string | null;
  body?: any;
};

/**
 * A commit of the fake repository.
 *
 * @public
 */
export type FakeCommit = { tree: string; parents: string[]; message: string };

/**
 * A check run of a commit (GitHub checks API).
 *
 * @public
 */
export type FakeCheckRun = {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
};

/**
 * A commit status (GitHub statuses API).
 *
 * @public
 */
export type FakeCommitStatus = {
  context: string;
  state: 'success' | 'pending' | 'failure' | 'error';
  description?: string;
  target_url?: string;
};

/**
 * A pull request of the fake repository.
 *
 * @public
 */
export type FakePullRequest = {
  number: number;
  head: string;
  base: string;
  state: 'open' | 'closed';
  title: string;
  body: string;
  html_url: string;
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
const notFound = () => json({ message: 'Not Found' }, 404);

/**
 * An HTTP-level fake of one GitHub repository, for msw: what a GitOps pull request needs of
 * the REST API (the repository, refs, contents, commits, trees, pull requests) and of
 * GraphQL (the open pull request of a branch). Branches, commits, trees and pull requests
 * live in memory; every request is logged; a token is checked (`token <token>`).
 *
 * @public
 */
export class FakeGitHub {
  readonly requests: GitHubRequest[] = [];
  readonly branches = new Map<string, string>();
  readonly commits = new Map<string, FakeCommit>();
  readonly trees = new Map<string, Record<string, string>>();
  readonly pulls: FakePullRequest[] = [];
  /** Whether the token may push: GitHub's `permissions.push` of the repository. */
  canPush = true;
  /** Check runs per commit SHA, latest per name. */
  readonly checkRuns = new Map<string, FakeCheckRun[]>();
  /** Statuses per commit SHA, oldest first (the combined status shows the latest per context). */
  readonly statuses = new Map<string, FakeCommitStatus[]>();
  /** HTTP statuses answered instead of handling a request, one per request, in order. */
  readonly failures: number[] = [];
  #next = 0;

  constructor(
    readonly options: {
      owner: string;
      repo: string;
      token: string;
      apiUrl?: string;
      baseBranch?: string;
    },
  ) {
    const tree = this.#id('tree');
    this.trees.set(tree, { 'README.md': '# GitOps\n' });
    const commit = this.#id('commit');
    this.commits.set(commit, { tree, parents: [], message: 'initial' });
    this.branches.set(this.#baseBranch, commit);
  }

  get #baseBranch(): string {
    return this.options.baseBranch ?? 'main';
  }

  get #apiUrl(): string {
    return this.options.apiUrl ?? 'https://api.github.com';
  }

  get #repoPath(): string {
    return `/repos/${this.options.owner}/${this.options.repo}`;
  }

  #id(kind: string): string {
    this.#next += 1;
    return `${kind}-${this.#next}`;
  }

  /** The requests other than reads (GraphQL queries are reads). */
  get writes(): GitHubRequest[] {
    return this.requests.filter(
      r => r.method !== 'GET' && r.path !== '/graphql',
    );
  }

  /** The files at a branch's head. */
  files(branch: string): Record<string, string> {
    const sha = this.branches.get(branch);
    if (!sha) throw new Error(`no branch ${branch}`);
    return this.trees.get(this.commits.get(sha)!.tree)!;
  }

  /** Commits files straight to a branch (as someone pushing to it). */
  push(branch: string, files: Record<string, string>, message = 'push'): void {
    const parent = this.branches.get(branch);
    if (!parent) throw new Error(`no branch ${branch}`);
    const tree = this.#id('tree');
    this.trees.set(tree, {
      ...this.trees.get(this.commits.get(parent)!.tree),
      ...files,
    });
    const commit = this.#id('commit');
    this.commits.set(commit, { tree, parents: [parent], message });
    this.branches.set(branch, commit);
  }

  /**
   * Adds a commit with a given SHA on top of `parent` (default: the base branch's head) and
   * moves the base branch to it, as a push to it would; returns the SHA.
   */
  commit(sha: string, parent?: string, message = sha): string {
    const base = this.branches.get(this.#baseBranch)!;
    const from = parent ?? base;
    this.commits.set(sha, {
      tree: this.commits.get(from)!.tree,
      parents: [from],
      message,
    });
    if (from === base) this.branches.set(this.#baseBranch, sha);
    return sha;
  }

  #ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** Merges an open pull request into its base branch (fast-forward) and closes it. */
  merge(number: number): void {
    const pull = this.pulls.find(
      p => p.number === number && p.state === 'open',
    );
    if (!pull) throw new Error(`no open pull request #${number}`);
    this.branches.set(pull.base, this.branches.get(pull.head)!);
    pull.state = 'closed';
  }

  /** Closes an open pull request without merging it. */
  close(number: number): void {
    const pull = this.pulls.find(p => p.number === number);
    if (!pull) throw new Error(`no pull request #${number}`);
    pull.state = 'closed';
  }

  handlers() {
    const repo = `${this.#apiUrl}${this.#repoPath}`;
    const handle = ({ request }: { request: Request }) => this.handle(request);
    return [
      http.all(repo, handle),
      http.all(`${repo}/*`, handle),
      // GraphQL has one URL for every repository: leave other repositories' queries to
      // their own fakes.
      http.post(`${this.#apiUrl}/graphql`, async ({ request }) => {
        const { variables } = (await request.clone().json()) as {
          variables?: Record<string, string>;
        };
        return variables?.owner === this.options.owner &&
          variables?.repo === this.options.repo
          ? this.handle(request)
          : undefined;
      }),
    ];
  }

  /** Answers one request. */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const apiPath = new URL(this.#apiUrl).pathname.replace(/\/$/, '');
    const path = decodeURIComponent(url.pathname).slice(apiPath.length);
    const text = await request.text();
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({
      method: request.method,
      path: `${path}${url.search ? decodeURIComponent(url.search) : ''}`,
      authorization: request.headers.get('authorization'),
      ...(body !== undefined && { body }),
    });
    if (
      request.headers.get('authorization') !== `token ${this.options.token}`
    ) {
      return json({ message: 'Bad credentials' }, 401);
    }
    const failure = this.failures.shift();
    if (failure !== undefined) {
      return json({ message: 'Server Error' }, failure);
    }
    if (path === '/graphql') return this.#graphql(body);
    const route = `${request.method} ${path.slice(this.#repoPath.length)}`;
    return this.#rest(route, url.searchParams, body);
  }

  #openPull(branch: string): FakePullRequest | undefined {
    return this.pulls.find(p => p.head === branch && p.state === 'open');
  }

  /** The one query a pull request writer makes: a branch and its open pull request. */
  #graphql(body: { query: string; variables: Record<string, string> }) {
    const { owner, repo, head } = body.variables;
    if (owner !== this.options.owner || repo !== this.options.repo) {
      return json({ data: { repository: null } });
    }
    if (!/ref\(qualifiedName: \$head\)/.test(body.query)) {
      return json({ errors: [{ message: 'query not served by the fake' }] });
    }
    const branch = head.replace(/^refs\/heads\//, '');
    const pull = this.#openPull(branch);
    return json({
      data: {
        repository: {
          ref: this.branches.has(branch)
            ? {
                associatedPullRequests: {
                  edges: pull
                    ? [
                        {
                          node: {
                            id: `PR_${pull.number}`,
                            number: pull.number,
                            url: pull.html_url,
                          },
                        },
                      ]
                    : [],
                },
              }
            : null,
        },
      },
    });
  }

  #commitAt(ref: string): string | undefined {
    return this.branches.get(ref) ?? (this.commits.has(ref) ? ref : undefined);
  }

  #rest(route: string, query: URLSearchParams, body: any): Response {
    if (route === 'GET ') {
      return json({
        name: this.options.repo,
        full_name: `${this.options.owner}/${this.options.repo}`,
        default_branch: this.#baseBranch,
        permissions: { admin: false, push: this.canPush, pull: true },
      });
    }
    const ref = /^GET \/git\/ref\/heads\/(.+)$/.exec(route);
    if (ref) {
      const sha = this.branches.get(ref[1]);
      return sha
        ? json({ ref: `refs/heads/${ref[1]}`, object: { sha } })
        : notFound();
    }
    const contents = /^GET \/contents\/(.+)$/.exec(route);
    if (contents) {
      const sha = this.#commitAt(query.get('ref') ?? this.#baseBranch);
      const commit = sha ? this.commits.get(sha) : undefined;
      const content = commit && this.trees.get(commit.tree)![contents[1]];
      return content === undefined
        ? notFound()
        : json({
            type: 'file',
            path: contents[1],
            encoding: 'base64',
            content: Buffer.from(content).toString('base64'),
          });
    }
    const checks = /^GET \/commits\/([^/]+)\/check-runs$/.exec(route);
    if (checks) {
      if (!this.#commitAt(checks[1])) return notFound();
      const runs = this.checkRuns.get(this.#commitAt(checks[1])!) ?? [];
      return json({
        total_count: runs.length,
        check_runs: runs.map((run, index) => ({ id: index + 1, ...run })),
      });
    }
    const status = /^GET \/commits\/([^/]+)\/status$/.exec(route);
    if (status) {
      const sha = this.#commitAt(status[1]);
      if (!sha) return notFound();
      const latest = new Map<string, FakeCommitStatus>();
      for (const entry of this.statuses.get(sha) ?? []) {
        latest.set(entry.context, entry);
      }
      const statuses = [...latest.values()].map(entry => ({
        description: null,
        target_url: null,
        ...entry,
      }));
      return json({
        sha,
        state: statuses.every(s => s.state === 'success')
          ? 'success'
          : 'pending',
        total_count: statuses.length,
        statuses,
      });
    }
    const compare = /^GET \/compare\/([^.]+)\.\.\.(.+)$/.exec(route);
    if (compare) {
      const [base, head] = [
        this.#commitAt(compare[1]),
        this.#commitAt(compare[2]),
      ];
      if (!base || !head) return notFound();
      let state = 'diverged';
      if (base === head) state = 'identical';
      else if (this.#ancestors(head).has(base)) state = 'ahead';
      else if (this.#ancestors(base).has(head)) state = 'behind';
      return json({ status: state, ahead_by: 0, behind_by: 0, commits: [] });
    }
    if (route === 'GET /commits') {
      const sha = this.#commitAt(query.get('sha') ?? this.#baseBranch);
      if (!sha) return notFound();
      return json([
        { sha, commit: { tree: { sha: this.commits.get(sha)!.tree } } },
      ]);
    }
    const commit = /^GET \/git\/commits\/(.+)$/.exec(route);
    if (commit) {
      const found = this.commits.get(commit[1]);
      return found
        ? json({ sha: commit[1], tree: { sha: found.tree } })
        : notFound();
    }
    const updateRef = /^PATCH \/git\/refs\/heads\/(.+)$/.exec(route);
    if (updateRef) {
      if (!this.branches.has(updateRef[1]) || !this.commits.has(body.sha))
        return notFound();
      this.branches.set(updateRef[1], body.sha);
      return json({ object: { sha: body.sha } });
    }
    const updatePull = /^PATCH \/pulls\/(\d+)$/.exec(route);
    if (updatePull) {
      const pull = this.pulls.find(p => p.number === Number(updatePull[1]));
      if (!pull) return notFound();
      pull.title = body.title ?? pull.title;
      pull.body = body.body ?? pull.body;
      return json(pull);
    }
    switch (route) {
      case 'POST /git/refs': {
        const branch = String(body.ref).replace(/^refs\/heads\//, '');
        if (this.branches.has(branch)) {
          return json({ message: 'Reference already exists' }, 422);
        }
        this.branches.set(branch, body.sha);
        return json({ ref: body.ref, object: { sha: body.sha } }, 201);
      }
      case 'POST /git/trees': {
        const files = { ...(this.trees.get(body.base_tree) ?? {}) };
        for (const entry of body.tree) {
          if (entry.sha === null) delete files[entry.path];
          else files[entry.path] = entry.content;
        }
        const sha = this.#id('tree');
        this.trees.set(sha, files);
        return json({ sha }, 201);
      }
      case 'POST /git/commits': {
        const sha = this.#id('commit');
        this.commits.set(sha, {
          tree: body.tree,
          parents: body.parents,
          message: body.message,
        });
        return json({ sha }, 201);
      }
      case 'GET /pulls': {
        const head = query.get('head')?.split(':')[1];
        const state = query.get('state');
        const base = query.get('base');
        return json(
          this.pulls.filter(
            p =>
              (!head || p.head === head) &&
              (!state || p.state === state) &&
              (!base || p.base === base),
          ),
        );
      }
      case 'POST /pulls': {
        const head = String(body.head).split(':').pop()!;
        if (this.#openPull(head)) {
          return json(
            {
              message: `A pull request already exists for ${this.options.owner}:${head}.`,
            },
            422,
          );
        }
        const number = this.pulls.length + 1;
        const pull: FakePullRequest = {
          number,
          head,
          base: body.base,
          state: 'open',
          title: body.title,
          body: body.body,
          html_url: `https://github.com/${this.options.owner}/${this.options.repo}/pull/${number}`,
        };
        this.pulls.push(pull);
        return json(pull, 201);
      }
      default:
        return notFound();
    }
  }
}
