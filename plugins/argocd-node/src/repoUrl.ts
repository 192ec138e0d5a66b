import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/;
const ACCEPTED_FORMS =
  "an https:// or ssh:// Git URL, or a scp-like 'git@host:owner/repo.git'";

/**
 * Why a value is not a Git URL Argo CD can pull from, or undefined when it is one. Accepts
 * what Argo CD accepts (https://, http://, ssh://, scp-like `git@host:path`); refuses URLs
 * carrying credentials (Argo CD authenticates with the repository credentials configured
 * in Argo CD, never with template input) without echoing them. Pure.
 *
 * @public
 */
export function repoUrlProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return 'must not be empty';
  if (SCP_LIKE.test(trimmed)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (!scheme) {
    return /^[A-Za-z0-9.-]+(:\d+)?\?/.test(trimmed)
      ? `'${value}' is the scaffolder's 'host?owner=…&repo=…' form, which the action resolves with its integrations; give a Git URL: ${ACCEPTED_FORMS}`
      : `'${value}' is not a repository URL; use ${ACCEPTED_FORMS}`;
  }
  if (!['https', 'http', 'ssh'].includes(scheme)) {
    return `'${value}' uses the unsupported scheme '${scheme}'; use ${ACCEPTED_FORMS}`;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `'${value}' is not a valid URL; use ${ACCEPTED_FORMS}`;
  }
  if (url.password || (url.username && scheme !== 'ssh')) {
    return 'must not contain credentials; Argo CD uses the repository credentials configured in Argo CD';
  }
  if (!url.hostname || url.pathname.length <= 1) {
    return `'${value}' must name a host and a repository path`;
  }
  return undefined;
}

/**
 * The Git URL Argo CD pulls from (see {@link repoUrlProblem}), trimmed.
 *
 * @public
 */
export function gitRepoUrl() {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = repoUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * A GitHub repository: host, owner and name.
 *
 * @public
 */
export type GitHubRepository = { host: string; owner: string; repo: string };

/**
 * Parses `https://github.com/owner/repo` or `github.com/owner/repo` (a configured GitOps
 * repository) into host, owner and repository name.
 */
export function parseGitHubRepository(
  field: string,
  value: string,
): GitHubRepository {
  const trimmed = value.trim();
  const withScheme = /^https?:\/\//i.test(trimmed)
    ? trimmed
    : `https://${trimmed}`;
  try {
    const url = new URL(withScheme);
    const parts = url.pathname.split('/').filter(Boolean);
    if (trimmed && !url.username && !url.password && parts.length === 2) {
      return {
        host: url.host,
        owner: parts[0],
        repo: parts[1].replace(/\.git$/, ''),
      };
    }
  } catch {
    // reported below
  }
  throw new InputError(
    `${field} '${value}' must name a GitHub repository as https://<host>/<owner>/<repo> or <host>/<owner>/<repo>`,
  );
}

/**
 * The GitHub repository of an Application's `repoURL` (https, ssh or scp-like form), or
 * undefined when the URL does not name `<host>/<owner>/<repo>`. Pure.
 *
 * @public
 */
export function gitHubRepositoryOf(
  repoUrl: string,
): GitHubRepository | undefined {
  const trimmed = repoUrl.trim();
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):([^/\s]+)\/([^/\s]+)$/.exec(
    trimmed,
  );
  let host: string;
  let parts: string[];
  if (scp) {
    [, host] = scp;
    parts = [scp[2], scp[3]];
  } else {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:'].includes(url.protocol)) return undefined;
    host = url.protocol === 'ssh:' ? url.hostname : url.host;
    parts = url.pathname.split('/').filter(Boolean);
  }
  if (parts.length !== 2) return undefined;
  const repo = parts[1].replace(/\.git$/, '');
  return repo ? { host, owner: parts[0], repo } : undefined;
}
