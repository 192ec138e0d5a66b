import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { getOctokitOptions } from '@backstage/plugin-scaffolder-backend-module-github';
import { createOctokit, GitHubRepository } from '@runway/plugin-argocd-node';

/**
 * An Octokit for a GitHub repository with the credentials of `integrations.github` (token
 * or GitHub App), as the GitHub scaffolder actions get theirs; `field` names the setting
 * that pointed at the repository, for the error when its host has no integration.
 */
export async function octokitForRepository(options: {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  repository: GitHubRepository;
  field: string;
  logger: LoggerService;
}): Promise<ReturnType<typeof createOctokit>> {
  const { host, owner, repo } = options.repository;
  if (!options.integrations.github.byHost(host)) {
    throw new InputError(
      `${options.field} is on ${host}, which has no integrations.github entry in app-config: add one with a token or a GitHub App`,
    );
  }
  const octokitOptions = await getOctokitOptions({
    integrations: options.integrations,
    credentialsProvider: options.credentialsProvider,
    host,
    owner,
    repo,
  });
  return createOctokit({
    token: String(octokitOptions.auth),
    baseUrl: octokitOptions.baseUrl,
    logger: options.logger,
  });
}
