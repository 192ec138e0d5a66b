import { describe, expect, it } from 'vitest';
import { apiOrigin, buildPublicConfig, camelCase, normalizeApiBaseUrl } from './publicConfig.ts';

describe('buildPublicConfig', () => {
  it.each([
    ['defaults', {}, { environment: 'local', apiBaseUrl: '/api', version: 'dev' }],
    [
      'APP_* variables',
      { APP_ENVIRONMENT: ' staging ', APP_VERSION: '3f2a9c1' },
      { environment: 'staging', apiBaseUrl: '/api', version: '3f2a9c1' },
    ],
    [
      'PUBLIC_* variables in camelCase',
      { PUBLIC_SUPPORT_EMAIL: 'help@example.com', PUBLIC_FEATURE_X2: 'on' },
      {
        environment: 'local',
        apiBaseUrl: '/api',
        version: 'dev',
        supportEmail: 'help@example.com',
        featureX2: 'on',
      },
    ],
    [
      'an API path with a trailing slash',
      { PUBLIC_API_BASE_URL: '/backend/api/' },
      { environment: 'local', apiBaseUrl: '/backend/api', version: 'dev' },
    ],
    [
      'an API on another origin',
      { PUBLIC_API_BASE_URL: 'https://api.example.com/v1/' },
      { environment: 'local', apiBaseUrl: 'https://api.example.com/v1', version: 'dev' },
    ],
    [
      'nothing else from the environment',
      { DB_PASSWORD: 'secret', HOME: '/home/app', NODE_OPTIONS: '--x', public_lower: 'x', APP_OTHER: 'y' },
      { environment: 'local', apiBaseUrl: '/api', version: 'dev' },
    ],
    [
      'empty variables as unset',
      { APP_ENVIRONMENT: '', APP_VERSION: '  ' },
      { environment: 'local', apiBaseUrl: '/api', version: 'dev' },
    ],
  ])('%s', (_, env, want) => {
    expect(buildPublicConfig(env)).toEqual({ config: want, problems: [] });
  });

  it.each([
    [
      'APP_ENVIRONMENT',
      { APP_ENVIRONMENT: 'pre prod' },
      'APP_ENVIRONMENT must be 1 to 63 letters, digits, dots, dashes or underscores, got "pre prod"',
    ],
    [
      'APP_VERSION',
      { APP_VERSION: 'v1;rm' },
      'APP_VERSION must be 1 to 128 letters, digits, dots, dashes, underscores or plus signs, got "v1;rm"',
    ],
    [
      'a lower-case name',
      { PUBLIC_apiKey: 'x' },
      'PUBLIC_apiKey: PUBLIC_ variable names must be upper-case letters and digits separated by single underscores',
    ],
    [
      'a double underscore',
      { PUBLIC_A__B: 'x' },
      'PUBLIC_A__B: PUBLIC_ variable names must be upper-case letters and digits separated by single underscores',
    ],
    [
      'PUBLIC_ENVIRONMENT',
      { PUBLIC_ENVIRONMENT: 'x' },
      'PUBLIC_ENVIRONMENT is reserved: set APP_ENVIRONMENT instead',
    ],
    ['PUBLIC_VERSION', { PUBLIC_VERSION: 'x' }, 'PUBLIC_VERSION is reserved: set APP_VERSION instead'],
    [
      'an API URL with a query',
      { PUBLIC_API_BASE_URL: '/api?x=1' },
      'PUBLIC_API_BASE_URL must be a path such as /api or an http(s) URL such as https://api.example.com/v1, without query or fragment, got "/api?x=1"',
    ],
    [
      'a long value',
      { PUBLIC_NOTE: 'x'.repeat(2049) },
      'PUBLIC_NOTE must be at most 2048 characters, got 2049',
    ],
  ])('rejects %s', (_, env, problem) => {
    expect(buildPublicConfig(env).problems).toEqual([problem]);
  });

  it('reports every problem at once', () => {
    const { problems } = buildPublicConfig({
      APP_ENVIRONMENT: '!',
      PUBLIC_API_BASE_URL: 'ftp://x',
      PUBLIC_VERSION: '1',
    });
    expect(problems).toHaveLength(3);
  });
});

describe('normalizeApiBaseUrl', () => {
  it.each([
    ['/api', '/api'],
    ['/api/', '/api'],
    ['  /api  ', '/api'],
    ['/', ''],
    ['https://api.example.com', 'https://api.example.com'],
    ['https://api.example.com/', 'https://api.example.com'],
    ['http://localhost:8080/api/', 'http://localhost:8080/api'],
    ['//evil.example.com/api', undefined],
    ['api', undefined],
    ['javascript:alert(1)', undefined],
    ['ftp://example.com', undefined],
    ['https://user:pw@example.com', undefined],
    ['/api#x', undefined],
    ['/a pi', undefined],
    ['/api\\x', undefined],
  ])('%j → %j', (value, want) => {
    expect(normalizeApiBaseUrl(value)).toBe(want);
  });
});

describe('apiOrigin', () => {
  it.each([
    ['/api', undefined],
    ['', undefined],
    ['https://api.example.com/v1', 'https://api.example.com'],
    ['http://localhost:8080', 'http://localhost:8080'],
  ])('%j → %j', (value, want) => {
    expect(apiOrigin(value)).toBe(want);
  });
});

describe('camelCase', () => {
  it.each([
    ['SUPPORT_EMAIL', 'supportEmail'],
    ['API_BASE_URL', 'apiBaseUrl'],
    ['X', 'x'],
    ['FEATURE_2FA', 'feature2fa'],
  ])('%s → %s', (value, want) => {
    expect(camelCase(value)).toBe(want);
  });
});
