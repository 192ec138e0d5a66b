import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_NAME_LENGTH, validateName, type NameCheck } from './items.ts';
import { MemoryStore } from './memory.ts';

describe('validateName', () => {
  const cases: [string, string, NameCheck][] = [
    ['plain', 'apple', { ok: true, name: 'apple' }],
    ['trimmed', '  apple \n', { ok: true, name: 'apple' }],
    ['longest', 'é'.repeat(MAX_NAME_LENGTH), { ok: true, name: 'é'.repeat(MAX_NAME_LENGTH) }],
    ['characters are code points', '😀'.repeat(MAX_NAME_LENGTH), { ok: true, name: '😀'.repeat(MAX_NAME_LENGTH) }],
    ['empty', '', { ok: false, error: 'name is required' }],
    ['blank', ' \t ', { ok: false, error: 'name is required' }],
    ['too long', 'a'.repeat(MAX_NAME_LENGTH + 1), { ok: false, error: 'name must be at most 200 characters' }],
    ['lone surrogate', 'a\ud800b', { ok: false, error: 'name must be valid UTF-8' }],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => {
      assert.deepEqual(validateName(input), want);
    });
  }
});

describe('MemoryStore', () => {
  it('creates, gets and lists items in insertion order', async () => {
    const store = new MemoryStore();
    assert.equal(await store.get(1), undefined);
    assert.deepEqual(await store.list(10), []);

    const a = await store.create('a');
    const b = await store.create('b');
    assert.equal(a.id, 1);
    assert.equal(b.id, 2);
    assert.ok(Date.now() - a.createdAt.getTime() < 60_000);

    assert.deepEqual(await store.get(2), b);
    assert.deepEqual(await store.list(1), [a]);
    assert.deepEqual(await store.list(10), [a, b]);
    for (const id of [0, -1, 3, 1.5]) {
      assert.equal(await store.get(id), undefined, `get(${id})`);
    }
  });

  it('returns copies of its list', async () => {
    const store = new MemoryStore();
    await store.create('a');
    (await store.list(10)).pop();
    assert.equal((await store.list(10)).length, 1);
  });
});
