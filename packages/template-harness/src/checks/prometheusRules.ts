/*
 * The PrometheusRules of a rendered chart through `promtool check rules`: the same
 * parser, template and duplicate checks Prometheus applies when it loads them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { K8sObject } from './manifests';

const run = promisify(execFile);

/** promtool: env PROMTOOL, else the tool folder `scripts/ensure-template-tools.sh` fills. */
export function promtoolBinary(repoRoot: string): string {
  return process.env.PROMTOOL || resolve(repoRoot, '.cache/tools/promtool');
}

/**
 * One problem per PrometheusRule that `promtool check rules` rejects (its own words),
 * plus a PrometheusRule without any rule. Throws when promtool is missing.
 */
export async function checkPrometheusRules(
  objects: K8sObject[],
  promtool: string,
): Promise<string[]> {
  if (!existsSync(promtool)) {
    throw new Error(
      `promtool not found at ${promtool}: run scripts/ensure-template-tools.sh or set PROMTOOL`,
    );
  }
  const rules = objects.filter(o => o.kind === 'PrometheusRule');
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  const problems: string[] = [];
  try {
    for (const [i, rule] of rules.entries()) {
      const where = `PrometheusRule/${rule.metadata?.name ?? '?'}`;
      const groups = (rule.spec as any)?.groups ?? [];
      if (!groups.some((g: any) => (g.rules ?? []).length > 0)) {
        problems.push(`${where}: has no rule`);
        continue;
      }
      const file = join(dir, `rules-${i}.yaml`);
      writeFileSync(file, stringify({ groups }));
      try {
        await run(promtool, ['check', 'rules', file]);
      } catch (e: any) {
        const output = `${e.stdout ?? ''}${e.stderr ?? ''}`
          .replaceAll(file, 'rules')
          .trim();
        problems.push(`${where}: promtool check rules: ${output || e.message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}
