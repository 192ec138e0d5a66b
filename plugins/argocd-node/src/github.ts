import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { Octokit } from '@octokit/rest';
import type { GitHubRepository } from './repoUrl';
import { DEFAULT_BACKOFF, isRetryableStatus } from './ArgoCdClient';
import { CheckRunSummary, CommitStatusSummary } from './promotionGates';

/** The HTTP status of an Octokit error, if it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The error to throw for a failed GitHub request: 401/403/404 become errors from
 * `@backstage/errors` saying what to fix (`access`: the access the credentials need, `notFoundHint`:
 * what to check).
 */
export function gitHubError(
  repository: GitHubRepository,
  what: string,
  error: unknown,
  hints: { access: string; notFound: string },
): Error {
  const status = httpStatusOf(error);
  const { host, owner, repo } = repository;
  const slug = `${owner}/${repo}`;
  const credentials = `the token or GitHub App of integrations.github for ${host}`;
  if (status === 401) {
    return new AuthenticationError(
      `GitHub (${host}) rejected the credentials when trying to ${what} in ${slug}: check ${credentials}`,
    );
  }
  if (status === 403) {
    return new NotAllowedError(
      `GitHub (${host}) denied the request to ${what} in ${slug}: ${credentials} needs ${hints.access}`,
    );
  }
  if (status === 404) {
    return new NotFoundError(
      `GitHub (${host}) could not ${what} in ${slug}: not found. ${hints.notFound}`,
    );
  }
  const message = (error as Error)?.message ?? String(error);
  return new Error(`GitHub (${host}) could not ${what} in ${slug}: ${message}`);
}

/**
 * How GitHub reads are retried.
 *
 * @public
 */
export type GitHubRetryOptions = {
  /** Attempts per read on 429 and 5xx (default 4). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  backoff?: (retry: number) => number;
};

const sleepFor = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** Runs a read, retrying it on 429 and 5xx with backoff; other failures go through `gitHubError`. */
async function readWithRetries<T>(
  repository: GitHubRepository,
  what: string,
  fn: () => Promise<T>,
  retry: GitHubRetryOptions,
  hints: { access: string; notFound: string },
): Promise<T> {
  const maxAttempts = retry.maxAttempts ?? 4;
  const sleep = retry.sleep ?? sleepFor;
  const backoff = retry.backoff ?? DEFAULT_BACKOFF;
  let last: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(backoff(attempt - 1));
    try {
      return await fn();
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === undefined || !isRetryableStatus(status)) {
        throw gitHubError(repository, what, error, hints);
      }
      last = error;
    }
  }
  throw new ServiceUnavailableError(
    `GitHub (${repository.host}) could not ${what} in ${repository.owner}/${
      repository.repo
    }: ${(last as Error)?.message ?? last} on each of ${maxAttempts} attempts`,
  );
}

/**
 * What GitHub knows about a commit that a promotion gate needs: its check runs (latest per
 * name), its statuses (latest per context) and, when `pinned` is given, how the commit
 * relates to it.
 *
 * @public
 */
export type CommitEvidence = {
  checkRuns: CheckRunSummary[];
  statuses: CommitStatusSummary[];
  ancestry?: { pinned: string; status: string };
};

/**
 * Reads a commit's check runs (checks API), combined status and, with `pinned`, its
 * relation to that commit (compare API), retrying 429 and 5xx. Reads only.
 *
 * @public
 */
export async function readCommitEvidence(options: {
  octokit: Octokit;
  repository: GitHubRepository;
  commit: string;
  pinned?: string;
  retry?: GitHubRetryOptions;
}): Promise<CommitEvidence> {
  const { octokit, repository, commit, pinned } = options;
  const { owner, repo } = repository;
  const hints = {
    access:
      'read access to checks, commit statuses and contents of that repository',
    notFound: `Check that commit ${commit} exists there and that the integrations.github credentials for ${repository.host} can see the repository`,
  };
  const read = <T>(what: string, fn: () => Promise<T>) =>
    readWithRetries(repository, what, fn, options.retry ?? {}, hints);

  const checkRuns = await read(`list the check runs of ${commit}`, () =>
    octokit.paginate(octokit.rest.checks.listForRef, {
      owner,
      repo,
      ref: commit,
      filter: 'latest',
      per_page: 100,
    }),
  );
  const combined = await read(`read the status of ${commit}`, () =>
    octokit.rest.repos.getCombinedStatusForRef({
      owner,
      repo,
      ref: commit,
      per_page: 100,
    }),
  );
  let ancestry: CommitEvidence['ancestry'];
  if (pinned !== undefined) {
    const compared = await read(`compare ${pinned}...${commit}`, () =>
      octokit.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${pinned}...${commit}`,
        per_page: 1,
      }),
    );
    ancestry = { pinned, status: compared.data.status };
  }
  return {
    checkRuns: checkRuns.map(run => ({
      name: run.name,
      status: run.status,
      conclusion: run.conclusion ?? null,
    })),
    statuses: combined.data.statuses.map(status => ({
      context: status.context,
      state: status.state,
      description: status.description,
      targetUrl: status.target_url,
    })),
    ...(ancestry && { ancestry }),
  };
}
