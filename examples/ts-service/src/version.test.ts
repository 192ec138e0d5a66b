import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';

import { readVersion } from './version.ts';

describe('readVersion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'version-test-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string, text?: string) => {
    const path = join(dir, name);
    if (text !== undefined) writeFileSync(path, text);
    return pathToFileURL(path);
  };

  const cases: [string, string | undefined, string][] = [
    ['no file', undefined, 'dev'],
    ['a commit SHA', '{"version":"0123abc"}\n', '0123abc'],
    ['blank', '{"version":" "}', 'dev'],
    ['no version', '{}', 'dev'],
    ['not a string', '{"version":1}', 'dev'],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      assert.equal(readVersion(file(`${name}.json`, text)), want);
    });
  }

  it('fails on a broken file', () => {
    assert.throws(() => readVersion(file('broken.json', '{')), /broken\.json is not valid JSON/);
  });

  it('is dev when run from the sources', () => {
    assert.equal(readVersion(), 'dev');
  });
});
