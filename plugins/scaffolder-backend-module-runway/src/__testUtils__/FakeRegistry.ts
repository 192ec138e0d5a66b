/*
 * An OCI Distribution API registry as msw handlers: manifests by repository and tag, a
 * Bearer challenge with its token service (as Docker Hub and gcr.io answer) or a Basic one,
 * optional credentials, and a record of every request.
 */
import { createHash } from 'node:crypto';
import { http, HttpResponse, PathParams } from 'msw';

export const INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export type RecordedRequest = {
  method: string;
  url: string;
  authorization?: string;
  accept?: string;
};

export class FakeRegistry {
  readonly requests: RecordedRequest[] = [];
  /** Statuses answered to the next manifest requests, before any other rule. */
  readonly failures: number[] = [];
  private readonly manifests = new Map<
    string,
    { body: string; mediaType: string }
  >();

  constructor(
    private readonly options: {
      /** Base URL of the API, e.g. https://registry-1.docker.io */
      url: string;
      auth: 'bearer' | 'basic' | 'none';
      /** The Bearer challenge's realm and service. */
      realm?: string;
      service?: string;
      /** Required from clients (Basic, or Basic on the token service) when set. */
      credentials?: { username: string; password: string };
      /** HEAD answers carry no Docker-Content-Digest (the client must GET). */
      omitDigestOnHead?: boolean;
    },
  ) {}

  /** Adds a manifest under repository:tag; returns its digest (sha256 of its bytes). */
  push(repository: string, tag: string, mediaType = INDEX): string {
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType,
      note: `${repository}:${tag}`,
    });
    this.manifests.set(`${repository}:${tag}`, { body, mediaType });
    return `sha256:${createHash('sha256').update(body).digest('hex')}`;
  }

  private basic() {
    const { username, password } = this.options.credentials!;
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  handlers() {
    const { url, realm } = this.options;
    const manifest = ({
      request,
      params,
    }: {
      request: Request;
      params: PathParams;
    }) => {
      const authorization = request.headers.get('authorization') ?? undefined;
      this.requests.push({
        method: request.method,
        url: request.url,
        authorization,
        accept: request.headers.get('accept') ?? undefined,
      });
      const failure = this.failures.shift();
      if (failure) return new HttpResponse(null, { status: failure });
      const repository = (params.name as string[]).join('/');
      const tag = params.tag as string;
      if (this.options.auth === 'bearer') {
        if (authorization !== `Bearer token-for-${repository}`) {
          return new HttpResponse(null, {
            status: 401,
            headers: {
              'www-authenticate': `Bearer realm="${realm}",service="${this.options.service}",scope="repository:${repository}:pull"`,
            },
          });
        }
      } else if (this.options.auth === 'basic') {
        if (authorization !== this.basic()) {
          return new HttpResponse(null, {
            status: 401,
            headers: { 'www-authenticate': 'Basic realm="registry"' },
          });
        }
      }
      const found = this.manifests.get(`${repository}:${tag}`);
      const accepted = (request.headers.get('accept') ?? '')
        .split(',')
        .map(type => type.trim());
      if (!found || !accepted.includes(found.mediaType)) {
        return HttpResponse.json(
          {
            errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }],
          },
          { status: 404 },
        );
      }
      const digest = `sha256:${createHash('sha256')
        .update(found.body)
        .digest('hex')}`;
      const headers: Record<string, string> = {
        'content-type': found.mediaType,
      };
      if (!(request.method === 'HEAD' && this.options.omitDigestOnHead)) {
        headers['docker-content-digest'] = digest;
      }
      return new HttpResponse(request.method === 'HEAD' ? null : found.body, {
        headers,
      });
    };
    const handlers = [
      http.head(`${url}/v2/:name+/manifests/:tag`, manifest),
      http.get(`${url}/v2/:name+/manifests/:tag`, manifest),
    ];
    if (realm) {
      handlers.push(
        http.get(realm, ({ request }) => {
          const query = new URL(request.url).searchParams;
          const authorization =
            request.headers.get('authorization') ?? undefined;
          this.requests.push({
            method: 'GET',
            url: request.url,
            authorization,
          });
          if (this.options.credentials && authorization !== this.basic()) {
            return new HttpResponse(null, { status: 401 });
          }
          const scope = /^repository:(.+):pull$/.exec(query.get('scope') ?? '');
          if (query.get('service') !== this.options.service || !scope) {
            return new HttpResponse(null, { status: 400 });
          }
          return HttpResponse.json({ token: `token-for-${scope[1]}` });
        }),
      );
    }
    return handlers;
  }

  /** Method, path and authorization scheme of each request, for assertions. */
  calls() {
    return this.requests.map(r => {
      const u = new URL(r.url);
      return `${r.method} ${u.host}${u.pathname}${u.search} ${
        r.authorization?.split(' ')[0] ?? 'anonymous'
      }`;
    });
  }
}

/** Docker Hub: images on registry-1.docker.io, tokens from auth.docker.io. */
export const dockerHub = () =>
  new FakeRegistry({
    url: 'https://registry-1.docker.io',
    auth: 'bearer',
    realm: 'https://auth.docker.io/token',
    service: 'registry.docker.io',
  });

/** gcr.io: tokens from its own /v2/token. */
export const gcr = () =>
  new FakeRegistry({
    url: 'https://gcr.io',
    auth: 'bearer',
    realm: 'https://gcr.io/v2/token',
    service: 'gcr.io',
  });
