import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ConfigError,
  DEFAULT_PORT,
  describeConfig,
  formatDuration,
  loadConfig,
  parseDuration,
  type Config,
  type Env,
} from './config.ts';

// This service has no database configuration.
const dbEnv = (env: Env = {}): Env => env;

const defaults: Config = {
  port: DEFAULT_PORT,
  logLevel: 'info',
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 15_000,
};

/** Loads env and returns the problems, or [] when it is valid. */
function problems(env: Env): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, `unexpected error ${String(error)}`);
    return error.problems;
  }
}

describe('loadConfig', () => {
  const valid: [string, Env, Config][] = [
    ['defaults', dbEnv(), defaults],
    ['port', dbEnv({ PORT: '9090' }), { ...defaults, port: 9090 }],
    ['spaces are trimmed', dbEnv({ PORT: ' 9090 ' }), { ...defaults, port: 9090 }],
    ['empty means default', dbEnv({ PORT: '', LOG_LEVEL: '' }), defaults],
    ['log level', dbEnv({ LOG_LEVEL: 'debug' }), { ...defaults, logLevel: 'debug' }],
    ['log level is case-insensitive', dbEnv({ LOG_LEVEL: 'WARN' }), { ...defaults, logLevel: 'warn' }],
    [
      'shutdown',
      dbEnv({ SHUTDOWN_DELAY: '5s', SHUTDOWN_TIMEOUT: '1m' }),
      { ...defaults, shutdownDelayMs: 5000, shutdownTimeoutMs: 60_000 },
    ],
  ];
  for (const [name, env, want] of valid) {
    it(name, () => {
      assert.deepEqual(loadConfig(env), want);
    });
  }

  const invalid: [string, Env, string[]][] = [
    ['port not a number', dbEnv({ PORT: 'http' }), ['PORT must be a number from 1 to 65535, got "http"']],
    ['port out of range', dbEnv({ PORT: '70000' }), ['PORT must be a number from 1 to 65535, got "70000"']],
    ['port zero', dbEnv({ PORT: '0' }), ['PORT must be a number from 1 to 65535, got "0"']],
    ['bad log level', dbEnv({ LOG_LEVEL: 'verbose' }), ['LOG_LEVEL must be one of debug, info, warn, error, got "verbose"']],
    ['bad delay', dbEnv({ SHUTDOWN_DELAY: '-1s' }), ['SHUTDOWN_DELAY must be a duration such as 5s (0 or more), got "-1s"']],
    ['bad timeout', dbEnv({ SHUTDOWN_TIMEOUT: '0s' }), ['SHUTDOWN_TIMEOUT must be a positive duration such as 15s, got "0s"']],
    ['every problem is reported', dbEnv({ PORT: 'x', LOG_LEVEL: 'y' }), ['PORT must be', 'LOG_LEVEL must be']],
  ];
  for (const [name, env, want] of invalid) {
    it(`rejects: ${name}`, () => {
      const got = problems(env);
      assert.equal(got.length, want.length, `problems: ${got.join(' | ')}`);
      want.forEach((prefix, i) => {
        assert.ok(got[i]?.startsWith(prefix), `problem ${got[i] ?? '(none)'} does not start with ${prefix}`);
      });
      assert.ok(!got.join('\n').includes('hunter2'), 'a problem reveals the password');
    });
  }

  it('names every problem in the error message', () => {
    assert.throws(() => loadConfig(dbEnv({ PORT: 'x', SHUTDOWN_TIMEOUT: 'soon' })), {
      name: 'ConfigError',
      message: /^PORT must be .*\nSHUTDOWN_TIMEOUT must be /,
    });
  });
});

describe('parseDuration and formatDuration', () => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['0s', 0],
    ['250ms', 250],
    ['5s', 5000],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['5', undefined],
    ['-1s', undefined],
    ['1d', undefined],
    ['s', undefined],
    ['1 s', undefined],
  ];
  for (const [text, want] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.equal(parseDuration(text), want);
    });
  }

  for (const ms of [0, 1, 999, 1000, 61_001, 3_600_000, 5_400_000]) {
    it(`round-trips ${ms}ms as ${formatDuration(ms)}`, () => {
      assert.equal(parseDuration(formatDuration(ms)), ms);
    });
  }
});

describe('describeConfig', () => {
  it('lists the settings for the logs without secrets', () => {
    assert.deepEqual(describeConfig(loadConfig({ SHUTDOWN_DELAY: '5s' })), {
      port: DEFAULT_PORT,
      log_level: 'info',
      shutdown_delay: '5s',
      shutdown_timeout: '15s',
    });
  });
});
