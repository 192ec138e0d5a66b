import { z } from 'zod/v3';

/*
 * Rules of the Git side of Argo CD objects (revisions, paths, sync options), as zod schemas
 * that name the rule; Kubernetes' naming rules come from @runway/plugin-runway-common.
 */

/**
 * Longest Helm release name; the release is named after the app.
 *
 * @public
 */
export const MAX_HELM_RELEASE_NAME_LENGTH = 53;

// eslint-disable-next-line no-control-regex
const NO_WHITESPACE = /^[^\s\u0000-\u001f\u007f]+$/;

/** A string with no whitespace or control characters: a Git revision, a file name, a cluster. */
export function gitToken() {
  return z
    .string()
    .min(1, 'must not be empty')
    .regex(NO_WHITESPACE, 'must not contain whitespace or control characters');
}

/** Why a path inside a repository is not one (absolute, or with '..'), or undefined. */
export function repoPathProblem(value: string): string | undefined {
  if (value.startsWith('/')) {
    return `'${value}' must be relative to the repository root (no leading '/')`;
  }
  if (value.split('/').includes('..')) {
    return `'${value}' must stay inside the repository (no '..' segments)`;
  }
  return undefined;
}

/** A path inside a repository: relative, without '..' segments, without whitespace. */
export function repoPath() {
  return gitToken().superRefine((value, ctx) => {
    const problem = repoPathProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** An Argo CD sync option: `Key=Value`. */
export function syncOption() {
  return z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9]*=\S+$/,
      'must have the form Key=Value, e.g. CreateNamespace=true',
    );
}
