/*
 * Which registry endpoint answers for the images of a registry: `runway.registries` in
 * app-config (mirrors, pull-through caches, credentials, plain-HTTP local registries), or
 * else the registry itself over HTTPS.
 */
import { Config } from '@backstage/config';
import { DOCKER_HUB, normalizeRegistry } from './imageReference';

/** Where the manifests of one registry's images are read. */
export type RegistryEndpoint = {
  /** The registry as image references name it (`docker.io`, `gcr.io`, `localhost:5000`). */
  host: string;
  /** Base URL of the OCI Distribution API (without `/v2`). */
  url: string;
  /** Prepended to every repository: the path of a pull-through cache (`docker-hub`). */
  repositoryPrefix?: string;
  /** Plain HTTP allowed (for this endpoint and its token service). */
  insecure: boolean;
  /** For the registry's Basic challenge or its token service. Never logged. */
  credentials?: { username: string; password: string };
};

/** Docker Hub's API host: `docker.io` names images, `registry-1.docker.io` serves them. */
const DOCKER_HUB_API = 'https://registry-1.docker.io';

/** The endpoint of a registry that `runway.registries` does not list. */
export function defaultEndpoint(host: string): RegistryEndpoint {
  return {
    host,
    url: host === DOCKER_HUB ? DOCKER_HUB_API : `https://${host}`,
    insecure: false,
  };
}

/**
 * The endpoints of `runway.registries`. Throws an Error naming the key when an entry is
 * wrong: a URL that is not http(s), plain http without `insecure: true`, a username without
 * its password, a registry listed twice.
 */
export function readRegistries(config: Config): RegistryEndpoint[] {
  const entries = config.getOptionalConfigArray('runway.registries') ?? [];
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const key = `runway.registries[${index}]`;
    const host = normalizeRegistry(entry.getString('host'));
    if (!/^[a-z0-9.-]+(:\d+)?$/.test(host)) {
      throw new Error(
        `${key}.host: '${host}' is not a registry host (host or host:port, as image references name it)`,
      );
    }
    if (seen.has(host)) {
      throw new Error(`${key}.host: ${host} is listed twice`);
    }
    seen.add(host);
    const insecure = entry.getOptionalBoolean('insecure') ?? false;
    const fallback = defaultEndpoint(host).url;
    let url = entry.getOptionalString('url') ?? fallback;
    if (insecure && !entry.has('url')) url = `http://${host}`;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${key}.url: '${url}' is not a URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new Error(`${key}.url: must be an https:// (or http://) URL`);
    }
    if (parsed.protocol === 'http:' && !insecure) {
      throw new Error(
        `${key}.url: plain http is only allowed with insecure: true (a local or test registry)`,
      );
    }
    if (parsed.username || parsed.password || parsed.search || parsed.hash) {
      throw new Error(
        `${key}.url: must have no credentials, query or fragment (credentials go in username and password)`,
      );
    }
    const username = entry.getOptionalString('username');
    const password = entry.getOptionalString('password');
    if ((username === undefined) !== (password === undefined)) {
      throw new Error(`${key}: give both username and password, or neither`);
    }
    const prefix = entry.getOptionalString('repositoryPrefix');
    return {
      host,
      url: parsed.href.replace(/\/+$/, ''),
      ...(prefix ? { repositoryPrefix: prefix.replace(/^\/+|\/+$/g, '') } : {}),
      insecure,
      ...(username !== undefined
        ? { credentials: { username, password: password! } }
        : {}),
    };
  });
}

/** The endpoint for a registry: its `runway.registries` entry, else the registry itself. */
export function endpointFor(
  registries: RegistryEndpoint[],
  host: string,
): RegistryEndpoint {
  return registries.find(r => r.host === host) ?? defaultEndpoint(host);
}
