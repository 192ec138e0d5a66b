/*
 * hadolint, the Dockerfile linter (with ShellCheck built in for every RUN), on a
 * Dockerfile's text. scripts/ensure-template-tools.sh puts the binary in .cache/tools.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './paths';

export function hadolintBinary(): string {
  const binary =
    process.env.HADOLINT || resolve(repoRoot, '.cache/tools/hadolint');
  if (!existsSync(binary)) {
    throw new Error(
      `hadolint not found at ${binary}: run scripts/ensure-template-tools.sh`,
    );
  }
  return binary;
}

type Finding = { line: number; code: string; level: string; message: string };

/**
 * Every finding of every level (error, warning, info, style), one line each as
 * `<label>:<line> <code> <level>: <message>`; empty when hadolint has nothing to say.
 * An inline `# hadolint ignore=<code>` comment (with its reason) silences one rule for
 * the next instruction.
 */
export function hadolint(text: string, label = 'Dockerfile'): string[] {
  // hadolint exits 1 when it finds anything; its JSON report is what counts.
  const run = spawnSync(
    hadolintBinary(),
    ['--no-color', '--format', 'json', '-'],
    { input: text, encoding: 'utf8', cwd: repoRoot },
  );
  let findings: Finding[];
  try {
    findings = JSON.parse(run.stdout);
  } catch {
    throw new Error(
      `hadolint failed (exit ${run.status}): ${run.stderr || run.stdout}`,
    );
  }
  return findings.map(
    f => `${label}:${f.line} ${f.code} ${f.level}: ${f.message}`,
  );
}
