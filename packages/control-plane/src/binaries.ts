import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** The binaries of the control plane, each built from a tools module at a pinned version. */
export type BinaryName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'rollouts-controller';

export type Binaries = Record<BinaryName, string>;

let cached: Binaries | undefined;

/**
 * The paths of the built binaries, from `scripts/ensure-control-plane.sh --check`. Throws,
 * naming what is missing, when they have not been built: `make test` (or the script without
 * `--check`) builds them once per machine; a test never builds them itself (a cold build takes
 * minutes).
 */
export function controlPlaneBinaries(): Binaries {
  if (cached) return cached;
  try {
    const out = execFileSync(
      join(repoRoot, 'scripts/ensure-control-plane.sh'),
      ['--check'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cached = JSON.parse(out) as Binaries;
    return cached;
  } catch (e: any) {
    throw new Error(
      `${
        String(e.stderr ?? '').trim() || e.message
      } (the control plane's binaries are built by scripts/ensure-control-plane.sh)`,
    );
  }
}
