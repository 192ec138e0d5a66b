import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Octokit } from '@octokit/rest';
import { Document } from 'yaml';
import type { GitHubRepository } from './repoUrl';

const noop = () => {};

/**
 * An Octokit for a GitHub token; `baseUrl` is the API URL (GitHub Enterprise:
 * `https://<host>/api/v3`). Octokit's own request log stays quiet (a 404 for a branch that
 * does not exist yet is expected; real failures come back as errors); its warnings go to
 * `logger`.
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

/** A Kubernetes manifest as a YAML file, with a header saying who manages it. Pure, deterministic. */
export function manifestToYaml(manifest: unknown, header?: string): string {
  const document = new Document(manifest);
  if (header) document.commentBefore = ` ${header}`;
  return document.toString({ lineWidth: 0 });
}

/** A file to commit. */
export type GitOpsFile = { path: string; content: string };

/**
 * What `ensurePullRequest` did:
 * - `created`: opened a pull request;
 * - `updated`: pushed a commit to the open pull request of the branch;
 * - `unchanged`: the open pull request already has these files;
 * - `up-to-date`: the base branch already has these files; no branch, no pull request.
 */
export type PullRequestStatus =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'up-to-date';

export type PullRequestResult = {
  status: PullRequestStatus;
  branch: string;
  /** The pull request's web URL (absent when `up-to-date`). */
  url?: string;
  number?: number;
};

export type EnsurePullRequestOptions = {
  /** The branch to commit to: deterministic, so that a re-run finds its pull request. */
  branch: string;
  files: GitOpsFile[];
  commitMessage: string;
  title: string;
  body: string;
};

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Commits files to a GitHub repository through a pull request, idempotently: one branch per
 * purpose (`branch`), all files in one commit, no commit when the branch already has them,
 * and the open pull request of the branch reused instead of opening another. A branch left
 * over from a merged or closed pull request is reset to the base branch first.
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
      const status = statusOf(error);
      const host = this.#repository.host;
      if (status === 401) {
        throw new AuthenticationError(
          `GitHub (${host}) rejected the credentials when trying to ${what} in ${
            this.#slug
          }: check the token or GitHub App of integrations.github for ${host}`,
        );
      }
      if (status === 403) {
        throw new NotAllowedError(
          `GitHub (${host}) denied the request to ${what} in ${
            this.#slug
          }: the token or GitHub App of integrations.github for ${host} needs write access to contents and pull requests of that repository`,
        );
      }
      if (status === 404) {
        throw new NotFoundError(
          `GitHub (${host}) could not ${what} in ${
            this.#slug
          }: not found. Check argocd.gitops.repoUrl and baseBranch, and that the integrations.github credentials for ${host} can see the repository`,
        );
      }
      const message = (error as Error)?.message ?? String(error);
      throw new Error(
        `GitHub (${host}) could not ${what} in ${this.#slug}: ${message}`,
      );
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
      if (statusOf(error) === 404) return undefined;
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
      if (statusOf(error) === 404) return undefined;
      return this.#call(`read '${path}' at '${ref}'`, () =>
        Promise.reject(error),
      );
    }
  }

  async #hasFiles(ref: string, files: GitOpsFile[]): Promise<boolean> {
    for (const file of files) {
      if ((await this.#read(file.path, ref)) !== file.content) return false;
    }
    return true;
  }

  async ensurePullRequest(
    options: EnsurePullRequestOptions,
  ): Promise<PullRequestResult> {
    const { branch, files } = options;
    const base = this.#baseBranch;
    const { owner, repo } = this.#repository;

    const baseSha = await this.#head(base);
    if (!baseSha) {
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

    let headSha = await this.#head(branch);
    if (!headSha) {
      await this.#call(`create branch '${branch}'`, () =>
        this.#octokit.rest.git.createRef({
          owner,
          repo,
          ref: `refs/heads/${branch}`,
          sha: baseSha,
        }),
      );
      headSha = baseSha;
    } else if (!openPull && headSha !== baseSha) {
      // Left over from a merged or closed pull request: start again from the base branch.
      await this.#call(`reset branch '${branch}'`, () =>
        this.#octokit.rest.git.updateRef({
          owner,
          repo,
          ref: `heads/${branch}`,
          sha: baseSha,
          force: true,
        }),
      );
      headSha = baseSha;
    }

    const branchHasFiles =
      headSha === baseSha ? false : await this.#hasFiles(branch, files);
    if (!branchHasFiles) {
      const parent = headSha;
      const { data: parentCommit } = await this.#call(
        `read commit ${parent}`,
        () =>
          this.#octokit.rest.git.getCommit({
            owner,
            repo,
            commit_sha: parent,
          }),
      );
      const { data: tree } = await this.#call('create a tree', () =>
        this.#octokit.rest.git.createTree({
          owner,
          repo,
          base_tree: parentCommit.tree.sha,
          tree: files.map(file => ({
            path: file.path,
            mode: '100644' as const,
            type: 'blob' as const,
            content: file.content,
          })),
        }),
      );
      const { data: commit } = await this.#call('create a commit', () =>
        this.#octokit.rest.git.createCommit({
          owner,
          repo,
          message: options.commitMessage,
          tree: tree.sha,
          parents: [parent],
        }),
      );
      await this.#call(`update branch '${branch}'`, () =>
        this.#octokit.rest.git.updateRef({
          owner,
          repo,
          ref: `heads/${branch}`,
          sha: commit.sha,
        }),
      );
    }

    if (openPull) {
      return {
        status: branchHasFiles ? 'unchanged' : 'updated',
        branch,
        url: openPull.html_url,
        number: openPull.number,
      };
    }
    const { data: created } = await this.#call(
      `open a pull request from '${branch}'`,
      () =>
        this.#octokit.rest.pulls.create({
          owner,
          repo,
          head: branch,
          base,
          title: options.title,
          body: options.body,
        }),
    );
    return {
      status: 'created',
      branch,
      url: created.html_url,
      number: created.number,
    };
  }
}
