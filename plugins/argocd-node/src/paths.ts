import { InputError } from '@backstage/errors';
import { parseValue } from '@runway/plugin-runway-common';
import { repoPath } from './validation';

/**
 * The placeholders a GitOps path pattern may use.
 *
 * @public
 */
export type PathValues = {
  appName: string;
  /** Environment name. */
  environment: string;
  /** `<appName>-<environment>` */
  applicationName: string;
  /** Argo CD instance name. */
  instance: string;
  /** AppProject name. */
  project: string;
};

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set<string>([
  'appName',
  'environment',
  'applicationName',
  'instance',
  'project',
]);

/**
 * Checks a path pattern: a relative path whose placeholders are all known and which uses at
 * least one of `requiredAnyOf` (so that different objects get different files).
 */
export function checkPathPattern(
  field: string,
  pattern: string,
  requiredAnyOf: string[],
): void {
  for (const [, name] of pattern.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(name)) {
      throw new InputError(
        `${field} '${pattern}' uses the unknown placeholder '{${name}}'; known: ${[
          ...KNOWN,
        ]
          .map(known => `{${known}}`)
          .join(', ')}`,
      );
    }
  }
  if (!requiredAnyOf.some(placeholder => pattern.includes(placeholder))) {
    throw new InputError(
      `${field} '${pattern}' must contain ${requiredAnyOf.join(
        ' or ',
      )} so that each object gets its own file`,
    );
  }
  parseValue(field, repoPath(), pattern.replace(PLACEHOLDER, 'x'));
}

/**
 * The pattern with its placeholders replaced. Pure.
 *
 * @public
 */
export function renderPath(pattern: string, values: PathValues): string {
  return pattern.replace(PLACEHOLDER, (match, name: string) =>
    KNOWN.has(name) ? values[name as keyof PathValues] : match,
  );
}
