import { describe, expect, it } from 'vitest';
import { ConfigLoadError, loadRuntimeConfig, parseRuntimeConfig } from './config';
import { jsonResponse, mockFetch } from './test/fetch';

const VALID = { environment: 'staging', apiBaseUrl: '/api', version: 'abc123' };

describe('parseRuntimeConfig', () => {
  it('accepts the configuration and extra string settings', () => {
    expect(parseRuntimeConfig({ ...VALID, supportEmail: 'help@example.com' })).toEqual({
      ...VALID,
      supportEmail: 'help@example.com',
    });
  });

  it.each([
    [null, '/config.json must be a JSON object'],
    [[], '/config.json must be a JSON object'],
    ['text', '/config.json must be a JSON object'],
    [{ ...VALID, apiBaseUrl: 42 }, '/config.json: apiBaseUrl must be a string'],
    [{ environment: 'x', version: 'y' }, '/config.json: apiBaseUrl is required'],
    [{ apiBaseUrl: '/api', version: 'y' }, '/config.json: environment is required'],
    [{ environment: 'x', apiBaseUrl: '/api' }, '/config.json: version is required'],
  ])('rejects %j', (value, message) => {
    expect(() => parseRuntimeConfig(value)).toThrow(new ConfigLoadError(message));
  });
});

describe('loadRuntimeConfig', () => {
  it('fetches /config.json', async () => {
    const fetchFn = mockFetch({ 'GET /config.json': () => jsonResponse(VALID) });
    await expect(loadRuntimeConfig(fetchFn)).resolves.toEqual(VALID);
  });

  it.each([
    [
      'an HTTP error',
      () => new Response('nope', { status: 503 }),
      '/config.json could not be loaded: HTTP 503',
    ],
    [
      'a body that is not JSON',
      () => new Response('<html>', { status: 200 }),
      '/config.json is not valid JSON',
    ],
    ['an invalid configuration', () => jsonResponse({}), '/config.json: environment is required'],
  ])('fails on %s', async (_, respond, message) => {
    const fetchFn = mockFetch({ 'GET /config.json': respond });
    await expect(loadRuntimeConfig(fetchFn)).rejects.toThrow(new ConfigLoadError(message));
  });

  it('fails when the server cannot be reached', async () => {
    const fetchFn = mockFetch({});
    await expect(loadRuntimeConfig(fetchFn)).rejects.toThrow(
      '/config.json could not be loaded: the server did not answer',
    );
  });
});
