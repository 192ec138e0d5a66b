import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  createTemplateAction,
  parseRepoUrl,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  applicationsInputShape,
  applyApplicationsDefaults,
  applicationUrl,
  ArgoCdClientOptions,
  buildApplications,
  buildAppProject,
  checkApplicationsInput,
  ensureApplication,
  ensureProject,
  gitOpsBranchName,
  gitOpsFiles,
  gitRepoUrl,
  manifestToYaml,
  gitOpsWriterFor,
  readArgoCdSetup,
} from '@runway/plugin-argocd-node';
import { parseInput, parseValue } from '@runway/plugin-runway-common';
import { z } from 'zod/v3';
import { instanceFor } from '../lib/dryRun';
import { gitOpsFor, instanceField } from '../lib/setup';
import { examples } from './createApp.examples';

/** @public */
export const ACTION_ID = 'argocd:app:create';

/**
 * The input of `argocd:app:create`: the rules of `@runway/plugin-argocd-node`'s
 * Applications input, and the action's own fields. The scaffolder publishes it as the
 * action's JSON schema; the handler parses with it (defaults, cross-field rules).
 */
const shape = applicationsInputShape;
const createAppInputSchema = z
  .object({
    appName: shape.appName,
    instance: instanceField,
    project: shape.project,
    createProject: z
      .boolean()
      .default(false)
      .describe(
        "Create the AppProject when it does not exist (allowing the app's repository, its destinations and Namespace creation). An existing project is never changed. Default: false.",
      ),
    repoUrl: z
      .string()
      .min(1, 'must not be empty')
      .describe(
        "The Git repository with the chart: an https:// or ssh:// URL, scp-like git@host:owner/repo.git, or the scaffolder's host?owner=…&repo=… form (resolved with the integrations). No credentials: Argo CD reads it with its own repository credentials.",
      ),
    path: shape.path,
    targetRevision: shape.targetRevision,
    environments: shape.environments,
    syncPolicy: shape.syncPolicy,
    labels: shape.labels,
    mode: z
      .enum(['api', 'gitops'])
      .default('api')
      .describe(
        "api: create the Applications through the Argo CD API with the instance's token from app-config. gitops: commit them to the argocd.gitops repository through a pull request. Default: api.",
      ),
    upsert: z
      .boolean()
      .default(false)
      .describe(
        'api mode: update an existing Application whose spec differs instead of failing with a conflict. Default: false.',
      ),
  })
  .superRefine(checkApplicationsInput);

const createAppOutputSchema = z.object({
  applications: z
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
  manifests: z
    .array(z.record(z.unknown()))
    .describe(
      'The manifests the action creates or would create: the AppProject first when createProject is true, then the Applications.',
    ),
  pullRequestUrl: z
    .string()
    .optional()
    .describe(
      'gitops mode: the pull request with the manifests (absent when the base branch already has them).',
    ),
});

/** `host?owner=…&repo=…`, the RepoUrlPicker's form. */
const PICKER_FORM = /^[A-Za-z0-9.-]+(:\d+)?\?/;

/** @public */
export type CreateArgocdAppActionOptions = {
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
 * mode). Idempotent, retry-safe (each remote step is a checkpoint) and dry-runnable. Its
 * input and output are the zod schemas above, published as the action's JSON schema; the
 * TypeScript signature stays opaque, so that the declarations (and the API report) do not
 * depend on how the compiler orders the types it infers from them.
 *
 * @public
 */
export function createArgocdAppCreateAction(
  options: CreateArgocdAppActionOptions,
): TemplateAction<any, any, 'v2'> {
  const setup = readArgoCdSetup(options);
  const { instances, integrations } = setup;

  /** The Git URL Argo CD pulls from: the picker form resolved to its clone URL. */
  function gitUrlOf(repoUrl: string): string {
    if (!PICKER_FORM.test(repoUrl.trim())) return repoUrl;
    let parsed: ReturnType<typeof parseRepoUrl>;
    try {
      parsed = parseRepoUrl(repoUrl.trim(), integrations);
    } catch (error) {
      throw new InputError(`repoUrl: ${(error as Error).message}`);
    }
    const owner = parsed.owner ?? parsed.organization;
    if (!owner) {
      throw new InputError(`repoUrl: '${repoUrl}' names no owner`);
    }
    return `https://${parsed.host}/${owner}/${parsed.repo}.git`;
  }

  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Registers a service in Argo CD: one Application per environment (named <appName>-<environment>, labelled backstage.io/kubernetes-id: <appName>), through the Argo CD API or a GitOps pull request. Idempotent and dry-runnable.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => createAppInputSchema,
      output: () => createAppOutputSchema,
    },

    async handler(ctx) {
      const { logger } = ctx;
      // The scaffolder checked the JSON schema; this applies the defaults and the rules
      // across fields, and checks direct callers' input too.
      const input = parseInput(createAppInputSchema, ctx.input);
      const { mode, createProject } = input;
      const instance = instanceFor(
        instances,
        input.instance,
        ctx.isDryRun === true,
        logger,
      );
      const gitopsConfig = gitOpsFor(
        setup,
        mode,
        ctx.isDryRun === true,
        logger,
      );

      const resolved = applyApplicationsDefaults({
        ...input,
        repoUrl: parseValue('repoUrl', gitRepoUrl(), gitUrlOf(input.repoUrl)),
        applicationNamespace: gitopsConfig?.applicationNamespace,
      });
      const manifests = buildApplications(resolved);
      const project = buildAppProject(resolved);
      const applications = resolved.environments.map((environment, index) => ({
        name: manifests[index].metadata.name,
        environment: environment.name,
        url: applicationUrl(instance, manifests[index].metadata.name),
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
          mode === 'api' || !gitopsConfig
            ? `Dry run: would register ${names} on Argo CD instance '${instance.name}'; nothing was called`
            : `Dry run: would open a pull request in ${
                gitopsConfig.repository.owner
              }/${gitopsConfig.repository.repo} with ${files
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
            const writer = await gitOpsWriterFor(setup, repoConfig, logger);
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
              upsert: input.upsert,
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
