import { copyJson } from './json';

describe('copyJson', () => {
  it.each<[string, unknown]>([
    ['a nested object', { a: { b: [1, { c: 'd' }] }, e: null, f: true }],
    ['an array', [{ retry: { limit: 5 } }, 'x']],
    ['a string', 'HEAD'],
    ['a number', 3],
    ['null', null],
  ])('%s: an equal value', (_, value) => {
    expect(copyJson(value)).toEqual(value);
  });

  it('shares nothing with the original', () => {
    const original = {
      spec: { source: { targetRevision: 'HEAD' } },
      list: [1],
    };
    const copy = copyJson(original);
    copy.spec.source.targetRevision = 'abc';
    copy.list.push(2);
    expect(original).toEqual({
      spec: { source: { targetRevision: 'HEAD' } },
      list: [1],
    });
  });

  it('keeps undefined undefined', () => {
    expect(copyJson(undefined)).toBeUndefined();
  });

  it('makes objects of the caller’s realm (what the template engine accepts)', () => {
    const copy = copyJson({ a: { b: 1 } });
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(copy.a)).toBe(Object.prototype);
    // Node's structuredClone, by contrast, answers from Node's realm under Jest.
    expect(Object.getPrototypeOf(structuredClone({ a: 1 }))).not.toBe(
      Object.prototype,
    );
  });
});
