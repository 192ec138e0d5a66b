import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Every file under a folder, as paths relative to it, sorted. */
export function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap(entry => {
      const path = join(dir, entry);
      return statSync(path).isDirectory()
        ? listFiles(path, base)
        : [relative(base, path)];
    })
    .sort();
}

/**
 * Template syntax left in rendered files: nunjucks tags anywhere, `${{` expressions
 * outside GitHub workflows (where `${{ … }}` is the Actions expression syntax), and any
 * expression that still names template values or parameters.
 */
export function findUnrendered(repoDir: string): string[] {
  return listFiles(repoDir).flatMap(file => {
    const text = readFileSync(join(repoDir, file), 'utf8');
    const problems: string[] = [];
    const inWorkflow = file.startsWith('.github/workflows/');
    text.split('\n').forEach((line, i) => {
      if (/\{%|%\}/.test(line) || (!inWorkflow && line.includes('${{'))) {
        problems.push(
          `${file}:${i + 1}: unrendered template syntax: ${line.trim()}`,
        );
      } else if (/\$\{\{\s*(values|parameters)\./.test(line)) {
        problems.push(
          `${file}:${i + 1}: unrendered template value: ${line.trim()}`,
        );
      }
    });
    return problems;
  });
}

/** Runs a command in a folder; rejects with its output when it fails. */
export async function run(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  try {
    const { stdout, stderr } = await exec(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (e: any) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${options.cwd}:\n${e.stdout ?? ''}${
        e.stderr ?? ''
      }${e.stdout || e.stderr ? '' : e.message}`,
    );
  }
}
