import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AuthenticationError, InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ApplicationsInput,
  ArgoCdClientOptions,
  ArgoCdInstances,
  buildApplications,
  buildAppProject,
  createOctokit,
  ensureApplication,
  ensureProject,
  GitOpsConfig,
  gitOpsBranchName,
  gitOpsFiles,
  GitHubRepository,
  GitOpsWriter,
  manifestToYaml,
  readGitOpsConfig,
  resolveApplicationsInput,
} from '@runway/plugin-argocd-node';
import { examples } from './createApp.examples';

export const ACTION_ID = 'argocd:app:create';

export type CreateArgoCdAppActionOptions = {
  /** Read for `argocd.instances` and `argocd.gitops` (and `integrations` unless given). */
  config: Config;
  /** GitHub integrations for the `gitops` mode. Default: from `config`. */
  integrations?: ScmIntegrationRegistry;
  /** GitHub credentials for the `gitops` mode. Default: from the integrations (token or GitHub App). */
  githubCredentialsProvider?: GithubCredentialsProvider;
  /** Argo CD client tuning (waits between retries, backoff); for tests. */
  clientOptions?: Pick<ArgoCdClientOptions, 'sleep' | 'backoff' | 'fetch'>;
};

/**
 * `argocd:app:create`: registers a service in Argo CD, one Application per environment,
 * through the Argo CD API (`api` mode) or a pull request to the GitOps repository (`gitops`
 * mode). Idempotent, retry-safe (each remote step is a checkpoint) and dry-runnable.
 */
