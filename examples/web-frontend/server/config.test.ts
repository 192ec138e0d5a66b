import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PORT, loadConfig, parseDuration } from './config.ts';

const DEFAULT_PUBLIC = { environment: 'local', apiBaseUrl: '/api', version: 'dev' };

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: DEFAULT_PORT,
      logLevel: 'info',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 15_000,
      publicConfig: DEFAULT_PUBLIC,
      assetFallbackOrigins: [],
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: ' 3000 ',
        LOG_LEVEL: 'DEBUG',
        SHUTDOWN_DELAY: '5s',
        SHUTDOWN_TIMEOUT: '1m',
        APP_ENVIRONMENT: 'production',
        ASSET_FALLBACK_ORIGINS: 'http://web-canary, http://web:8080/',
      }),
    ).toEqual({
      port: 3000,
      logLevel: 'debug',
      shutdownDelayMs: 5000,
      shutdownTimeoutMs: 60_000,
      publicConfig: { ...DEFAULT_PUBLIC, environment: 'production' },
      assetFallbackOrigins: ['http://web-canary', 'http://web:8080'],
    });
  });

  it.each([
    [{ PORT: '0' }, 'PORT must be a number from 1 to 65535, got "0"'],
    [{ PORT: '65536' }, 'PORT must be a number from 1 to 65535, got "65536"'],
    [{ PORT: '80.5' }, 'PORT must be a number from 1 to 65535, got "80.5"'],
    [{ LOG_LEVEL: 'trace' }, 'LOG_LEVEL must be one of debug, info, warn, error, got "trace"'],
    [{ SHUTDOWN_DELAY: '5' }, 'SHUTDOWN_DELAY must be a duration such as 5s (0 or more), got "5"'],
    [{ SHUTDOWN_DELAY: '-1s' }, 'SHUTDOWN_DELAY must be a duration such as 5s (0 or more), got "-1s"'],
    [{ SHUTDOWN_TIMEOUT: '0s' }, 'SHUTDOWN_TIMEOUT must be a positive duration such as 15s, got "0s"'],
    [{ PUBLIC_VERSION: '1' }, 'PUBLIC_VERSION is reserved: set APP_VERSION instead'],
    [
      { ASSET_FALLBACK_ORIGINS: 'http://web-canary/assets' },
      'ASSET_FALLBACK_ORIGINS must be comma-separated http(s) origins such as http://web-canary, got "http://web-canary/assets"',
    ],
    [
      { ASSET_FALLBACK_ORIGINS: 'ftp://web' },
      'ASSET_FALLBACK_ORIGINS must be comma-separated http(s) origins such as http://web-canary, got "ftp://web"',
    ],
  ])('rejects %j', (env, problem) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(`invalid configuration: ${problem}`);
  });

  it('reports every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y', SHUTDOWN_TIMEOUT: 'z', APP_ENVIRONMENT: '?' });
      expect.unreachable('loadConfig should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(4);
    }
  });
});

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['250ms', 250],
    ['5s', 5000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['5', undefined],
    ['5 s', undefined],
    ['-5s', undefined],
    ['5d', undefined],
    ['', undefined],
  ])('%j → %j', (text, want) => {
    expect(parseDuration(text)).toBe(want);
  });
});
