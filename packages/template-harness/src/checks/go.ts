import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../repo';

/** Go without toolchain downloads: the installed Go must satisfy go.mod. */
const goEnv = { GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };

/**
 * What the generated repo's own CI runs, plus: `go mod tidy` changes nothing and
 * `gofmt` has nothing to say. Integration tests run when `databaseUrl` is given; `race`
 * (default true) runs the tests with the race detector; `env` adds to (or, with "", clears)
 * the tests' environment. Returns `go test -v`'s output; throws with the failing command's.
 */
export async function goModuleChecks(
  repoDir: string,
  options: {
    databaseUrl?: string;
    race?: boolean;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<string> {
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
  return await run(
    'go',
    [
      'test',
      ...(options.race === false ? [] : ['-race']),
      '-count=1',
      '-v',
      './...',
    ],
    {
      cwd: repoDir,
      env: {
        ...goEnv,
        DATABASE_URL: options.databaseUrl ?? '',
        ...options.env,
      },
    },
  );
}

/** {@link goModuleChecks} with the race detector, resolving to nothing (the language check of a Go service). */
export async function checkGoModule(
  repoDir: string,
  options: { databaseUrl?: string } = {},
): Promise<void> {
  await goModuleChecks(repoDir, options);
}
