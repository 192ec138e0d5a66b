import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './paths';

/** Files of a Go module at an exact version. */
export type ModuleFiles = { module: string; version: string; files: string[] };

/**
 * The content of files of a Go module at an exact version, fetched through the Go module proxy
 * (packages/control-plane/tools/module-files reads them from the module's zip) once per machine, then
 * from the cache. Several files come back as YAML documents separated by `---`.
 */
export function readModuleFiles(source: ModuleFiles): string {
  const key = createHash('sha256')
    .update([source.module, source.version, ...source.files].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir(), 'modules');
  const file = join(dir, `${key}.yaml`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  let content: string;
  try {
    content = execFileSync(
      'go',
      ['run', '.', `${source.module}@${source.version}`, ...source.files],
      {
        cwd: join(repoRoot, 'packages/control-plane/tools/module-files'),
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (e: any) {
    throw new Error(
      `${source.module}@${source.version}: ${
        String(e.stderr ?? '').trim() || e.message
      }`,
    );
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, content);
  return content;
}

/** The version a tools module (packages/control-plane/tools/<name>/go.mod) requires of a module. */
export function toolsModuleVersion(tools: string, module: string): string {
  const goMod = readFileSync(
    join(repoRoot, 'packages/control-plane/tools', tools, 'go.mod'),
    'utf8',
  );
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = goMod.match(
    new RegExp(`^(?:require\\s+|\\s+)${escaped}\\s+(v\\S+)`, 'm'),
  );
  if (!match) {
    throw new Error(`tools/${tools}/go.mod does not require ${module}`);
  }
  return match[1];
}
