import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Octokit } from '@octokit/rest';
import { composeCreatePullRequest } from 'octokit-plugin-create-pull-request';
import { Document } from 'yaml';
import { gitHubError, httpStatusOf } from './github';
import type { GitHubRepository } from './repoUrl';

const noop = () => {};

/**
 * An Octokit for a GitHub token; `baseUrl` is the API URL (GitHub Enterprise:
 * `https://<host>/api/v3`). Octokit's own request log stays quiet (a 404 for a branch that
 * does not exist yet is expected; real failures come back as errors); its warnings go to
 * `logger`.
 *
 * @public
 */
export function createOctokit(options: {
  token: string;
  baseUrl?: string;
  logger?: LoggerService;
}): Octokit {
  return new Octokit({
    auth: options.token,
    ...(options.baseUrl && { baseUrl: options.baseUrl }),
    log: {
      debug: noop,
      info: noop,
      warn: (message: string) => options.logger?.warn(message),
      error: noop,
    },
  });
}

/**
 * A Kubernetes manifest as a YAML file, with a header saying who manages it. Pure, deterministic.
 *
 * @public
 */
export function manifestToYaml(manifest: unknown, header?: string): string {
  const document = new Document(manifest);
  if (header) document.commentBefore = ` ${header}`;
  return document.toString({ lineWidth: 0 });
}

/**
 * A file to commit.
 *
 * @public
 */
export type GitOpsFile = { path: string; content: string };

/**
 * What `ensurePullRequest` did:
 * - `created`: opened a pull request;
 * - `updated`: pushed a commit to the open pull request of the branch;
 * - `unchanged`: the open pull request already has these files;
 * - `up-to-date`: the base branch already has these files; no branch, no pull request.
 *
 * @public
 */
export type PullRequestStatus =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'up-to-date';

/** @public */
export type PullRequestResult = {
  status: PullRequestStatus;
  branch: string;
  /** The pull request's web URL (absent when `up-to-date`). */
  url?: string;
  number?: number;
};

/** @public */
export type EnsurePullRequestOptions = {
  /** The branch to commit to: deterministic, so that a re-run finds its pull request. */
  branch: string;
  files: GitOpsFile[];
  commitMessage: string;
  title: string;
  body: string;
};

/**
 * Commits files to a GitHub repository through a pull request, idempotently: one branch per
 * purpose (`branch`), all files in one commit on the base branch, no commit when the open
 * pull request's branch already has them, nothing at all when the base branch has them, and
 * the open pull request of the branch reused (its branch replaced by one new commit when
 * the files changed) instead of opening another. The commit, branch and pull request are
 * made by `octokit-plugin-create-pull-request`.
 *
 * @public
 */
export class GitOpsWriter {
  readonly #octokit: Octokit;
  readonly #repository: GitHubRepository;
  readonly #baseBranch: string;
  readonly #logger?: LoggerService;

  constructor(options: {
    octokit: Octokit;
    repository: GitHubRepository;
    baseBranch: string;
    logger?: LoggerService;
  }) {
    this.#octokit = options.octokit;
    this.#repository = options.repository;
    this.#baseBranch = options.baseBranch;
    this.#logger = options.logger;
  }

