import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
{%- if values.database %}

import { Client } from 'pg';
{%- endif %}

import {
{%- if values.database %}
  checkDatabaseUrl,
{%- endif %}
  ConfigError,
  DEFAULT_PORT,
  describeConfig,
  formatDuration,
  loadConfig,
  parseDuration,
  type Config,
  type Env,
} from './config.ts';
{%- if values.database %}
import { libpqCompatibleUrl } from './postgres/pool.ts';

// The minimal database configuration, added to the variables of a case.
const dbEnv = (env: Env = {}): Env => ({ DATABASE_URL: 'postgres://app@db:5432/app', ...env });
{%- else %}

// This service has no database configuration.
const dbEnv = (env: Env = {}): Env => env;
{%- endif %}

const defaults: Config = {
  port: DEFAULT_PORT,
  logLevel: 'info',
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 15_000,
{%- if values.database %}
  databaseUrl: 'postgres://app@db:5432/app',
{%- endif %}
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
{%- if values.database %}
    [
      'DB_* variables of the CloudNativePG secret',
      { DB_HOST: 'orders-db-rw', DB_PORT: '5432', DB_NAME: 'app', DB_USER: 'app', DB_PASSWORD: 's3cr3t' },
      { ...defaults, databaseUrl: 'postgres://app:s3cr3t@orders-db-rw:5432/app?sslmode=require' },
    ],
    [
      'DB_* defaults and sslmode',
      { DB_HOST: 'localhost', DB_NAME: 'app', DB_USER: 'app', DB_SSLMODE: 'disable' },
      { ...defaults, databaseUrl: 'postgres://app@localhost:5432/app?sslmode=disable' },
    ],
    [
      'DB_HOST as an IPv6 address',
      { DB_HOST: 'fd00::1', DB_NAME: 'app', DB_USER: 'app' },
      { ...defaults, databaseUrl: 'postgres://app@[fd00::1]:5432/app?sslmode=require' },
    ],
    [
      'DATABASE_URL wins over DB_*',
      { DATABASE_URL: 'postgres://u@h/d', DB_HOST: 'ignored' },
      { ...defaults, databaseUrl: 'postgres://u@h/d' },
    ],
{%- endif %}
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
{%- if values.database %}
    ['no database settings', {}, ['set DATABASE_URL, or DB_HOST, DB_NAME and DB_USER']],
    ['DB_* incomplete', { DB_HOST: 'db' }, ['DB_NAME is required when DATABASE_URL is not set', 'DB_USER is required when DATABASE_URL is not set']],
    ['bad DB_PORT', { DB_HOST: 'db', DB_NAME: 'n', DB_USER: 'u', DB_PORT: 'pg' }, ['DB_PORT must be a number from 1 to 65535, got "pg"']],
    ['bad DB_SSLMODE', { DB_HOST: 'db', DB_NAME: 'n', DB_USER: 'u', DB_SSLMODE: 'on' }, ['DB_SSLMODE must be one of disable, allow, prefer, require, verify-ca, verify-full, got "on"']],
    ['bad DB_HOST', { DB_HOST: 'db/x', DB_NAME: 'n', DB_USER: 'u' }, ['DB_HOST must be a host name or an IP address, got "db/x"']],
    ['invalid DATABASE_URL', { DATABASE_URL: 'postgres://u:hunter2@h:notaport/d' }, ['DATABASE_URL is not a valid URL (details withheld']],
    ['DATABASE_URL of another database', { DATABASE_URL: 'mysql://u:hunter2@h/d' }, ['DATABASE_URL must start with postgres:// or postgresql://']],
    ['DATABASE_URL with a bad sslmode', { DATABASE_URL: 'postgres://u:hunter2@h/d?sslmode=on' }, ['DATABASE_URL has sslmode=on; it must be one of']],
{%- endif %}
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
{%- if values.database %}

describe('database settings', () => {
  it('escapes a password with URL-special characters', () => {
    const password = 'p@ss:w/rd?#% é ';
    const { databaseUrl } = loadConfig({ DB_HOST: 'db', DB_NAME: 'app', DB_USER: 'app', DB_PASSWORD: password });
    // node-postgres reads the URL back without connecting.
    const client = new Client({ connectionString: libpqCompatibleUrl(databaseUrl) });
    assert.deepEqual(
      { password: client.password, host: client.host, database: client.database, user: client.user, port: client.port },
      { password, host: 'db', database: 'app', user: 'app', port: 5432 },
    );
  });

  it('accepts postgresql:// URLs and every libpq sslmode', () => {
    for (const mode of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']) {
      assert.equal(checkDatabaseUrl(`postgresql://u@h/d?sslmode=${mode}`), undefined, mode);
    }
  });
});
{%- endif %}

describe('describeConfig', () => {
  it('lists the settings for the logs without secrets', () => {
{%- if values.database %}
    const config = loadConfig(dbEnv({ DATABASE_URL: 'postgres://app:hunter2@db:5433/orders?sslmode=verify-full' }));
    assert.deepEqual(describeConfig(config), {
      port: DEFAULT_PORT,
      log_level: 'info',
      shutdown_delay: '0s',
      shutdown_timeout: '15s',
      database: { host: 'db', port: '5433', name: 'orders', user: 'app', sslmode: 'verify-full' },
    });
    assert.ok(!JSON.stringify(describeConfig(config)).includes('hunter2'));
{%- else %}
    assert.deepEqual(describeConfig(loadConfig({ SHUTDOWN_DELAY: '5s' })), {
      port: DEFAULT_PORT,
      log_level: 'info',
      shutdown_delay: '5s',
      shutdown_timeout: '15s',
    });
{%- endif %}
  });
});
