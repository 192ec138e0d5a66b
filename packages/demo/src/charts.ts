import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

/** The root of this monorepo: two levels above this package. */
export const repoRoot = resolve(
  dirname(require.resolve('@runway/demo/package.json')),
  '../..',
);

/** A chart's own values.yaml. */
export function chartValues(chartDir: string): any {
  return parse(
    readFileSync(resolve(repoRoot, chartDir, 'values.yaml'), 'utf8'),
  );
}
