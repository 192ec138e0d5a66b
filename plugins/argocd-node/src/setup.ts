import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import type { Octokit } from '@octokit/rest';
import { ArgoCdInstances, GitOpsConfig, readGitOpsConfig } from './config';
import { createOctokit, GitOpsWriter } from './gitops';
import { GitHubRepository } from './repoUrl';

/**
 * What a backend that promotes or creates Applications reads from app-config once: the
 * Argo CD instances, the GitOps repository (if any) and the GitHub integrations with their
 * credentials (token or GitHub App).
 *
 * @public
 */
export type ArgoCdSetup = {
  instances: ArgoCdInstances;
  gitops?: GitOpsConfig;
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
};

/**
 * Reads {@link ArgoCdSetup} from app-config (`argocd`, `integrations.github`).
 *
 * @public
 */
export function readArgoCdSetup(options: {
  config: Config;
  integrations?: ScmIntegrationRegistry;
  githubCredentialsProvider?: GithubCredentialsProvider;
}): ArgoCdSetup {
  const integrations =
    options.integrations ?? ScmIntegrations.fromConfig(options.config);
  return {
    instances: ArgoCdInstances.fromConfig(options.config),
    gitops: readGitOpsConfig(options.config),
    integrations,
    credentialsProvider:
      options.githubCredentialsProvider ??
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
  };
}

/**
 * An Octokit for a GitHub repository with the credentials of `integrations.github` (token
 * or GitHub App); `field` names the setting that pointed at the repository, for the error
 * when its host has no integration.
 *
 * @public
 */
export async function octokitForRepository(options: {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  repository: GitHubRepository;
  field: string;
  logger?: LoggerService;
}): Promise<Octokit> {
  const { host, owner, repo } = options.repository;
  const integration = options.integrations.github.byHost(host);
  if (!integration) {
    throw new InputError(
      `${options.field} is on ${host}, which has no integrations.github entry in app-config: add one with a token or a GitHub App`,
    );
  }
  const { token } = await options.credentialsProvider.getCredentials({
    url: `https://${host}/${encodeURIComponent(owner)}/${encodeURIComponent(
      repo,
    )}`,
  });
  if (!token) {
    throw new InputError(
      `No token available for ${host}/${owner}/${repo}: give integrations.github (${host}) a token or a GitHub App installed on ${owner}`,
    );
  }
  return createOctokit({
    token,
    baseUrl: integration.config.apiBaseUrl,
    logger: options.logger,
  });
}

/**
 * The writer of pull requests to the GitOps repository, with the integration's credentials.
 *
 * @public
 */
export async function gitOpsWriterFor(
  setup: ArgoCdSetup,
  gitops: GitOpsConfig,
  logger?: LoggerService,
): Promise<GitOpsWriter> {
  return new GitOpsWriter({
    octokit: await octokitForRepository({
      integrations: setup.integrations,
      credentialsProvider: setup.credentialsProvider,
      repository: gitops.repository,
      field: 'argocd.gitops.repoUrl',
      logger,
    }),
    repository: gitops.repository,
    baseBranch: gitops.baseBranch,
    logger,
  });
}
