import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { clientError, HttpError } from './errors.ts';
import { mediaType, parseCreateItem, parseId, parseLimit, type Parsed } from './items.ts';

const limitError = { ok: false, error: 'limit must be a number from 1 to 100' } as const;
const idError = { ok: false, error: 'id must be a positive integer' } as const;

describe('parseLimit', () => {
  const cases: [string | string[] | undefined, Parsed<number>][] = [
    [undefined, { ok: true, value: 100 }],
    ['', { ok: true, value: 100 }],
    ['1', { ok: true, value: 1 }],
    ['100', { ok: true, value: 100 }],
    ['007', { ok: true, value: 7 }],
    [['5', '7'], { ok: true, value: 5 }],
    ['0', limitError],
    ['101', limitError],
    ['-1', limitError],
    ['1.5', limitError],
    ['1e2', limitError],
    [' 5', limitError],
    ['99999999999999999999', limitError],
  ];
  for (const [value, want] of cases) {
    it(`limit=${JSON.stringify(value)}`, () => {
      assert.deepEqual(parseLimit(value), want);
    });
  }
});

describe('parseId', () => {
  const cases: [string, Parsed<number>][] = [
    ['1', { ok: true, value: 1 }],
    ['42', { ok: true, value: 42 }],
    ['9007199254740991', { ok: true, value: Number.MAX_SAFE_INTEGER }],
    ['9007199254740992', idError],
    ['0', idError],
    ['-1', idError],
    ['1.0', idError],
    ['abc', idError],
    ['', idError],
  ];
  for (const [text, want] of cases) {
    it(`id ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseId(text), want);
    });
  }
});

describe('parseCreateItem', () => {
  const cases: [unknown, Parsed<string>][] = [
    [{ name: ' apple ' }, { ok: true, value: 'apple' }],
    [{}, { ok: false, error: 'name is required' }],
    [{ name: null }, { ok: false, error: 'name must be a string' }],
    [{ name: 'a', id: 1 }, { ok: false, error: 'invalid JSON body: unknown field "id"' }],
    [null, { ok: false, error: 'body must be a JSON object' }],
    ['apple', { ok: false, error: 'body must be a JSON object' }],
    [[{ name: 'a' }], { ok: false, error: 'body must be a JSON object' }],
  ];
  for (const [body, want] of cases) {
    it(JSON.stringify(body), () => {
      assert.deepEqual(parseCreateItem(body), want);
    });
  }
});

describe('mediaType', () => {
  const cases: [string | undefined, string][] = [
    ['application/json', 'application/json'],
    ['Application/JSON; charset=utf-8', 'application/json'],
    [' application/json ;foo=bar', 'application/json'],
    ['text/plain', 'text/plain'],
    ['', ''],
    [undefined, ''],
  ];
  for (const [header, want] of cases) {
    it(`${JSON.stringify(header)} → ${JSON.stringify(want)}`, () => {
      assert.equal(mediaType(header), want);
    });
  }
});

describe('clientError', () => {
  const fastifyError = (code: string, statusCode: number, message = 'fastify says no') =>
    Object.assign(new Error(message), { code, statusCode });
  const cases: [string, unknown, ReturnType<typeof clientError>][] = [
    ['our own', new HttpError(400, 'invalid JSON body: x'), { status: 400, message: 'invalid JSON body: x' }],
    ['body too large', fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), { status: 413, message: 'body must be at most 1048576 bytes' }],
    ['media type', fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), { status: 415, message: 'Content-Type must be application/json' }],
    ['another client error', fastifyError('FST_ERR_SOMETHING', 400, 'bad'), { status: 400, message: 'bad' }],
    ['a server error', fastifyError('FST_ERR_SOMETHING', 500), undefined],
    ['a plain error', new Error('boom'), undefined],
    ['not an error', 'boom', undefined],
  ];
  for (const [name, error, want] of cases) {
    it(name, () => {
      assert.deepEqual(clientError(error), want);
    });
  }
});
