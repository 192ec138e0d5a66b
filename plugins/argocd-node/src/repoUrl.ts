import { InputError } from '@backstage/errors';

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/;
const ACCEPTED_FORMS =
  "an https:// or ssh:// Git URL, a scp-like 'git@host:owner/repo.git', or the scaffolder's 'host?owner=…&repo=…'";

/**
 * The Git URL Argo CD should pull from. Accepts what Argo CD accepts (https://, http://,
 * ssh://, scp-like `git@host:path`) and the scaffolder's RepoUrlPicker form
 * `github.com?owner=o&repo=r`, which becomes `https://github.com/o/r.git` (the clone URL
 * `publish:github` outputs). URLs carrying credentials are refused: Argo CD authenticates
 * with the repository credentials configured in Argo CD, never with template input.
 */
export function normalizeRepoUrl(field: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) {
    throw new InputError(`${field} must not be empty`);
  }
  if (SCP_LIKE.test(trimmed)) {
    return trimmed;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (!scheme) {
    const pickerForm = /^([A-Za-z0-9.-]+(?::\d+)?)\?(.*)$/.exec(trimmed);
    if (pickerForm) {
      const params = new URLSearchParams(pickerForm[2]);
      const owner = params.get('owner') ?? params.get('organization');
      const repo = params.get('repo');
      if (!owner || !repo) {
        throw new InputError(
          `${field} '${value}' is in the scaffolder's 'host?owner=…&repo=…' form but lacks owner or repo`,
        );
      }
      return `https://${pickerForm[1]}/${owner}/${repo}.git`;
    }
    throw new InputError(
      `${field} '${value}' is not a repository URL; use ${ACCEPTED_FORMS}`,
    );
  }
  if (!['https', 'http', 'ssh'].includes(scheme)) {
    throw new InputError(
      `${field} '${value}' uses the unsupported scheme '${scheme}'; use ${ACCEPTED_FORMS}`,
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InputError(
      `${field} '${value}' is not a valid URL; use ${ACCEPTED_FORMS}`,
    );
  }
  if (url.password || (url.username && scheme !== 'ssh')) {
    throw new InputError(
      `${field} must not contain credentials; Argo CD uses the repository credentials configured in Argo CD`,
    );
  }
  if (!url.hostname || url.pathname.length <= 1) {
    throw new InputError(
      `${field} '${value}' must name a host and a repository path`,
    );
  }
  return trimmed;
}

/** A GitHub repository: host, owner and name. */
export type GitHubRepository = { host: string; owner: string; repo: string };

/**
 * Parses `https://github.com/owner/repo`, `github.com/owner/repo` or the scaffolder's
 * `github.com?owner=o&repo=r` into host, owner and repository name.
 */
export function parseGitHubRepository(
  field: string,
  value: string,
): GitHubRepository {
  const trimmed = value.trim();
  const pickerForm = /^([A-Za-z0-9.-]+(?::\d+)?)\?(.*)$/.exec(trimmed);
  if (pickerForm) {
    const params = new URLSearchParams(pickerForm[2]);
    const owner = params.get('owner');
    const repo = params.get('repo');
    if (owner && repo) return { host: pickerForm[1], owner, repo };
  } else {
    const withScheme = /^https?:\/\//i.test(trimmed)
      ? trimmed
      : `https://${trimmed}`;
    try {
      const url = new URL(withScheme);
      const parts = url.pathname.split('/').filter(Boolean);
      if (!url.username && !url.password && parts.length === 2) {
        return {
          host: url.host,
          owner: parts[0],
          repo: parts[1].replace(/\.git$/, ''),
        };
      }
    } catch {
      // reported below
    }
  }
  throw new InputError(
    `${field} '${value}' must name a GitHub repository as https://<host>/<owner>/<repo>, <host>/<owner>/<repo> or <host>?owner=<owner>&repo=<repo>`,
  );
}
