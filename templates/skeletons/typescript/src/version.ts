import { readFileSync } from 'node:fs';

/**
 * The version of the build: the "version" in version.json beside the compiled
 * code, which the Dockerfile writes from its VERSION build argument (CI passes
 * the commit SHA); "dev" when there is none, e.g. in development.
 */
export function readVersion(file: URL = new URL('version.json', import.meta.url)): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'dev';
  }
  let version: unknown;
  try {
    ({ version } = JSON.parse(text) as { version?: unknown });
  } catch {
    throw new Error(`${file.pathname} is not valid JSON`);
  }
  return typeof version === 'string' && version.trim() !== '' ? version.trim() : 'dev';
}
