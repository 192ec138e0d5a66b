/**
 * Writes Brotli (.br) and gzip (.gz) copies of the build's text files next to
 * them, once, at build time; the server sends them to clients that accept
 * them, so that no CPU is spent compressing per request.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

/** Files worth compressing: text formats (images and fonts are compressed already). */
export const COMPRESSIBLE = /\.(?:html|js|mjs|css|json|map|svg|txt|xml|webmanifest|wasm)$/i;
/** Below this size compression saves nothing worth a variant. */
export const MIN_SIZE = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses every compressible file of at least MIN_SIZE bytes under dir.
 * A variant is kept only when it is smaller than the original. Returns the
 * written paths, relative to dir, with / separators.
 */
export async function precompressDirectory(dir: string): Promise<string[]> {
  const written: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path);
    if (content.length < MIN_SIZE) continue;
    const variants: [string, Buffer][] = [
      [
        '.br',
        await brotli(content, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
      ],
      ['.gz', await gzipAsync(content, { level: constants.Z_BEST_COMPRESSION })],
    ];
    for (const [suffix, compressed] of variants) {
      if (compressed.length >= content.length) continue;
      await writeFile(path + suffix, compressed);
      written.push(
        relative(dir, path + suffix)
          .split(sep)
          .join('/'),
      );
    }
  }
  return written.sort();
}

export function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    async writeBundle(options) {
      if (options.dir) await precompressDirectory(options.dir);
    },
  };
}
