import { JsonObject } from '@backstage/types';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { setupServer } from 'msw/node';
import {
  dockerHub,
  FakeRegistry,
  gcr,
  OCI_MANIFEST,
} from '../__testUtils__/FakeRegistry';
import { readRegistries } from './registries';
import { parseChallenge, RegistryClient } from './RegistryClient';

const SECRET = 's3cr3t-password';

describe('RegistryClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = (registries: JsonObject[] = []) =>
    new RegistryClient({
      registries: readRegistries(new ConfigReader({ runway: { registries } })),
      sleep: async () => undefined,
    });

  /** The error the promise rejects with (a test fails when it resolves). */
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      e => e as Error,
    );
    if (!error) throw new Error('expected a failure');
    return error;
  };

  it('resolves a Docker Hub official image through the anonymous token challenge, to the index digest', async () => {
    const hub = dockerHub();
    const digest = hub.push('library/node', '22.23.3-trixie-slim');
    server.use(...hub.handlers());

    await expect(
      client().resolveDigest('node:22.23.3-trixie-slim'),
    ).resolves.toBe(digest);
    expect(hub.calls()).toEqual([
      'HEAD registry-1.docker.io/v2/library/node/manifests/22.23.3-trixie-slim anonymous',
      'GET auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnode%3Apull anonymous',
      'HEAD registry-1.docker.io/v2/library/node/manifests/22.23.3-trixie-slim Bearer',
    ]);
    // Indexes first, then single manifests: a multi-arch tag resolves to its index.
    expect(hub.requests[0].accept).toBe(
      [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
    );
  });

  it('resolves gcr.io images with its own token realm, once per repository', async () => {
    const registry = gcr();
    const staticDigest = registry.push('distroless/static-debian13', 'nonroot');
    const nodeDigest = registry.push('distroless/nodejs22-debian13', 'nonroot');
    server.use(...registry.handlers());
    const c = client();

    await expect(
      c.resolveDigest('gcr.io/distroless/static-debian13:nonroot'),
    ).resolves.toBe(staticDigest);
    await expect(
      c.resolveDigest('gcr.io/distroless/static-debian13:nonroot'),
    ).resolves.toBe(staticDigest);
    await expect(
      c.resolveDigest('gcr.io/distroless/nodejs22-debian13:nonroot'),
    ).resolves.toBe(nodeDigest);
    expect(registry.calls()).toEqual([
      'HEAD gcr.io/v2/distroless/static-debian13/manifests/nonroot anonymous',
      'GET gcr.io/v2/token?service=gcr.io&scope=repository%3Adistroless%2Fstatic-debian13%3Apull anonymous',
      'HEAD gcr.io/v2/distroless/static-debian13/manifests/nonroot Bearer',
      'HEAD gcr.io/v2/distroless/static-debian13/manifests/nonroot Bearer',
      'HEAD gcr.io/v2/distroless/nodejs22-debian13/manifests/nonroot anonymous',
      'GET gcr.io/v2/token?service=gcr.io&scope=repository%3Adistroless%2Fnodejs22-debian13%3Apull anonymous',
      'HEAD gcr.io/v2/distroless/nodejs22-debian13/manifests/nonroot Bearer',
    ]);
  });

  it('resolves a single-platform tag (an OCI manifest) to the manifest digest', async () => {
    const hub = dockerHub();
    const digest = hub.push('docker/dockerfile', '1', OCI_MANIFEST);
    server.use(...hub.handlers());
    await expect(client().resolveDigest('docker/dockerfile:1')).resolves.toBe(
      digest,
    );
  });

  it('computes the digest from the manifest bytes when HEAD carries no Docker-Content-Digest', async () => {
    const registry = new FakeRegistry({
      url: 'https://quay.io',
      auth: 'none',
      omitDigestOnHead: true,
    });
    const digest = registry.push('org/app', '1.0');
    server.use(...registry.handlers());
    await expect(client().resolveDigest('quay.io/org/app:1.0')).resolves.toBe(
      digest,
    );
    expect(registry.calls()).toEqual([
      'HEAD quay.io/v2/org/app/manifests/1.0 anonymous',
      'GET quay.io/v2/org/app/manifests/1.0 anonymous',
    ]);
  });

  it('an unknown tag is a NotFoundError naming the image and where it was looked up', async () => {
    const hub = dockerHub();
    hub.push('library/golang', '1.26.8-trixie');
    server.use(...hub.handlers());
    const error = await failure(client().resolveDigest('golang:1.99-trixie'));
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      'golang:1.99-trixie (https://registry-1.docker.io/v2/library/golang/manifests/1.99-trixie): no such image or tag on docker.io (404)',
    );
  });

  it('retries 5xx and 429, then succeeds', async () => {
    const registry = gcr();
    const digest = registry.push('distroless/static-debian13', 'nonroot');
    registry.failures.push(503, 429);
    server.use(...registry.handlers());
    await expect(
      client().resolveDigest('gcr.io/distroless/static-debian13:nonroot'),
    ).resolves.toBe(digest);
    expect(registry.calls().slice(0, 3)).toEqual([
      'HEAD gcr.io/v2/distroless/static-debian13/manifests/nonroot anonymous',
      'HEAD gcr.io/v2/distroless/static-debian13/manifests/nonroot anonymous',
      'HEAD gcr.io/v2/distroless/static-debian13/manifests/nonroot anonymous',
    ]);
  });

  it('a registry answering 5xx every time is a ServiceUnavailableError naming the image', async () => {
    const registry = gcr();
    registry.failures.push(502, 502, 502);
    server.use(...registry.handlers());
    const error = await failure(
      client().resolveDigest('gcr.io/distroless/static-debian13:nonroot'),
    );
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe(
      'gcr.io/distroless/static-debian13:nonroot (https://gcr.io/v2/distroless/static-debian13/manifests/nonroot): gcr.io answered 502 (3 attempts)',
    );
  });

  it('an unreachable registry is a ServiceUnavailableError naming the image', async () => {
    const error = await failure(
      new RegistryClient({
        registries: [],
        sleep: async () => undefined,
        fetch: async () => {
          throw Object.assign(new TypeError('fetch failed'), {
            cause: { code: 'ENOTFOUND' },
          });
        },
      }).resolveDigest('registry.invalid/app:1'),
    );
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe(
      'registry.invalid/app:1 (https://registry.invalid/v2/app/manifests/1): registry.invalid is unreachable (ENOTFOUND) (3 attempts)',
    );
  });

  it('reads Docker Hub images through a configured pull-through cache with credentials, never echoing them', async () => {
    const mirror = new FakeRegistry({
      url: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      auth: 'bearer',
      realm: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/token',
      service: 'ecr',
      credentials: { username: 'AWS', password: SECRET },
    });
    const digest = mirror.push('docker-hub/library/node', '22');
    server.use(...mirror.handlers());
    const registries = [
      {
        host: 'docker.io',
        url: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/',
        repositoryPrefix: '/docker-hub/',
        username: 'AWS',
        password: SECRET,
      },
    ];

    await expect(client(registries).resolveDigest('node:22')).resolves.toBe(
      digest,
    );
    expect(mirror.calls()).toEqual([
      'HEAD 123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/docker-hub/library/node/manifests/22 anonymous',
      'GET 123456789012.dkr.ecr.eu-west-1.amazonaws.com/token?service=ecr&scope=repository%3Adocker-hub%2Flibrary%2Fnode%3Apull Basic',
      'HEAD 123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/docker-hub/library/node/manifests/22 Bearer',
    ]);

    const error = await failure(client(registries).resolveDigest('node:99'));
    expect(error.message).toBe(
      'node:99 (https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/docker-hub/library/node/manifests/99): no such image or tag on docker.io (404)',
    );
    const refused = await failure(
      client([{ ...registries[0], password: 'wrong' }]).resolveDigest(
        'node:22',
      ),
    );
    expect(refused.name).toBe('AuthenticationError');
    expect(refused.message).toBe(
      'node:22 (https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/docker-hub/library/node/manifests/22): token service https://123456789012.dkr.ecr.eu-west-1.amazonaws.com answered 401',
    );
    expect(refused.message).not.toContain('wrong');
  });

  it('answers a Basic challenge with the configured credentials, and without them says what to configure', async () => {
    const registry = new FakeRegistry({
      url: 'https://registry.example.com',
      auth: 'basic',
      credentials: { username: 'ci', password: SECRET },
    });
    const digest = registry.push('team/base', '1');
    server.use(...registry.handlers());

    await expect(
      client([
        { host: 'registry.example.com', username: 'ci', password: SECRET },
      ]).resolveDigest('registry.example.com/team/base:1'),
    ).resolves.toBe(digest);
    expect(registry.calls()).toEqual([
      'HEAD registry.example.com/v2/team/base/manifests/1 anonymous',
      'HEAD registry.example.com/v2/team/base/manifests/1 Basic',
    ]);

    const error = await failure(
      client().resolveDigest('registry.example.com/team/base:1'),
    );
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toBe(
      'registry.example.com/team/base:1 (https://registry.example.com/v2/team/base/manifests/1): registry.example.com asks for credentials (basic); configure them under runway.registries',
    );
  });

  it('refuses a plain-http token realm unless the registry is configured insecure', async () => {
    const registry = new FakeRegistry({
      url: 'https://registry.example.com',
      auth: 'bearer',
      realm: 'http://auth.example.com/token',
      service: 'x',
    });
    registry.push('app', '1');
    server.use(...registry.handlers());
    const error = await failure(
      client().resolveDigest('registry.example.com/app:1'),
    );
    expect(error.message).toBe(
      "registry.example.com/app:1 (https://registry.example.com/v2/app/manifests/1): registry.example.com's token realm http://auth.example.com is not https (plain http needs insecure: true in runway.registries)",
    );
    // No request went to the plain-http realm.
    expect(registry.calls()).toEqual([
      'HEAD registry.example.com/v2/app/manifests/1 anonymous',
    ]);
  });
});

