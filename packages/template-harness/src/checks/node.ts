import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../repo';

/**
 * What the generated repo's own CI runs for an npm project (templates/skeletons/ci):
 * `npm ci` (fails when package-lock.json and package.json disagree), lint, type-check,
 * build, and the tests with coverage, which must write coverage/lcov.info for SonarQube.
 * The integration tests run when `databaseUrl` is given. Throws with the failing
 * command's output.
 */
export async function checkNodeProject(
  repoDir: string,
  options: { databaseUrl?: string } = {},
): Promise<void> {
  const env = {
    CI: 'true',
    // Offline-first: the npm cache answers what it can; the registry the rest.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  await run('npm', ['ci'], { cwd: repoDir, env });
  for (const script of ['lint', 'typecheck', 'build']) {
    await run('npm', ['run', script], { cwd: repoDir, env });
  }
  await run('npm', ['run', 'test:coverage'], {
    cwd: repoDir,
    env: { ...env, DATABASE_URL: options.databaseUrl ?? '' },
  });
  if (!existsSync(join(repoDir, 'coverage/lcov.info'))) {
    throw new Error(
      `npm run test:coverage wrote no coverage/lcov.info in ${repoDir} (SonarQube reads it)`,
    );
  }
}
