import {
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCheckoutUrlReader } from './LocalCheckoutUrlReader';

describe('LocalCheckoutUrlReader', () => {
  const root = mkdtempSync(join(tmpdir(), 'checkout-'));
  mkdirSync(join(root, 'templates/skeletons/go/cmd'), { recursive: true });
  writeFileSync(join(root, 'templates/location.yaml'), 'kind: Location\n');
  writeFileSync(join(root, 'templates/skeletons/go/go.mod'), 'module x\n');
  writeFileSync(
    join(root, 'templates/skeletons/go/cmd/main.go'),
    'package main\n',
  );
  const reader = new LocalCheckoutUrlReader({
    url: 'https://github.com/example-org/runway',
    path: root,
  });
  const repo = 'https://github.com/example-org/runway';

  it.each([
    [`${repo}/blob/main/templates/location.yaml`, true],
    [`${repo}/tree/v1.2/templates/skeletons/go`, true],
    [`${repo}-other/blob/main/x`, false],
    [`https://github.com/example-org/other/blob/main/x`, false],
    [`${repo}/issues/1`, false],
  ])('handles %s: %s', (url, expected) => {
    expect(reader.handles(url)).toBe(expected);
  });

  it('reads a file, and answers NotModified for its etag', async () => {
    const res = await reader.readUrl(
      `${repo}/blob/main/templates/location.yaml`,
    );
    expect((await res.buffer()).toString()).toBe('kind: Location\n');
    await expect(
      reader.readUrl(`${repo}/blob/main/templates/location.yaml`, {
        etag: res.etag,
      }),
    ).rejects.toBeInstanceOf(NotModifiedError);
  });

  it('reads a folder as a tree, into a target dir and as files', async () => {
    const tree = await reader.readTree(
      `${repo}/tree/main/templates/skeletons/go`,
    );
    expect((await tree.files()).map(f => f.path)).toEqual([
      'cmd/main.go',
      'go.mod',
    ]);
    const target = mkdtempSync(join(tmpdir(), 'target-'));
    await tree.dir({ targetDir: target });
    expect(readFileSync(join(target, 'cmd/main.go'), 'utf8')).toBe(
      'package main\n',
    );
  });

  it('searches a plain file URL (how the catalog reads locations)', async () => {
    const url = `${repo}/blob/main/templates/location.yaml`;
    const res = await reader.search(url);
    expect(res.files.map(f => f.url)).toEqual([url]);
    expect((await res.files[0].content()).toString()).toBe('kind: Location\n');
    expect(
      (await reader.search(`${repo}/blob/main/missing.yaml`)).files,
    ).toEqual([]);
    await expect(
      reader.search(`${repo}/blob/main/templates/*.yaml`),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('refuses paths that climb out of the checkout, and unknown files', async () => {
    await expect(
      reader.readUrl(`${repo}/blob/main/..%2F..%2Fetc%2Fpasswd`),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      reader.readUrl(`${repo}/blob/main/nope.yaml`),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
