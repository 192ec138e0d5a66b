import { dirname, resolve } from 'node:path';

/** The root of this monorepo: two levels above this package. */
export const repoRoot = resolve(
  dirname(require.resolve('@runway/demo/package.json')),
  '../..',
);
