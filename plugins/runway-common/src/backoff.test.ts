import { backoffDelay, exponentialBackoff } from './backoff';

describe('backoffDelay', () => {
  it.each([
    // [retry, initialMs, maxMs, factor, expected]
    [1, 500, 8000, undefined, 500],
    [2, 500, 8000, undefined, 1000],
    [3, 500, 8000, undefined, 2000],
    [5, 500, 8000, undefined, 8000],
    [6, 500, 8000, undefined, 8000],
    [30, 500, 8000, undefined, 8000],
    [1, 5000, 80000, undefined, 5000],
    [5, 5000, 80000, undefined, 80000],
    [9, 5000, 80000, undefined, 80000],
    [3, 100, 10000, 3, 900],
  ])(
    'retry %i from %i ms, at most %i ms, factor %s: %i ms',
    (retry, initialMs, maxMs, factor, expected) => {
      expect(backoffDelay(retry, { initialMs, maxMs, factor })).toBe(expected);
    },
  );

  it.each([0, -1, 1.5])('refuses retry %s', retry => {
    expect(() => backoffDelay(retry, { initialMs: 1, maxMs: 2 })).toThrow(
      `retry must be an integer of at least 1, got ${retry}`,
    );
  });
});

describe('exponentialBackoff', () => {
  it('fixes the options', () => {
    const backoff = exponentialBackoff({ initialMs: 500, maxMs: 8000 });
    expect([1, 2, 3, 4, 5, 6].map(backoff)).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
  });
});