export function createArgoCdAppCreateAction(
  options: CreateArgoCdAppActionOptions,
) {
  const { config } = options;
  const instances = ArgoCdInstances.fromConfig(config);
  const gitops = readGitOpsConfig(config);
  const integrations =
    options.integrations ?? ScmIntegrations.fromConfig(config);
  const githubCredentialsProvider =
    options.githubCredentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);

  /** An Octokit with the integrations.github credentials for the GitOps repository. */
  async function octokitFor(
    repository: GitHubRepository,
    logger: LoggerService,
  ) {
    const { host, owner, repo } = repository;
    const integration = integrations.github.byHost(host);
    if (!integration) {
      throw new InputError(
        `argocd.gitops.repoUrl is on ${host}, which has no integrations.github entry in app-config: add one with a token or a GitHub App`,
      );
    }
    const { token } = await githubCredentialsProvider.getCredentials({
      url: `https://${host}/${owner}/${repo}`,
    });
    if (!token) {
      throw new AuthenticationError(
        `No GitHub credentials for ${host}/${owner}/${repo}: configure a token or a GitHub App for ${host} under integrations.github`,
      );
    }
    return createOctokit({
      token,
      baseUrl: integration.config.apiBaseUrl,
      logger,
    });
  }

  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Registers a service in Argo CD: one Application per environment (named <appName>-<environment>, labelled backstage.io/kubernetes-id: <appName>), through the Argo CD API or a GitOps pull request. Idempotent and dry-runnable.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        appName: z =>
          z
            .string()
            .describe(
              'The service name: a DNS-1123 label of at most 53 characters. Names the Applications (<appName>-<environment>), the Helm release and the default namespace, and is the value of their backstage.io/kubernetes-id label.',
            ),
        instance: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of the Argo CD instance in argocd.instances of app-config. Default: the first configured instance.',
            ),
        project: z =>
          z
            .string()
            .optional()
            .describe(
              'The Argo CD AppProject of the Applications. It must exist unless createProject is true. Default: default.',
            ),
        createProject: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Create the AppProject when it does not exist (allowing the app's repository, its destinations and Namespace creation). An existing project is never changed. Default: false.",
            ),
        repoUrl: z =>
          z
            .string()
            .describe(
              "The Git repository with the chart: an https:// or ssh:// URL, scp-like git@host:owner/repo.git, or the scaffolder's host?owner=…&repo=… form. Argo CD reads it with its own repository credentials.",
            ),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              "The Helm chart's directory in the repository. Default: chart (where Runway's templates put it).",
            ),
        targetRevision: z =>
          z
            .string()
            .optional()
            .describe(
              'The branch, tag or commit Argo CD deploys. Default: HEAD.',
            ),
        environments: z =>
          z
            .array(
              z.object({
                name: z
                  .string()
                  .describe(
                    'Environment name, a DNS-1123 label; the Application is <appName>-<name>.',
                  ),
                namespace: z
                  .string()
                  .optional()
                  .describe('Target namespace. Default: appName.'),
                valueFiles: z
                  .array(z.string())
                  .optional()
                  .describe(
                    'Helm value files, relative to the chart. Default: [values-<name>.yaml].',
                  ),
                cluster: z
                  .string()
                  .optional()
                  .describe(
                    'Target cluster: its name in Argo CD, or its API server URL. Default: the cluster Argo CD runs in (https://kubernetes.default.svc).',
                  ),
              }),
            )
            .optional()
            .describe(
              'The environments to deploy to, one Application each. Default: staging and production.',
            ),
        syncPolicy: z =>
          z
            .object({
              automated: z
                .union([
                  z.literal(false),
                  z.object({
                    prune: z
                      .boolean()
                      .optional()
                      .describe(
                        'Delete resources no longer in Git. Default: true.',
                      ),
                    selfHeal: z
                      .boolean()
                      .optional()
                      .describe(
                        'Revert changes made in the cluster. Default: true.',
                      ),
                    allowEmpty: z
                      .boolean()
                      .optional()
                      .describe('Allow syncing to zero resources.'),
                  }),
                ])
                .optional()
                .describe(
                  'Automated sync, or false for manual syncs. Default: { prune: true, selfHeal: true }.',
                ),
              syncOptions: z
                .array(z.string())
                .optional()
                .describe(
                  'Argo CD sync options (Key=Value); a given list replaces the default [CreateNamespace=true].',
                ),
              retry: z
                .object({
                  limit: z
                    .number()
                    .int()
                    .optional()
                    .describe('Attempts of a failed sync; -1 for unlimited.'),
                  backoff: z
                    .object({
                      duration: z
                        .string()
                        .optional()
                        .describe('First wait, e.g. 5s.'),
                      factor: z
                        .number()
                        .int()
                        .optional()
                        .describe('Multiplier of each next wait.'),
                      maxDuration: z
                        .string()
                        .optional()
                        .describe('Longest wait, e.g. 3m.'),
                    })
                    .optional()
                    .describe('Waits between sync attempts.'),
                })
                .optional()
                .describe('Retries of failed syncs. Default: none.'),
            })
            .optional()
            .describe(
              "The Applications' sync policy (Argo CD's shape). Default: automated with prune and selfHeal, and CreateNamespace=true.",
            ),
        labels: z =>
          z
            .record(z.string())
            .optional()
            .describe(
              'Extra labels on every Application. backstage.io/kubernetes-id: <appName> is always set.',
            ),
        mode: z =>
          z
            .enum(['api', 'gitops'])
            .optional()
            .describe(
              "api: create the Applications through the Argo CD API with the instance's token from app-config. gitops: commit them to the argocd.gitops repository through a pull request. Default: api.",
            ),
        upsert: z =>
          z
            .boolean()
            .optional()
            .describe(
              'api mode: update an existing Application whose spec differs instead of failing with a conflict. Default: false.',
            ),
      },
      output: {
        applications: z =>
          z
            .array(
              z.object({
                name: z.string().describe('Application name.'),
                environment: z.string().describe('Environment name.'),
                url: z
                  .string()
                  .describe(
                    'The Application in the Argo CD UI (in gitops mode, where it will be once the pull request is merged).',
                  ),
              }),
            )
            .describe('One entry per environment.'),
        manifests: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'The manifests the action creates or would create: the AppProject first when createProject is true, then the Applications.',
            ),
        pullRequestUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'gitops mode: the pull request with the manifests (absent when the base branch already has them).',
            ),
      },
    },

    async handler(ctx) {
      const { input, logger } = ctx;
      const mode = input.mode ?? 'api';
      if (mode !== 'api' && mode !== 'gitops') {
        throw new InputError(
          `mode must be 'api' or 'gitops', got '${String(mode)}'`,
        );
      }
      const instance = instances.get(input.instance);
      let gitopsConfig: GitOpsConfig | undefined;
      if (mode === 'gitops') {
        if (!gitops) {
          throw new InputError(
            "mode 'gitops' needs argocd.gitops in app-config (repoUrl, and optionally baseBranch, pathPattern)",
          );
        }
        gitopsConfig = gitops;
      }

      const applicationsInput: ApplicationsInput = {
        appName: input.appName,
        project: input.project,
        repoUrl: input.repoUrl,
        path: input.path,
        targetRevision: input.targetRevision,
        environments: input.environments,
        syncPolicy: input.syncPolicy,
        labels: input.labels,
        applicationNamespace: gitopsConfig?.applicationNamespace,
      };
      const resolved = resolveApplicationsInput(applicationsInput);
      const manifests = buildApplications(applicationsInput);
      const project = buildAppProject(applicationsInput);
      const createProject = input.createProject ?? false;
      const applications = resolved.environments.map((environment, index) => ({
        name: manifests[index].metadata.name,
        environment: environment.name,
        url: `${instance.url}/applications/${encodeURIComponent(
          manifests[index].metadata.name,
        )}`,
      }));
      const allManifests = [...(createProject ? [project] : []), ...manifests];
      for (const manifest of allManifests) {
        logger.info(
          `${manifest.kind} ${manifest.metadata.name}:\n${manifestToYaml(
            manifest,
          )}`,
        );
      }
      const names = applications.map(a => a.name).join(', ');
      const files = gitopsConfig
        ? gitOpsFiles({
            gitops: gitopsConfig,
            instance: instance.name,
            appName: resolved.appName,
            applications: manifests.map((manifest, index) => ({
              environment: resolved.environments[index].name,
              manifest,
            })),
            project: createProject ? project : undefined,
          })
        : [];

      if (ctx.isDryRun) {
        if (mode === 'api' && !instance.hasToken) {
          logger.warn(
            `Argo CD instance '${instance.name}' has no token configured; a real run in api mode would fail`,
          );
        }
        logger.info(
          mode === 'api'
            ? `Dry run: would register ${names} on Argo CD instance '${instance.name}'; nothing was called`
            : `Dry run: would open a pull request in ${
                gitopsConfig!.repository.owner
              }/${gitopsConfig!.repository.repo} with ${files
                .map(file => file.path)
                .join(', ')}; nothing was called`,
        );
        ctx.output('applications', applications);
        ctx.output('manifests', allManifests);
        return;
      }

      if (mode === 'gitops') {
        const repoConfig = gitopsConfig!;
        const { owner, repo } = repoConfig.repository;
        const result = await ctx.checkpoint({
          key: `argocd.gitops.${instance.name}.${resolved.appName}`,
          fn: async () => {
            const writer = new GitOpsWriter({
              octokit: await octokitFor(repoConfig.repository, logger),
              repository: repoConfig.repository,
              baseBranch: repoConfig.baseBranch,
              logger,
            });
            const pr = await writer.ensurePullRequest({
              branch: gitOpsBranchName(resolved.appName),
              files,
              commitMessage: `Register ${
                resolved.appName
              } in Argo CD (${resolved.environments
                .map(e => e.name)
                .join(', ')})`,
              title: `Argo CD: register ${resolved.appName}`,
              body: [
                `Registers **${resolved.appName}** in Argo CD instance \`${instance.name}\`: ${names}.`,
                '',
                ...files.map(file => `- \`${file.path}\``),
                '',
                'Opened by Runway (scaffolder action `argocd:app:create`). Argo CD applies the Applications once this is merged.',
              ].join('\n'),
            });
            return { status: pr.status, url: pr.url ?? null };
          },
        });
        ctx.output('applications', applications);
        ctx.output('manifests', allManifests);
        if (result.url) {
          ctx.output('pullRequestUrl', result.url);
        }
        logger.info(
          result.url
            ? `GitOps pull request ${result.status}: ${result.url}`
            : `${owner}/${repo}@${repoConfig.baseBranch} already has the manifests; no pull request needed`,
        );
        return;
      }

      const argo = instances.client(instance.name, {
        ...options.clientOptions,
        logger,
      });
      const projectResult = await ctx.checkpoint({
        key: `argocd.project.${instance.name}.${resolved.project}`,
        fn: async () =>
          ensureProject(argo, project, {
            create: createProject,
            signal: ctx.signal,
          }),
      });
      if (projectResult.status === 'created') {
        logger.info(
          `Created AppProject ${resolved.project} on Argo CD instance '${instance.name}'`,
        );
      }
      for (const [index, manifest] of manifests.entries()) {
        const environment = resolved.environments[index].name;
        const result = await ctx.checkpoint({
          key: `argocd.app.${instance.name}.${resolved.appName}.${environment}`,
          fn: async () =>
            ensureApplication(argo, manifest, {
              upsert: input.upsert ?? false,
              signal: ctx.signal,
            }),
        });
        logger.info(
          result.status === 'updated'
            ? `Application ${result.name}: updated (${result.differences.join(
                ', ',
              )}) — ${applications[index].url}`
            : `Application ${result.name}: ${result.status} — ${applications[index].url}`,
        );
      }
      ctx.output('applications', applications);
      ctx.output('manifests', allManifests);
    },
  });
}
