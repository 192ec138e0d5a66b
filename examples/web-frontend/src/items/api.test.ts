import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch } from '../test/fetch';
import { ApiError, createItemsClient, isItem, messageOf, validateName } from './api';

const APPLE = { id: 1, name: 'apple', createdAt: '2030-01-02T03:04:05Z' };

describe('createItemsClient', () => {
  it('lists items from GET {apiBaseUrl}/items?limit=n', async () => {
    const fetchFn = mockFetch({ 'GET /api/items?limit=10': () => jsonResponse({ items: [APPLE] }) });
    const client = createItemsClient('/api/', fetchFn);
    await expect(client.list({ limit: 10 })).resolves.toEqual([APPLE]);
    expect(fetchFn.mock.calls[0]?.[1]?.headers).toEqual({ Accept: 'application/json' });
  });

  it('asks for 100 items by default, on another origin too', async () => {
    const fetchFn = mockFetch({
      'GET https://api.example.com/v1/items?limit=100': () => jsonResponse({ items: [] }),
    });
    await expect(createItemsClient('https://api.example.com/v1', fetchFn).list()).resolves.toEqual([]);
  });

  it('creates an item with POST {apiBaseUrl}/items', async () => {
    const fetchFn = mockFetch({ 'POST /api/items': () => jsonResponse(APPLE, 201) });
    await expect(createItemsClient('/api', fetchFn).create('apple')).resolves.toEqual(APPLE);
    const init = fetchFn.mock.calls[0]?.[1];
    expect(init?.body).toBe('{"name":"apple"}');
    expect(init?.headers).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json' });
  });

  it.each([
    [
      'the error message of the API',
      () => jsonResponse({ error: 'name must be at most 200 characters' }, 400),
      new ApiError('name must be at most 200 characters', 400),
    ],
    [
      'the status when the body is not the API error',
      () => new Response('<h1>Bad Gateway</h1>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
      new ApiError('The server answered with HTTP 502.', 502),
    ],
    [
      'the status when the error is empty',
      () => jsonResponse({ error: '' }, 500),
      new ApiError('The server answered with HTTP 500.', 500),
    ],
    [
      'an unexpected success body',
      () => jsonResponse({ id: 1 }, 201),
      new ApiError('The server sent an unexpected response.', 201),
    ],
    [
      'a success without JSON',
      () => new Response('ok', { status: 201, headers: { 'Content-Type': 'text/plain' } }),
      new ApiError('The server sent an unexpected response.', 201),
    ],
    [
      'broken JSON',
      () => new Response('{', { status: 201, headers: { 'Content-Type': 'application/json' } }),
      new ApiError('The server sent an unexpected response.', 201),
    ],
  ])('reports %s', async (_, respond, want) => {
    const client = createItemsClient('/api', mockFetch({ 'POST /api/items': respond }));
    const error: unknown = await client.create('x').catch((e: unknown) => e);
    expect(error).toEqual(want);
    expect((error as ApiError).status).toBe(want.status);
  });

  it.each([[{ items: [{ ...APPLE, id: null }] }], [{ items: 'none' }], [[APPLE]]])(
    'rejects the list %j',
    async body => {
      const client = createItemsClient(
        '/api',
        mockFetch({ 'GET /api/items?limit=100': () => jsonResponse(body) }),
      );
      await expect(client.list()).rejects.toThrow(
        new ApiError('The server sent an unexpected response.', 200),
      );
    },
  );

  it('reports a server that cannot be reached', async () => {
    const client = createItemsClient('/api', mockFetch({}));
    const error: unknown = await client.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(
      'The server could not be reached. Check your connection and try again.',
    );
    expect((error as ApiError).status).toBeUndefined();
  });

  it('passes an abort through unchanged', async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('aborted', 'AbortError');
    const client = createItemsClient('/api', () => Promise.reject(abort));
    await expect(client.list({ signal: controller.signal })).rejects.toBe(abort);
  });
});

describe('validateName', () => {
  it.each([
    ['apple', undefined],
    ['  apple  ', undefined],
    ['é'.repeat(200), undefined],
    ['😀'.repeat(200), undefined],
    ['', 'Name is required.'],
    ['   ', 'Name is required.'],
    ['a'.repeat(201), 'Name must be at most 200 characters (it has 201).'],
  ])('%j → %j', (name, want) => {
    expect(validateName(name)).toBe(want);
  });
});

describe('isItem', () => {
  it.each([
    [APPLE, true],
    [{ ...APPLE, id: 'a1' }, true],
    [{ ...APPLE, name: 1 }, false],
    [{ id: 1, name: 'x' }, false],
    [null, false],
  ])('%j → %s', (value, want) => {
    expect(isItem(value)).toBe(want);
  });
});

describe('messageOf', () => {
  it('shows API errors and hides anything else', () => {
    expect(messageOf(new ApiError('name is required', 400))).toBe('name is required');
    expect(messageOf(new TypeError('x is undefined'))).toBe('Something went wrong. Try again.');
  });
});
