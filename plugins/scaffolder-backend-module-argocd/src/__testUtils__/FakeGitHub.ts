import { http, HttpResponse } from 'msw';

/** A request the fake served. */
export type GitHubRequest = {
  method: string;
  path: string;
  authorization: string | null;
  body?: any;
};

type Commit = { tree: string; parents: string[]; message: string };
type PullRequest = {
  number: number;
  head: string;
  base: string;
  state: 'open' | 'closed';
  title: string;
  body: string;
  html_url: string;
};

const notFound = () =>
  HttpResponse.json({ message: 'Not Found' }, { status: 404 });

/**
 * An HTTP-level fake of the parts of GitHub's REST API a GitOps pull request needs (refs,
 * contents, trees, commits, pull requests) for one repository, for msw: token check,
 * branches, commits and trees in memory, a log of every request.
 */
export class FakeGitHub {
  readonly requests: GitHubRequest[] = [];
  readonly branches = new Map<string, string>();
  readonly commits = new Map<string, Commit>();
  readonly trees = new Map<string, Record<string, string>>();
  readonly pulls: PullRequest[] = [];
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
    this.branches.set(options.baseBranch ?? 'main', commit);
  }

  #id(kind: string): string {
    this.#next += 1;
    return `${kind}-${this.#next}`;
  }

  get #repoUrl(): string {
    const api = this.options.apiUrl ?? 'https://api.github.com';
    return `${api}/repos/${this.options.owner}/${this.options.repo}`;
  }

  /** The requests other than reads. */
  get writes(): GitHubRequest[] {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /** The files at a branch's head. */
  files(branch: string): Record<string, string> {
    const sha = this.branches.get(branch);
    if (!sha) throw new Error(`no branch ${branch}`);
    return this.trees.get(this.commits.get(sha)!.tree)!;
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

  handlers() {
    return [
      http.all(`${this.#repoUrl}/*`, ({ request }) => this.#handle(request)),
    ];
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = decodeURIComponent(
      url.pathname.slice(new URL(this.#repoUrl).pathname.length),
    );
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
      return HttpResponse.json({ message: 'Bad credentials' }, { status: 401 });
    }

    const route = `${request.method} ${path}`;
    const ref = /^GET \/git\/ref\/heads\/(.+)$/.exec(route);
    if (ref) {
      const sha = this.branches.get(ref[1]);
      return sha
        ? HttpResponse.json({ ref: `refs/heads/${ref[1]}`, object: { sha } })
        : notFound();
    }
    const contents = /^GET \/contents\/(.+)$/.exec(route);
    if (contents) {
      const at =
        url.searchParams.get('ref') ?? this.options.baseBranch ?? 'main';
      const sha = this.branches.get(at) ?? at;
      const commit = this.commits.get(sha);
      const content = commit && this.trees.get(commit.tree)![contents[1]];
      return content === undefined
        ? notFound()
        : HttpResponse.json({
            type: 'file',
            path: contents[1],
            content: Buffer.from(content).toString('base64'),
          });
    }
    const commit = /^GET \/git\/commits\/(.+)$/.exec(route);
    if (commit) {
      const found = this.commits.get(commit[1]);
      return found
        ? HttpResponse.json({ sha: commit[1], tree: { sha: found.tree } })
        : notFound();
    }
    const updateRef = /^PATCH \/git\/refs\/heads\/(.+)$/.exec(route);
    if (updateRef) {
      if (!this.branches.has(updateRef[1]) || !this.commits.has(body.sha))
        return notFound();
      this.branches.set(updateRef[1], body.sha);
      return HttpResponse.json({ object: { sha: body.sha } });
    }
    switch (route) {
      case 'POST /git/refs': {
        const branch = String(body.ref).replace(/^refs\/heads\//, '');
        if (this.branches.has(branch)) {
          return HttpResponse.json(
            { message: 'Reference already exists' },
            { status: 422 },
          );
        }
        this.branches.set(branch, body.sha);
        return HttpResponse.json(
          { ref: body.ref, object: { sha: body.sha } },
          { status: 201 },
        );
      }
      case 'POST /git/trees': {
        const files = { ...(this.trees.get(body.base_tree) ?? {}) };
        for (const entry of body.tree) files[entry.path] = entry.content;
        const sha = this.#id('tree');
        this.trees.set(sha, files);
        return HttpResponse.json({ sha }, { status: 201 });
      }
      case 'POST /git/commits': {
        const sha = this.#id('commit');
        this.commits.set(sha, {
          tree: body.tree,
          parents: body.parents,
          message: body.message,
        });
        return HttpResponse.json({ sha }, { status: 201 });
      }
      case 'GET /pulls': {
        const head = url.searchParams.get('head')?.split(':')[1];
        const state = url.searchParams.get('state');
        return HttpResponse.json(
          this.pulls.filter(
            p =>
              (!head || p.head === head) &&
              (!state || p.state === state) &&
              (!url.searchParams.get('base') ||
                p.base === url.searchParams.get('base')),
          ),
        );
      }
      case 'POST /pulls': {
        if (this.pulls.some(p => p.head === body.head && p.state === 'open')) {
          return HttpResponse.json(
            {
              message: `A pull request already exists for ${this.options.owner}:${body.head}.`,
            },
            { status: 422 },
          );
        }
        const number = this.pulls.length + 1;
        const pull: PullRequest = {
          number,
          head: body.head,
          base: body.base,
          state: 'open',
          title: body.title,
          body: body.body,
          html_url: `https://github.com/${this.options.owner}/${this.options.repo}/pull/${number}`,
        };
        this.pulls.push(pull);
        return HttpResponse.json(pull, { status: 201 });
      }
      default:
        return notFound();
    }
  }
}
