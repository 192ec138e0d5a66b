import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { exponentialBackoff } from '@runway/plugin-runway-common';
import { Application, AppProject, ArgoCdInstance } from './types';

/** Delay before retry `retry` (1 for the first retry): 0.5 s, 1 s, 2 s, … capped at 8 s. */
export const DEFAULT_BACKOFF = exponentialBackoff({
  initialMs: 500,
  maxMs: 8000,
});

/** Whether an HTTP status is worth retrying: too many requests and server-side failures. */
/**
 * An Application's page in the Argo CD UI of `instance` (also where a dry run without a
 * client says it would be). Pure.
 *
 * @public
 */
export function applicationUrl(
  instance: Pick<ArgoCdInstance, 'url'>,
  name: string,
): string {
  return `${instance.url}/applications/${encodeURIComponent(name)}`;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** @public */
export type ArgoCdClientOptions = {
  instance: ArgoCdInstance;
  /** Bearer token of an Argo CD account (never logged nor put in errors). */
  token: string;
  /** Defaults to the global fetch, looked up per request. */
  fetch?: typeof fetch;
  /** Waits between attempts; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Delay before each retry (1 for the first retry); default 0.5 s, 1 s, 2 s, … capped at 8 s. */
  backoff?: (retry: number) => number;
  logger?: LoggerService;
};

type Operation = {
  /** What is being done, e.g. `create Application 'orders-staging'`. */
  what: string;
  /** The RBAC permission it needs: `<resource>, <action>, <object>`. */
  rbac: string;
};

type RequestOptions = {
  query?: Record<string, string | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Answer undefined instead of throwing on 404. */
  notFoundAsUndefined?: boolean;
};

const sleepFor = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Argo CD's REST API (`/api/v1`) for one instance: Applications and AppProjects. Requests
 * carry the instance's token as a bearer token, time out after the instance's timeout and
 * are retried with exponential backoff on timeouts, network failures, 429 and 5xx (every
 * call it makes is idempotent on the server: creating an Application or AppProject that
 * exists with the same spec returns it). Other failures become errors from
 * `@backstage/errors` that name the instance and what to fix.
 *
 * @public
 */
export class ArgoCdClient {
  readonly #token: string;
  readonly #options: Omit<ArgoCdClientOptions, 'token'>;

  constructor(options: ArgoCdClientOptions) {
    const { token, ...rest } = options;
    this.#token = token;
    this.#options = rest;
  }

  /** The instance this client talks to (without its token). */
  get instance(): ArgoCdInstance {
    return this.#options.instance;
  }

  /** The Argo CD UI page of an Application. */
  applicationUrl(name: string): string {
    return applicationUrl(this.instance, name);
  }

  /**
   * The Application, or undefined when it does not exist. With `project`, Argo CD answers
   * 404 for a missing app (without it, 403, so as not to reveal which apps exist).
   */
  async getApplication(
    name: string,
    options: { project?: string; signal?: AbortSignal } = {},
  ): Promise<Application | undefined> {
    return this.#request<Application>(
      'GET',
      `/api/v1/applications/${encodeURIComponent(name)}`,
      {
        what: `read Application '${name}'`,
        rbac: `applications, get, ${options.project ?? '<project>'}/${name}`,
      },
      {
        query: { project: options.project },
        signal: options.signal,
        notFoundAsUndefined: true,
      },
    );
  }

  /**
   * Creates an Application. Argo CD returns the existing one when it has the same spec and
   * refuses a different one unless `upsert` is set.
   */
  async createApplication(
    application: Application,
    options: {
      upsert?: boolean;
      validate?: boolean;
      signal?: AbortSignal;
    } = {},
  ): Promise<Application> {
    const { name } = application.metadata;
    return (await this.#request<Application>(
      'POST',
      '/api/v1/applications',
      {
        what: `create Application '${name}'`,
        rbac: `applications, create, ${application.spec.project}/${name}`,
      },
      {
        query: { upsert: options.upsert, validate: options.validate },
        body: application,
        signal: options.signal,
      },
    ))!;
  }

  /** Replaces an Application's spec, labels, annotations and finalizers. */
  async updateApplication(
    application: Application,
    options: {
      project?: string;
      validate?: boolean;
      signal?: AbortSignal;
    } = {},
  ): Promise<Application> {
    const { name } = application.metadata;
    return (await this.#request<Application>(
      'PUT',
      `/api/v1/applications/${encodeURIComponent(name)}`,
      {
        what: `update Application '${name}'`,
        rbac: `applications, update, ${application.spec.project}/${name}`,
      },
      {
        query: { project: options.project, validate: options.validate },
        body: application,
        signal: options.signal,
      },
    ))!;
  }

  /** The AppProject, or undefined when it does not exist. */
  async getProject(
    name: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AppProject | undefined> {
    return this.#request<AppProject>(
      'GET',
      `/api/v1/projects/${encodeURIComponent(name)}`,
      { what: `read AppProject '${name}'`, rbac: `projects, get, ${name}` },
      { signal: options.signal, notFoundAsUndefined: true },
    );
  }

  /** Creates an AppProject (returns the existing one when it has the same spec). */
  async createProject(
    project: AppProject,
    options: { upsert?: boolean; signal?: AbortSignal } = {},
  ): Promise<AppProject> {
    const { name } = project.metadata;
    return (await this.#request<AppProject>(
      'POST',
      '/api/v1/projects',
      {
        what: `create AppProject '${name}'`,
        rbac: `projects, create, ${name}`,
      },
      {
        body: { project, upsert: options.upsert ?? false },
        signal: options.signal,
      },
    ))!;
  }

  async #request<T>(
    method: string,
    path: string,
    operation: Operation,
    options: RequestOptions,
  ): Promise<T | undefined> {
    const { instance, logger } = this.#options;
    const fetchImpl = this.#options.fetch ?? globalThis.fetch;
    const sleep = this.#options.sleep ?? sleepFor;
    const backoff = this.#options.backoff ?? DEFAULT_BACKOFF;

    const url = new URL(`${instance.url}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.#token}`,
    };
    if (options.body !== undefined)
      headers['Content-Type'] = 'application/json';

    let lastProblem = '';
    for (let attempt = 1; attempt <= instance.maxAttempts; attempt++) {
      if (attempt > 1) {
        const delay = backoff(attempt - 1);
        logger?.warn(
          `Argo CD instance '${instance.name}': ${operation.what} ${lastProblem}; retrying in ${delay} ms (attempt ${attempt} of ${instance.maxAttempts})`,
        );
        await sleep(delay);
      }
      options.signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(instance.timeoutMs);
      const signal = options.signal
        ? AbortSignal.any([options.signal, timeout])
        : timeout;

      let status: number;
      let text: string;
      try {
        const response = await fetchImpl(url, {
          method,
          headers,
          body:
            options.body === undefined
              ? undefined
              : JSON.stringify(options.body),
          signal,
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        if (options.signal?.aborted) throw error;
        lastProblem = timeout.aborted
          ? `timed out after ${instance.timeoutMs} ms`
          : `failed: ${this.#redact(
              String((error as Error)?.message ?? error),
            )}`;
        continue;
      }

      if (status >= 200 && status < 300) {
        return (text ? JSON.parse(text) : undefined) as T;
      }
      if (status === 404 && options.notFoundAsUndefined) return undefined;
      const message = this.#serverMessage(text);
      if (isRetryableStatus(status)) {
        lastProblem = `answered ${status}${message ? ` (${message})` : ''}`;
        continue;
      }
      throw this.#error(status, message, operation);
    }
    throw new ServiceUnavailableError(
      `Argo CD instance '${instance.name}' (${instance.url}) could not ${operation.what}: ${method} ${path} ${lastProblem} on each of ${instance.maxAttempts} attempts. Check that Argo CD is up and reachable from the Backstage backend, or raise argocd.instances[].timeoutSeconds / maxAttempts`,
    );
  }

  /** The `message` (or `error`) of Argo CD's gRPC-gateway error body, else the text; redacted, shortened. */
  #serverMessage(text: string): string {
    let message = text;
    try {
      const body = JSON.parse(text);
      if (body && typeof body === 'object') {
        message = String(body.message || body.error || '');
      }
    } catch {
      // not JSON: use the text
    }
    message = this.#redact(message.trim());
    return message.length > 300 ? `${message.slice(0, 300)}…` : message;
  }

  #redact(text: string): string {
    return this.#token ? text.split(this.#token).join('<redacted>') : text;
  }

  #error(status: number, message: string, operation: Operation): Error {
    const { name } = this.instance;
    const said = message ? `: ${message}` : '';
    switch (status) {
      case 401:
        return new AuthenticationError(
          `Argo CD instance '${name}' rejected the token when trying to ${operation.what} (401 Unauthorized)${said}. Check that argocd.instances[].token of '${name}' is a valid, unexpired API token of an account with the apiKey capability`,
        );
      case 403:
        return new NotAllowedError(
          `Argo CD instance '${name}' denied the request to ${operation.what} (403 Forbidden)${said}. Grant the account whose token is configured for '${name}' the RBAC permission '${operation.rbac}' (argocd-rbac-cm)`,
        );
      case 404:
        return new NotFoundError(
          `Argo CD instance '${name}' could not ${operation.what} (404 Not Found)${said}. Check argocd.instances[].url of '${name}' points at the Argo CD server`,
        );
      case 409:
        return new ConflictError(
          `Argo CD instance '${name}' could not ${operation.what} (409 Conflict)${said}`,
        );
      default:
        break;
    }
    if (/existing application spec is different/i.test(message)) {
      return new ConflictError(
        `Argo CD instance '${name}' could not ${operation.what}: an Application of that name already exists with a different spec, possibly in another AppProject; nothing was changed. Set upsert: true to overwrite it, or choose another appName`,
      );
    }
    if (/project .*does not exist|not allowed in project/i.test(message)) {
      return new InputError(
        `Argo CD instance '${name}' refused to ${operation.what}${said}. The AppProject must exist and permit the app's source repository and destinations: add them to the project, or set createProject: true for a project made for this app`,
      );
    }
    if (status >= 400 && status < 500) {
      return new InputError(
        `Argo CD instance '${name}' refused to ${operation.what} (${status})${said}`,
      );
    }
    return new Error(
      `Argo CD instance '${name}' could not ${operation.what} (${status})${said}`,
    );
  }
}