describe('parseChallenge', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/node:pull',
        },
      },
    ],
    [
      'Bearer realm="https://r.example/token", scope="repository:a/b:pull,push"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://r.example/token',
          scope: 'repository:a/b:pull,push',
        },
      },
    ],
    [
      'Basic realm="Registry Realm"',
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
    ],
    ['', undefined],
  ])('%j', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });
});

describe('readRegistries', () => {
  const read = (registries: JsonObject[]) =>
    readRegistries(new ConfigReader({ runway: { registries } }));

  it('normalizes hosts, URLs and prefixes; http only with insecure', () => {
    expect(
      read([
        { host: 'index.docker.io', url: 'https://mirror.example.com/' },
        { host: 'localhost:5000', insecure: true },
        {
          host: 'ghcr.io',
          repositoryPrefix: 'ghcr/',
          username: 'bot',
          password: SECRET,
        },
      ]),
    ).toEqual([
      { host: 'docker.io', url: 'https://mirror.example.com', insecure: false },
      { host: 'localhost:5000', url: 'http://localhost:5000', insecure: true },
      {
        host: 'ghcr.io',
        url: 'https://ghcr.io',
        repositoryPrefix: 'ghcr',
        insecure: false,
        credentials: { username: 'bot', password: SECRET },
      },
    ]);
  });

  it.each([
    [
      { host: 'Not A Host' },
      "runway.registries[0].host: 'not a host' is not a registry host (host or host:port, as image references name it)",
    ],
    [
      { host: 'r.example', url: 'http://r.example' },
      'runway.registries[0].url: plain http is only allowed with insecure: true (a local or test registry)',
    ],
    [
      { host: 'r.example', url: 'ftp://r.example' },
      'runway.registries[0].url: must be an https:// (or http://) URL',
    ],
    [
      { host: 'r.example', url: 'not a url' },
      "runway.registries[0].url: 'not a url' is not a URL",
    ],
    [
      { host: 'r.example', url: `https://u:${SECRET}@r.example` },
      'runway.registries[0].url: must have no credentials, query or fragment (credentials go in username and password)',
    ],
    [
      { host: 'r.example', username: 'u' },
      'runway.registries[0]: give both username and password, or neither',
    ],
  ])('refuses %j', (entry, message) => {
    expect(() => read([entry])).toThrow(new Error(message));
  });

  it('refuses a registry listed twice (Docker Hub aliases are one registry)', () => {
    expect(() =>
      read([{ host: 'docker.io' }, { host: 'registry-1.docker.io' }]),
    ).toThrow(
      new Error('runway.registries[1].host: docker.io is listed twice'),
    );
  });
});
