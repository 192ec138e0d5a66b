/*
 * Resolves an image tag to the digest its registry serves, through the OCI Distribution API:
 * HEAD /v2/<repository>/manifests/<tag> accepting an image index, a Docker manifest list, an
 * OCI manifest and a Docker manifest v2, read Docker-Content-Digest (for a multi-arch image,
 * the index's digest). A 401 is answered with the registry's challenge: Bearer (Docker Hub,
 * gcr.io, ECR pull-through caches' token services) gets an anonymous or credentialed pull
 * token from its realm, Basic gets the configured credentials.
 */
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { exponentialBackoff } from '@runway/plugin-runway-common';
import { createHash } from 'node:crypto';
import { parseImageReference, SHA256_DIGEST } from './imageReference';
import { endpointFor, RegistryEndpoint } from './registries';

/** The manifest media types a tag may resolve to, indexes first. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** `Bearer realm="…",service="…",scope="…"` → scheme and parameters. */
export function parseChallenge(
  header: string,
): { scheme: string; params: Record<string, string> } | undefined {
  const match = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const m of match[2].matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    params[m[1].toLowerCase()] = m[2] ?? m[3];
  }
  return { scheme: match[1].toLowerCase(), params };
}

export type RegistryClientOptions = {
  /** From `runway.registries`; a registry not listed is asked over HTTPS, anonymously. */
  registries: RegistryEndpoint[];
  fetch?: typeof fetch;
  /** Per request. Default 20 s. */
  timeoutMs?: number;
  /** Attempts per request when the registry is unreachable or answers 429 or 5xx. Default 3. */
  maxAttempts?: number;
  /** Waits between attempts (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
};

const backoff = exponentialBackoff({ initialMs: 500, maxMs: 4000 });

export class RegistryClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Pull tokens by endpoint URL and repository, for the images of one run. */
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  }

  /** Where the manifest of an image is read, for logs and dry runs. */
  manifestUrl(image: string): string {
    const { endpoint, repository, tag } = this.locate(image);
    return `${endpoint.url}/v2/${repository}/manifests/${tag}`;
  }

  /**
   * The `sha256:…` digest the registry serves for the image's tag. Errors name the image
   * and the registry, never a credential or token.
   */
  async resolveDigest(image: string): Promise<string> {
    const { endpoint, repository } = this.locate(image);
    const url = this.manifestUrl(image);
    const tokenKey = `${endpoint.url} ${repository}`;
    const describe = `${image} (${url})`;

    let response = await this.request(
      'HEAD',
      url,
      describe,
      tokenKey,
      endpoint,
    );
    if (response.status === 401) {
      const challenge = parseChallenge(
        response.headers.get('www-authenticate') ?? '',
      );
      if (challenge?.scheme === 'bearer' && challenge.params.realm) {
        this.tokens.set(
          tokenKey,
          `Bearer ${await this.token(
            endpoint,
            challenge.params,
            repository,
            describe,
          )}`,
        );
      } else if (challenge?.scheme === 'basic' && endpoint.credentials) {
        const { username, password } = endpoint.credentials;
        this.tokens.set(
          tokenKey,
          `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        );
      } else {
        throw new AuthenticationError(
          `${describe}: ${endpoint.host} asks for credentials (${
            challenge?.scheme ?? 'no challenge'
          }); configure them under runway.registries`,
        );
      }
      response = await this.request('HEAD', url, describe, tokenKey, endpoint);
    }
    if (response.status === 401) {
      throw new AuthenticationError(
        `${describe}: ${endpoint.host} refused access to ${repository} (401): the repository does not exist, or needs credentials (runway.registries)`,
      );
    }
    if (response.status === 403) {
      throw new NotAllowedError(
        `${describe}: ${endpoint.host} denied pulling ${repository} (403)`,
      );
    }
    if (response.status === 404) {
      throw new NotFoundError(
        `${describe}: no such image or tag on ${endpoint.host} (404)`,
      );
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `${describe}: ${endpoint.host} answered ${response.status}`,
      );
    }
    let digest = response.headers.get('docker-content-digest') ?? undefined;
    if (!digest) {
      // Some registries leave the header off a HEAD: the digest of a manifest is the
      // sha256 of its bytes.
      const get = await this.request('GET', url, describe, tokenKey, endpoint);
      if (!get.ok) {
        throw new ServiceUnavailableError(
          `${describe}: ${endpoint.host} answered ${get.status} to GET after HEAD`,
        );
      }
      const body = Buffer.from(await get.arrayBuffer());
      digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    }
    if (!SHA256_DIGEST.test(digest)) {
      throw new ServiceUnavailableError(
        `${describe}: ${
          endpoint.host
        } gave no sha256 digest (Docker-Content-Digest: ${digest.slice(
          0,
          80,
        )})`,
      );
    }
    return digest;
  }

  private locate(image: string) {
    const reference = parseImageReference(image);
    const endpoint = endpointFor(this.options.registries, reference.registry);
    const repository = endpoint.repositoryPrefix
      ? `${endpoint.repositoryPrefix}/${reference.repository}`
      : reference.repository;
    return { endpoint, repository, tag: reference.tag };
  }

  /** A pull token from the challenge's realm (with the credentials when configured). */
  private async token(
    endpoint: RegistryEndpoint,
    params: Record<string, string>,
    repository: string,
    describe: string,
  ): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(params.realm);
    } catch {
      throw new ServiceUnavailableError(
        `${describe}: ${endpoint.host}'s token realm is not a URL`,
      );
    }
    if (
      realm.protocol !== 'https:' &&
      !(realm.protocol === 'http:' && endpoint.insecure)
    ) {
      throw new ServiceUnavailableError(
        `${describe}: ${endpoint.host}'s token realm ${realm.origin} is not https (plain http needs insecure: true in runway.registries)`,
      );
    }
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set(
      'scope',
      params.scope ?? `repository:${repository}:pull`,
    );
    const headers: Record<string, string> = { accept: 'application/json' };
    if (endpoint.credentials) {
      const { username, password } = endpoint.credentials;
      headers.authorization = `Basic ${Buffer.from(
        `${username}:${password}`,
      ).toString('base64')}`;
    }
    const response = await this.send(
      realm.href,
      { method: 'GET', headers },
      `${describe}: token service ${realm.origin}`,
    );
    if (!response.ok) {
      throw new AuthenticationError(
        `${describe}: token service ${realm.origin} answered ${response.status}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      token?: string;
      access_token?: string;
    };
    const token = body.token ?? body.access_token;
    if (!token) {
      throw new AuthenticationError(
        `${describe}: token service ${realm.origin} gave no token`,
      );
    }
    return token;
  }

  private request(
    method: 'HEAD' | 'GET',
    url: string,
    describe: string,
    tokenKey: string,
    endpoint: RegistryEndpoint,
  ) {
    const headers: Record<string, string> = {
      accept: MANIFEST_MEDIA_TYPES.join(', '),
    };
    const authorization = this.tokens.get(tokenKey);
    if (authorization) headers.authorization = authorization;
    return this.send(url, { method, headers }, `${describe}: ${endpoint.host}`);
  }

  /** One request, retried while the server is unreachable or answers 429 or 5xx. */
  private async send(
    url: string,
    init: RequestInit,
    what: string,
  ): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response | undefined;
      let failure: string;
      try {
        response = await this.fetch(url, {
          ...init,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (response.status !== 429 && response.status < 500) return response;
        failure = `answered ${response.status}`;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        failure = `is unreachable (${cause?.code ?? (error as Error).name})`;
      }
      if (attempt >= this.maxAttempts) {
        throw new ServiceUnavailableError(
          `${what} ${failure} (${attempt} attempts)`,
        );
      }
      await response?.body?.cancel().catch(() => undefined);
      await this.sleep(backoff(attempt));
    }
  }
}
