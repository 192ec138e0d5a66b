import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { accessLogLevel, methodLabel, requestIdFrom, validRequestId } from './observe.ts';

describe('validRequestId', () => {
  const cases: [unknown, boolean][] = [
    ['7f0c1b2e-aaaa-bbbb-cccc-0123456789ab', true],
    ['abc_DEF.123:456', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['', false],
    ['with space', false],
    ['new\nline', false],
    ['quote"', false],
    ['ünïcode', false],
    [['a', 'b'], false], // a header sent twice
    [undefined, false],
  ];
  for (const [id, want] of cases) {
    it(`${JSON.stringify(id)} is ${want ? 'valid' : 'invalid'}`, () => {
      assert.equal(validRequestId(id), want);
    });
  }

  it('generates an id when the incoming one is invalid', () => {
    assert.equal(requestIdFrom('abc'), 'abc');
    const generated = requestIdFrom('bad id');
    assert.ok(validRequestId(generated) && generated !== requestIdFrom(undefined));
  });
});

describe('methodLabel', () => {
  const cases: [string, string][] = [
    ['GET', 'GET'],
    ['DELETE', 'DELETE'],
    ['OPTIONS', 'OPTIONS'],
    ['PROPFIND', 'OTHER'],
    ['get', 'OTHER'],
  ];
  for (const [method, want] of cases) {
    it(`${method} → ${want}`, () => {
      assert.equal(methodLabel(method), want);
    });
  }
});

describe('accessLogLevel', () => {
  const cases: [string, number, string][] = [
    ['/api/items', 200, 'info'],
    ['/api/items', 404, 'info'],
    ['/api/items', 500, 'error'],
    ['/healthz', 200, 'debug'],
    ['/readyz', 200, 'debug'],
    ['/metrics', 200, 'debug'],
    ['/readyz', 503, 'error'],
    ['/metrics', 404, 'info'],
  ];
  for (const [route, status, want] of cases) {
    it(`${route} ${status} → ${want}`, () => {
      assert.equal(accessLogLevel(route, status), want);
    });
  }
});
