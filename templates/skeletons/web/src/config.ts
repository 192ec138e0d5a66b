/**
 * The runtime configuration, fetched from /config.json when the app starts.
 *
 * It is not baked into the bundle: one build runs in every environment, and
 * the server builds /config.json from its environment variables (see
 * server/publicConfig.ts and the README). Every value is a string.
 */

export interface RuntimeConfig {
  /** Where the app runs: local, staging, production... */
  readonly environment: string;
  /** Prefix of the backend's API: a path (/api) or an absolute URL, without trailing slash. */
  readonly apiBaseUrl: string;
  /** The version of the running build (the commit SHA in images). */
  readonly version: string;
  /** Further PUBLIC_* variables, by camelCase name. */
  readonly [key: string]: string;
}

export const CONFIG_URL = '/config.json';

/** Thrown when /config.json cannot be loaded or is not a valid configuration. */
export class ConfigLoadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigLoadError';
  }
}

/** Checks that value is a runtime configuration; throws a ConfigLoadError naming the bad field. */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigLoadError(`${CONFIG_URL} must be a JSON object`);
  }
  const config: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field !== 'string') {
      throw new ConfigLoadError(`${CONFIG_URL}: ${key} must be a string`);
    }
    config[key] = field;
  }
  for (const key of ['environment', 'apiBaseUrl', 'version']) {
    if (!(key in config)) throw new ConfigLoadError(`${CONFIG_URL}: ${key} is required`);
  }
  return config as RuntimeConfig;
}

export async function loadRuntimeConfig(fetchFn: typeof fetch): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetchFn(CONFIG_URL, { headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new ConfigLoadError(`${CONFIG_URL} could not be loaded: the server did not answer`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new ConfigLoadError(`${CONFIG_URL} could not be loaded: HTTP ${String(response.status)}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new ConfigLoadError(`${CONFIG_URL} is not valid JSON`, { cause: error });
  }
  return parseRuntimeConfig(body);
}
