/*
 * A generated README's instructions against the repository: every `make` target its shell
 * blocks run exists in the Makefile, every folder a `-chdir=` names and every file a `-f` or a
 * code span names exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lines of the README's ```sh blocks. */
export function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  let inShell = false;
  for (const line of markdown.split('\n')) {
    const fence = line.trim().match(/^```(\w*)/);
    if (fence) {
      inShell = !inShell && ['sh', 'bash', 'shell'].includes(fence[1]);
      continue;
    }
    if (inShell && line.trim() && !line.trim().startsWith('#')) {
      lines.push(line.trim());
    }
  }
  return lines;
}

/** The targets a Makefile defines. */
export function makeTargets(makefile: string): string[] {
  return [...makefile.matchAll(/^([A-Za-z0-9_.-]+):(?!=)/gm)].map(m => m[1]);
}

/** Paths of this repository a README names in code spans (`terraform/…`, `addons/…`). */
function namedPaths(markdown: string, roots: string[]): string[] {
  return [...markdown.matchAll(/`([^`\s]+)`/g)]
    .map(m => m[1].replace(/[.,:;]$/, ''))
    .filter(p => roots.some(r => p === r || p.startsWith(`${r}/`)));
}

/** Problems of the README's commands and paths in repoDir; empty when they match the files. */
export function checkReadme(repoDir: string, readme = 'README.md'): string[] {
  const text = readFileSync(join(repoDir, readme), 'utf8');
  const problems: string[] = [];
  const makefile = join(repoDir, 'Makefile');
  const targets = existsSync(makefile)
    ? makeTargets(readFileSync(makefile, 'utf8'))
    : [];
  for (const line of shellLines(text)) {
    const make = line.match(/^make\s+(?:\S+=\S+\s+)*([A-Za-z0-9_.-]+)/);
    if (make && !targets.includes(make[1])) {
      problems.push(`${readme}: "${line}" runs a target the Makefile lacks`);
    }
    for (const m of line.matchAll(/-chdir=(\S+)/g)) {
      if (!existsSync(join(repoDir, m[1]))) {
        problems.push(
          `${readme}: "${line}" names the folder ${m[1]}, which does not exist`,
        );
      }
    }
    for (const m of line.matchAll(/\s-f\s+(\S+)/g)) {
      if (!existsSync(join(repoDir, m[1]))) {
        problems.push(
          `${readme}: "${line}" applies ${m[1]}, which does not exist`,
        );
      }
    }
  }
  const roots = ['terraform', 'addons', 'manifests', 'test', '.github'];
  for (const path of namedPaths(text, roots)) {
    if (!existsSync(join(repoDir, path))) {
      problems.push(`${readme}: names ${path}, which does not exist`);
    }
  }
  return problems;
}
