import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../repo';

/** Go without toolchain downloads: the installed Go must satisfy go.mod. */
const goEnv = { GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };

/**
 * What the generated repo's own CI runs, plus: `go mod tidy` changes nothing and
 * `gofmt` has nothing to say. Integration tests run when `databaseUrl` is given.
 * Throws with the failing command's output.
 */
export async function checkGoModule(
  repoDir: string,
  options: { databaseUrl?: string } = {},
): Promise<void> {
  const before = ['go.mod', 'go.sum'].map(f =>
    readFileSync(join(repoDir, f), 'utf8'),
  );
  await run('go', ['mod', 'tidy'], { cwd: repoDir, env: goEnv });
  const after = ['go.mod', 'go.sum'].map(f =>
    readFileSync(join(repoDir, f), 'utf8'),
  );
  if (before.join() !== after.join()) {
    throw new Error(
      `go mod tidy changed go.mod/go.sum in ${repoDir}: the skeleton's module files are stale`,
    );
  }
  const unformatted = (
    await run('gofmt', ['-l', '.'], { cwd: repoDir })
  ).trim();
  if (unformatted) throw new Error(`gofmt would reformat: ${unformatted}`);
  await run('go', ['vet', './...'], { cwd: repoDir, env: goEnv });
  await run('go', ['build', './...'], { cwd: repoDir, env: goEnv });
  await run('go', ['test', '-race', '-count=1', './...'], {
    cwd: repoDir,
    env: { ...goEnv, DATABASE_URL: options.databaseUrl ?? '' },
  });
}
