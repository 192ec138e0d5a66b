import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The root of this monorepo: two levels above this package. */
export const repoRoot = resolve(
  dirname(require.resolve('@runway/control-plane/package.json')),
  '../..',
);

/**
 * The machine-wide cache of built binaries and extracted CRDs, shared by every checkout:
 * env RUNWAY_CONTROL_PLANE_CACHE, else `$XDG_CACHE_HOME/runway/control-plane`, else
 * `~/.cache/runway/control-plane` (the same rule as scripts/ensure-control-plane.sh).
 */
export function cacheDir(): string {
  return (
    process.env.RUNWAY_CONTROL_PLANE_CACHE ||
    join(
      process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
      'runway',
      'control-plane',
    )
  );
}

/** The platform pin list the platform-environment template deploys and the CRDs come from. */
export const versionsFile = join(
  repoRoot,
  'templates/platform-environment/versions.yaml',
);
