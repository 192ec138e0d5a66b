/**
 * The runtime configuration of the browser app, served as /config.json.
 *
 * Every value in it reaches every visitor's browser, so it is built from an
 * allow-list of environment variables only, never from the whole environment:
 *
 * - APP_ENVIRONMENT      → environment  (default "local"), e.g. staging
 * - APP_VERSION          → version      (default "dev"; the image sets it to the commit SHA)
 * - PUBLIC_API_BASE_URL  → apiBaseUrl   (default "/api"), a path or an http(s) origin + path
 * - PUBLIC_<NAME>        → <name> in camelCase (PUBLIC_SUPPORT_EMAIL → supportEmail), a string
 *
 * The same function serves /config.json in production (server/server.ts) and in
 * the Vite dev server (vite-plugins/runtimeConfig.ts).
 */

/** Environment variables, as in process.env. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The JSON document served as /config.json. */
export interface PublicConfig {
  readonly environment: string;
  readonly apiBaseUrl: string;
  readonly version: string;
  readonly [key: string]: string;
}

export const DEFAULT_PUBLIC_CONFIG: PublicConfig = {
  environment: 'local',
  apiBaseUrl: '/api',
  version: 'dev',
};

/** The longest value accepted for a PUBLIC_* variable. */
export const MAX_PUBLIC_VALUE_LENGTH = 2048;

const ENVIRONMENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const PUBLIC_NAME_PATTERN = /^PUBLIC_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;

/** Keys that come from variables of their own and must not be overridden by PUBLIC_*. */
const RESERVED: Readonly<Record<string, string>> = {
  environment: 'APP_ENVIRONMENT',
  version: 'APP_VERSION',
};

export interface PublicConfigResult {
  config: PublicConfig;
  /** One message per invalid variable, naming it and the rule it breaks. */
  problems: string[];
}

/** Builds the public configuration from env and reports every invalid variable. */
export function buildPublicConfig(env: Env): PublicConfigResult {
  const problems: string[] = [];
  const config: Record<string, string> = { ...DEFAULT_PUBLIC_CONFIG };

  const environment = env.APP_ENVIRONMENT?.trim();
  if (environment) {
    if (ENVIRONMENT_PATTERN.test(environment)) {
      config.environment = environment;
    } else {
      problems.push(
        `APP_ENVIRONMENT must be 1 to 63 letters, digits, dots, dashes or underscores, got ${JSON.stringify(environment)}`,
      );
    }
  }

  const version = env.APP_VERSION?.trim();
  if (version) {
    if (VERSION_PATTERN.test(version)) {
      config.version = version;
    } else {
      problems.push(
        `APP_VERSION must be 1 to 128 letters, digits, dots, dashes, underscores or plus signs, got ${JSON.stringify(version)}`,
      );
    }
  }

  const publicNames = Object.keys(env)
    .filter(name => name.startsWith('PUBLIC_'))
    .sort();
  for (const name of publicNames) {
    const value = env[name];
    if (value === undefined) continue;
    if (!PUBLIC_NAME_PATTERN.test(name)) {
      problems.push(
        `${name}: PUBLIC_ variable names must be upper-case letters and digits separated by single underscores`,
      );
      continue;
    }
    const key = camelCase(name.slice('PUBLIC_'.length));
    const owner = RESERVED[key];
    if (owner) {
      problems.push(`${name} is reserved: set ${owner} instead`);
      continue;
    }
    if (key === 'apiBaseUrl') {
      const url = normalizeApiBaseUrl(value);
      if (url === undefined) {
        problems.push(
          `PUBLIC_API_BASE_URL must be a path such as /api or an http(s) URL such as https://api.example.com/v1, without query or fragment, got ${JSON.stringify(value)}`,
        );
      } else {
        config.apiBaseUrl = url;
      }
      continue;
    }
    if (value.length > MAX_PUBLIC_VALUE_LENGTH) {
      problems.push(
        `${name} must be at most ${String(MAX_PUBLIC_VALUE_LENGTH)} characters, got ${String(value.length)}`,
      );
      continue;
    }
    config[key] = value;
  }

  return { config: config as PublicConfig, problems };
}

/** PUBLIC_SUPPORT_EMAIL's suffix SUPPORT_EMAIL → supportEmail. */
export function camelCase(upperSnake: string): string {
  return upperSnake
    .toLowerCase()
    .split('_')
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

/**
 * Accepts a same-origin path (/api) or an absolute http(s) URL, and returns it
 * without trailing slashes (so that "/api/" and "/api" call the same URLs);
 * undefined when the value is neither.
 */
export function normalizeApiBaseUrl(value: string): string | undefined {
  const trimmed = value.trim();
  if (/[\s?#\\]/.test(trimmed)) return undefined;
  if (trimmed.startsWith('/')) {
    // "//host" is a protocol-relative URL, not a path.
    if (trimmed.startsWith('//')) return undefined;
    return trimmed.replace(/\/+$/, '');
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The origin the browser must be allowed to call (CSP connect-src) besides its own. */
export function apiOrigin(apiBaseUrl: string): string | undefined {
  return apiBaseUrl.startsWith('/') || apiBaseUrl === '' ? undefined : new URL(apiBaseUrl).origin;
}
