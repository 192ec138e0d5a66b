import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { dns1123Label, parseValue } from '@runway/plugin-runway-common';
import { ArgoCdClient, ArgoCdClientOptions } from './ArgoCdClient';
import { GitHubRepository, parseGitHubRepository } from './repoUrl';
import { checkPathPattern } from './paths';
import { ArgoCdInstance } from './types';
import { gitToken } from './validation';

/** @public */
export const DEFAULT_TIMEOUT_SECONDS = 20;
/** @public */
export const DEFAULT_MAX_ATTEMPTS = 4;

type InstanceEntry = { instance: ArgoCdInstance; token?: string };

function readInstance(config: Config, index: number): InstanceEntry {
  const field = `argocd.instances[${index}]`;
  const name = config.getString('name');
  if (!name.trim()) {
    throw new InputError(`${field}.name must not be empty`);
  }
  const rawUrl = config.getString('url');
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new InputError(
      `${field}.url '${rawUrl}' of Argo CD instance '${name}' is not a URL; use e.g. https://argocd.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      `${field}.url of Argo CD instance '${name}' must be an http(s) URL`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      `${field}.url of Argo CD instance '${name}' must not contain credentials; set ${field}.token`,
    );
  }
  const timeoutSeconds =
    config.getOptionalNumber('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS;
  if (!(timeoutSeconds > 0)) {
    throw new InputError(`${field}.timeoutSeconds must be greater than 0`);
  }
  const maxAttempts =
    config.getOptionalNumber('maxAttempts') ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InputError(
      `${field}.maxAttempts must be an integer of at least 1`,
    );
  }
  const token = config.getOptionalString('token') || undefined;
  return {
    instance: {
      name,
      url: rawUrl.replace(/\/+$/, ''),
      timeoutMs: timeoutSeconds * 1000,
      maxAttempts,
      hasToken: token !== undefined,
    },
    token,
  };
}

/**
 * The Argo CD instances of the `argocd.instances` config. Tokens stay inside: `list` and
 * `get` return instances without them and only `client` uses them.
 *
 * @public
 */
export class ArgoCdInstances {
  readonly #entries: InstanceEntry[];

  static fromConfig(config: Config): ArgoCdInstances {
    const entries = (
      config.getOptionalConfigArray('argocd.instances') ?? []
    ).map(readInstance);
    const seen = new Set<string>();
    for (const { instance } of entries) {
      if (seen.has(instance.name)) {
        throw new InputError(
          `argocd.instances: instance name '${instance.name}' is configured twice; names must be unique`,
        );
      }
      seen.add(instance.name);
    }
    return new ArgoCdInstances(entries);
  }

  private constructor(entries: InstanceEntry[]) {
    this.#entries = entries;
  }

  /** Every configured instance, in config order. */
  list(): ArgoCdInstance[] {
    return this.#entries.map(({ instance }) => ({ ...instance }));
  }

  #entry(name?: string): InstanceEntry {
    if (this.#entries.length === 0) {
      throw new InputError(
        'No Argo CD instance is configured: add one under argocd.instances (name, url, token) in app-config',
      );
    }
    if (name === undefined) return this.#entries[0];
    const entry = this.#entries.find(e => e.instance.name === name);
    if (!entry) {
      const names = this.#entries.map(e => `'${e.instance.name}'`).join(', ');
      throw new InputError(
        `instance '${name}' is not a configured Argo CD instance; configured: ${names}`,
      );
    }
    return entry;
  }

  /** The named instance, or the first configured one when no name is given. */
  get(name?: string): ArgoCdInstance {
    return { ...this.#entry(name).instance };
  }

  /** A REST client for the named (or first) instance, authenticated with its token. */
  client(
    name?: string,
    options?: Omit<ArgoCdClientOptions, 'instance' | 'token'>,
  ): ArgoCdClient {
    const { instance, token } = this.#entry(name);
    if (!token) {
      const index = this.#entries.findIndex(
        e => e.instance.name === instance.name,
      );
      throw new InputError(
        `Argo CD instance '${instance.name}' has no token: set argocd.instances[${index}].token to an API token of an Argo CD account (or use mode 'gitops')`,
      );
    }
    return new ArgoCdClient({ ...options, instance, token });
  }
}

/**
 * The GitOps repository Applications are committed to in `gitops` mode.
 *
 * @public
 */
export type GitOpsConfig = {
  repository: GitHubRepository;
  /** Branch pull requests target. */
  baseBranch: string;
  /** Where each Application goes; see `renderPath`. */
  pathPattern: string;
  /** Where an AppProject goes when `createProject` is set. */
  projectPathPattern: string;
  /** `metadata.namespace` of the committed manifests: Argo CD's control-plane namespace. */
  applicationNamespace: string;
};

/** @public */
export const DEFAULT_GITOPS_PATH_PATTERN = 'apps/{environment}/{appName}.yaml';
/** @public */
export const DEFAULT_GITOPS_PROJECT_PATH_PATTERN = 'projects/{project}.yaml';

/**
 * `argocd.gitops`, or undefined when it is not configured.
 *
 * @public
 */
export function readGitOpsConfig(config: Config): GitOpsConfig | undefined {
  const gitops = config.getOptionalConfig('argocd.gitops');
  if (!gitops) return undefined;
  const repository = parseGitHubRepository(
    'argocd.gitops.repoUrl',
    gitops.getString('repoUrl'),
  );
  const baseBranch = parseValue(
    'argocd.gitops.baseBranch',
    gitToken(),
    gitops.getOptionalString('baseBranch') ?? 'main',
  );
  const pathPattern =
    gitops.getOptionalString('pathPattern') ?? DEFAULT_GITOPS_PATH_PATTERN;
  checkPathPattern('argocd.gitops.pathPattern', pathPattern, [
    '{environment}',
    '{applicationName}',
  ]);
  const projectPathPattern =
    gitops.getOptionalString('projectPathPattern') ??
    DEFAULT_GITOPS_PROJECT_PATH_PATTERN;
  checkPathPattern('argocd.gitops.projectPathPattern', projectPathPattern, [
    '{project}',
  ]);
  const applicationNamespace = parseValue(
    'argocd.gitops.applicationNamespace',
    dns1123Label(),
    gitops.getOptionalString('applicationNamespace') ?? 'argocd',
  );
  return {
    repository,
    baseBranch,
    pathPattern,
    projectPathPattern,
    applicationNamespace,
  };
}
