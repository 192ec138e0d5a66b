import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { precompress, precompressDirectory } from './precompress.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'precompress-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BIG_JS = `export const data = ${JSON.stringify('abc'.repeat(1000))};`;

describe('precompressDirectory', () => {
  it('writes .br and .gz copies of large text files only', async () => {
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets/index-abc.js'), BIG_JS);
    await writeFile(join(dir, 'index.html'), '<!doctype html><p>small</p>');
    await writeFile(join(dir, 'assets/logo.png'), Buffer.alloc(4096));

    const written = await precompressDirectory(dir);

    expect(written).toEqual(['assets/index-abc.js.br', 'assets/index-abc.js.gz']);
    const br = await readFile(join(dir, 'assets/index-abc.js.br'));
    const gz = await readFile(join(dir, 'assets/index-abc.js.gz'));
    expect(brotliDecompressSync(br).toString()).toBe(BIG_JS);
    expect(gunzipSync(gz).toString()).toBe(BIG_JS);
    expect(br.length).toBeLessThan(BIG_JS.length);
  });

  it('skips copies that would not be smaller', async () => {
    // Random bytes do not compress.
    await writeFile(join(dir, 'noise.txt'), randomBytes(2048));
    expect(await precompressDirectory(dir)).toEqual([]);
  });
});

describe('precompress', () => {
  it('is a build-only plugin', () => {
    const plugin = precompress();
    expect(plugin.name).toBe('precompress');
    expect(plugin.apply).toBe('build');
  });
});
