import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  applicationUrl,
  ArgoCdClient,
  DEFAULT_BACKOFF,
  isRetryableStatus,
} from './ArgoCdClient';
import { ArgoCdInstance } from './types';
import { buildApplications, buildAppProject } from './__testUtils__/build';

const TOKEN = 'argocd-token-s3cr3t';
const BASE = 'https://argocd.example.com';

const instance: ArgoCdInstance = {
  name: 'main',
  url: BASE,
  timeoutMs: 1000,
  maxAttempts: 3,
  hasToken: true,
};

const [application] = buildApplications({
  appName: 'orders-api',
  repoUrl: 'https://github.com/example-org/orders-api.git',
  environments: [{ name: 'staging' }],
});
const project = buildAppProject({
  appName: 'orders-api',
  project: 'orders',
  repoUrl: 'https://github.com/example-org/orders-api.git',
});

describe('ArgoCdClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  let requests: Request[];
  let sleep: jest.Mock<Promise<void>, [number]>;

  beforeEach(() => {
    requests = [];
    sleep = jest.fn(async (_ms: number) => {});
  });

  function client(overrides: Partial<ArgoCdInstance> = {}) {
    return new ArgoCdClient({
      instance: { ...instance, ...overrides },
      token: TOKEN,
      sleep,
    });
  }

  /** Answers every request with the given responses in turn (the last one repeats). */
  function answer(...responses: Array<() => Response | Promise<Response>>) {
    server.use(
      http.all(`${BASE}/*`, async ({ request }) => {
        requests.push(request.clone());
        const next = responses[Math.min(requests.length, responses.length) - 1];
        return next();
      }),
    );
  }

  describe('requests', () => {
    it('reads an Application with the bearer token, scoped to its project', async () => {
      answer(() => HttpResponse.json(application));
      await expect(
        client().getApplication('orders-api-staging', { project: 'default' }),
      ).resolves.toEqual(application);
      expect(requests).toHaveLength(1);
      expect(requests[0].method).toBe('GET');
      expect(requests[0].url).toBe(
        `${BASE}/api/v1/applications/orders-api-staging?project=default`,
      );
      expect(requests[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      expect(requests[0].headers.get('accept')).toBe('application/json');
    });

    it('answers undefined for a missing Application or AppProject', async () => {
      answer(() =>
        HttpResponse.json(
          {
            error: 'not found',
            code: 5,
            message: 'applications.argoproj.io "x" not found',
          },
          { status: 404 },
        ),
      );
      await expect(client().getApplication('x')).resolves.toBeUndefined();
      await expect(client().getProject('x')).resolves.toBeUndefined();
      expect(requests.map(r => new URL(r.url).pathname)).toEqual([
        '/api/v1/applications/x',
        '/api/v1/projects/x',
      ]);
    });

    it('creates an Application by POSTing it', async () => {
      answer(() => HttpResponse.json(application));
      await client().createApplication(application);
      expect(requests[0].method).toBe('POST');
      expect(requests[0].url).toBe(`${BASE}/api/v1/applications`);
      expect(requests[0].headers.get('content-type')).toBe('application/json');
      expect(requests[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      await expect(requests[0].json()).resolves.toEqual(application);
    });

    it('passes upsert and validate as query parameters', async () => {
      answer(() => HttpResponse.json(application));
      await client().createApplication(application, {
        upsert: true,
        validate: false,
      });
      expect(requests[0].url).toBe(
        `${BASE}/api/v1/applications?upsert=true&validate=false`,
      );
    });

    it('updates an Application by PUTting it under its name', async () => {
      answer(() => HttpResponse.json(application));
      await client().updateApplication(application, { project: 'default' });
      expect(requests[0].method).toBe('PUT');
      expect(requests[0].url).toBe(
        `${BASE}/api/v1/applications/orders-api-staging?project=default`,
      );
      await expect(requests[0].json()).resolves.toEqual(application);
    });

    it('creates an AppProject by POSTing a ProjectCreateRequest', async () => {
      answer(() => HttpResponse.json(project));
      await expect(client().createProject(project)).resolves.toEqual(project);
      expect(requests[0].method).toBe('POST');
      expect(requests[0].url).toBe(`${BASE}/api/v1/projects`);
      await expect(requests[0].json()).resolves.toEqual({
        project,
        upsert: false,
      });
    });

    it('escapes names in paths', async () => {
      answer(() => HttpResponse.json(application));
      await client().getApplication('a/b?c');
      expect(requests[0].url).toBe(`${BASE}/api/v1/applications/a%2Fb%3Fc`);
    });

    it('links to the Application in the Argo CD UI', () => {
      expect(client().applicationUrl('orders-api-staging')).toBe(
        `${BASE}/applications/orders-api-staging`,
      );
      expect(applicationUrl({ url: BASE }, 'a b/c')).toBe(
        `${BASE}/applications/a%20b%2Fc`,
      );
    });
  });

  describe('errors', () => {
    it.each([
      [
        401,
        {
          error: 'invalid session',
          code: 16,
          message: 'invalid session: token is expired',
        },
        AuthenticationError,
        "Argo CD instance 'main' rejected the token when trying to create Application 'orders-api-staging' (401 Unauthorized): invalid session: token is expired. Check that argocd.instances[].token of 'main' is a valid, unexpired API token of an account with the apiKey capability",
      ],
      [
        403,
        { error: 'permission denied', code: 7, message: 'permission denied' },
        NotAllowedError,
        "Argo CD instance 'main' denied the request to create Application 'orders-api-staging' (403 Forbidden): permission denied. Grant the account whose token is configured for 'main' the RBAC permission 'applications, create, default/orders-api-staging' (argocd-rbac-cm)",
      ],
      [
        404,
        '404 page not found',
        NotFoundError,
        "Argo CD instance 'main' could not create Application 'orders-api-staging' (404 Not Found): 404 page not found. Check argocd.instances[].url of 'main' points at the Argo CD server",
      ],
      [
        400,
        {
          code: 3,
          message:
            'existing application spec is different, use upsert flag to force update',
        },
        ConflictError,
        "Argo CD instance 'main' could not create Application 'orders-api-staging': an Application of that name already exists with a different spec, possibly in another AppProject; nothing was changed. Set upsert: true to overwrite it, or choose another appName",
      ],
      [
        400,
        {
          code: 3,
          message:
            'error while validating and normalizing app: app is not allowed in project "orders", or the project does not exist',
        },
        InputError,
        /refused to create Application 'orders-api-staging': error while validating .*\. The AppProject must exist and permit the app's source repository and destinations: add them to the project, or set createProject: true/,
      ],
      [
        400,
        {
          code: 3,
          message:
            'application destination spec for orders-api-staging is invalid',
        },
        InputError,
        "Argo CD instance 'main' refused to create Application 'orders-api-staging' (400): application destination spec for orders-api-staging is invalid",
      ],
      [
        409,
        { code: 6, message: 'the object has been modified' },
        ConflictError,
        "Argo CD instance 'main' could not create Application 'orders-api-staging' (409 Conflict): the object has been modified",
      ],
    ])('maps %i %j', async (status, body, type, message) => {
      answer(() =>
        typeof body === 'string'
          ? new HttpResponse(body, { status })
          : HttpResponse.json(body, { status }),
      );
      const result = client().createApplication(application);
      await expect(result).rejects.toThrow(type);
      await expect(result).rejects.toThrow(message);
      expect(requests).toHaveLength(1);
      expect(sleep).not.toHaveBeenCalled();
    });

    it('never puts the token in an error, even when the server echoes it', async () => {
      answer(() =>
        HttpResponse.json(
          { message: `token ${TOKEN} is not valid` },
          { status: 401 },
        ),
      );
      const error = await client()
        .getApplication('x')
        .catch((e: Error) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as Error).message).toContain(
        'token <redacted> is not valid',
      );
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect((error as Error).message).not.toContain(TOKEN);
    });
  });

  describe('retries', () => {
    it('retries 503 with exponential backoff, then succeeds', async () => {
      answer(
        () => HttpResponse.json({ message: 'upstream down' }, { status: 503 }),
        () => new HttpResponse(null, { status: 502 }),
        () => HttpResponse.json(application),
      );
      await expect(client().createApplication(application)).resolves.toEqual(
        application,
      );
      expect(requests).toHaveLength(3);
      expect(sleep.mock.calls).toEqual([[500], [1000]]);
      // Every attempt sends the same request.
      for (const request of requests) {
        expect(request.method).toBe('POST');
        expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      }
    });

    it('retries 429 and network failures', async () => {
      answer(
        () => new HttpResponse(null, { status: 429 }),
        () => HttpResponse.error(),
        () => HttpResponse.json(application),
      );
      await expect(
        client().getApplication('orders-api-staging'),
      ).resolves.toEqual(application);
      expect(requests).toHaveLength(3);
    });

    it('gives up after maxAttempts with an error naming the instance, the request and the attempts', async () => {
      answer(() =>
        HttpResponse.json({ message: 'etcd unavailable' }, { status: 500 }),
      );
      const result = client().createApplication(application);
      await expect(result).rejects.toThrow(ServiceUnavailableError);
      await expect(result).rejects.toThrow(
        "Argo CD instance 'main' (https://argocd.example.com) could not create Application 'orders-api-staging': POST /api/v1/applications answered 500 (etcd unavailable) on each of 3 attempts. Check that Argo CD is up and reachable from the Backstage backend, or raise argocd.instances[].timeoutSeconds / maxAttempts",
      );
      expect(requests).toHaveLength(3);
      expect(sleep).toHaveBeenCalledTimes(2);
    });

    it('times out each attempt and gives up after maxAttempts', async () => {
      answer(async () => {
        await delay(300);
        return HttpResponse.json(application);
      });
      const result = client({ timeoutMs: 30, maxAttempts: 2 }).getApplication(
        'orders-api-staging',
      );
      await expect(result).rejects.toThrow(ServiceUnavailableError);
      await expect(result).rejects.toThrow(
        /GET \/api\/v1\/applications\/orders-api-staging timed out after 30 ms on each of 2 attempts/,
      );
      expect(requests).toHaveLength(2);
      expect(sleep.mock.calls).toEqual([[500]]);
    });

    it('recovers when a later attempt answers in time', async () => {
      answer(
        async () => {
          await delay(300);
          return HttpResponse.json({});
        },
        () => HttpResponse.json(application),
      );
      await expect(
        client({ timeoutMs: 30 }).getApplication('orders-api-staging'),
      ).resolves.toEqual(application);
      expect(requests).toHaveLength(2);
    });

    it('stops at once when the caller aborts', async () => {
      answer(async () => {
        await delay(300);
        return HttpResponse.json(application);
      });
      const controller = new AbortController();
      const result = client().getApplication('x', {
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 10);
      await expect(result).rejects.toMatchObject({
        name: 'AbortError',
        message: 'This operation was aborted',
      });
      expect(requests).toHaveLength(1);
      expect(sleep).not.toHaveBeenCalled();
    });

    it('uses an injected backoff', async () => {
      answer(
        () => new HttpResponse(null, { status: 503 }),
        () => HttpResponse.json(application),
      );
      const backoff = jest.fn((retry: number) => retry * 7);
      await new ArgoCdClient({
        instance,
        token: TOKEN,
        sleep,
        backoff,
      }).getApplication('x');
      expect(backoff).toHaveBeenCalledWith(1);
      expect(sleep).toHaveBeenCalledWith(7);
    });
  });
});

describe('the default backoff', () => {
  it.each([
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 4000],
    [5, 8000],
    [6, 8000],
    [20, 8000],
  ])('retry %i waits %i ms', (retry, ms) => {
    expect(DEFAULT_BACKOFF(retry)).toBe(ms);
  });
});

describe('isRetryableStatus', () => {
  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
  ])('%i → %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});