  get #slug(): string {
    return `${this.#repository.owner}/${this.#repository.repo}`;
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw gitHubError(this.#repository, what, error, {
        access: 'write access to contents and pull requests of that repository',
        notFound: `Check argocd.gitops.repoUrl and baseBranch, and that the integrations.github credentials for ${
          this.#repository.host
        } can see the repository`,
      });
    }
  }

  /** The branch's head commit, or undefined when the branch does not exist. */
  async #head(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.#octokit.rest.git.getRef({
        owner: this.#repository.owner,
        repo: this.#repository.repo,
        ref: `heads/${branch}`,
      });
      return data.object.sha;
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      return this.#call(`read branch '${branch}'`, () => Promise.reject(error));
    }
  }

  /** A file's text at a ref, or undefined when there is no such file. */
  async #read(path: string, ref: string): Promise<string | undefined> {
    try {
      const { data } = await this.#octokit.rest.repos.getContent({
        owner: this.#repository.owner,
        repo: this.#repository.repo,
        path,
        ref,
      });
      if (Array.isArray(data) || data.type !== 'file') return undefined;
      return Buffer.from(data.content, 'base64').toString('utf8');
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      return this.#call(`read '${path}' at '${ref}'`, () =>
        Promise.reject(error),
      );
    }
  }

  /** A file's text on the base branch, or undefined when there is no such file. */
  async readFile(path: string): Promise<string | undefined> {
    return this.#read(path, this.#baseBranch);
  }

  async #hasFiles(ref: string, files: GitOpsFile[]): Promise<boolean> {
    for (const file of files) {
      if ((await this.#read(file.path, ref)) !== file.content) return false;
    }
    return true;
  }

  /** Whether the credentials may push: GitHub answers `permissions.push` for the repository. */
  async #assertCanPush(): Promise<void> {
    const { data } = await this.#call('read the repository', () =>
      this.#octokit.rest.repos.get({
        owner: this.#repository.owner,
        repo: this.#repository.repo,
      }),
    );
    if (data.permissions && !data.permissions.push) {
      // octokit-plugin-create-pull-request would fork the repository instead.
      throw new NotAllowedError(
        `GitHub (${this.#repository.host}) denies pushing to ${
          this.#slug
        }: the token or GitHub App of integrations.github for ${
          this.#repository.host
        } needs write access to contents and pull requests of that repository`,
      );
    }
  }

  async ensurePullRequest(
    options: EnsurePullRequestOptions,
  ): Promise<PullRequestResult> {
    const { branch, files } = options;
    const base = this.#baseBranch;
    const { owner, repo } = this.#repository;

    if (!(await this.#head(base))) {
      throw new NotFoundError(
        `The base branch '${base}' does not exist in ${
          this.#slug
        }: check argocd.gitops.baseBranch`,
      );
    }
    if (await this.#hasFiles(base, files)) {
      this.#logger?.info(
        `${this.#slug}@${base} already has ${files
          .map(f => f.path)
          .join(', ')}; no pull request needed`,
      );
      return { status: 'up-to-date', branch };
    }

    const { data: openPulls } = await this.#call(
      `list the open pull requests of branch '${branch}'`,
      () =>
        this.#octokit.rest.pulls.list({
          owner,
          repo,
          head: `${owner}:${branch}`,
          base,
          state: 'open',
        }),
    );
    const openPull = openPulls[0];
    if (openPull && (await this.#hasFiles(branch, files))) {
      return {
        status: 'unchanged',
        branch,
        url: openPull.html_url,
        number: openPull.number,
      };
    }

    // One commit with every file on top of the base branch, on `branch` (created, or reset
    // when left over from a merged or closed pull request), and the pull request opened or
    // updated: octokit-plugin-create-pull-request.
    await this.#assertCanPush();
    const response = await this.#call(
      `commit to branch '${branch}' and open a pull request`,
      () =>
        composeCreatePullRequest(
          this.#octokit as unknown as Parameters<
            typeof composeCreatePullRequest
          >[0],
          {
            owner,
            repo,
            base,
            head: branch,
            title: options.title,
            body: options.body,
            update: true,
            createWhenEmpty: false,
            changes: [
              {
                files: Object.fromEntries(
                  files.map(file => [file.path, file.content]),
                ),
                commit: options.commitMessage,
                emptyCommit: false,
              },
            ],
          },
        ),
    );
    if (!response) return { status: 'up-to-date', branch };
    return {
      status: openPull ? 'updated' : 'created',
      branch,
      url: response.data.html_url,
      number: response.data.number,
    };
  }
}
