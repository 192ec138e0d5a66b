import { Config } from '@backstage/config';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  applicationName,
  applicationUrl,
  ArgoCdClientOptions,
  checkPromotionInput,
  GitHubRetryOptions,
  octokitForRepository,
  promoteApplication,
  promotionInputShape,
  PromotionResult,
  gitOpsWriterFor,
  readArgoCdSetup,
} from '@runway/plugin-argocd-node';
import { parseInput } from '@runway/plugin-runway-common';
import { z } from 'zod/v3';
import { instanceFor } from '../lib/dryRun';
import { gitOpsFor, instanceField } from '../lib/setup';
import { examples } from './promoteApp.examples';

/** @public */
export const PROMOTE_ACTION_ID = 'argocd:app:promote';

const shape = promotionInputShape;
const promoteAppInputSchema = z
  .object({
    appName: shape.appName,
    commit: shape.commit,
    instance: instanceField,
    project: shape.project,
    from: shape.from,
    to: shape.to,
    verificationContext: shape.verificationContext,
    mode: z
      .enum(['api', 'gitops'])
      .default('api')
      .describe(
        "api: update the target Application through the Argo CD API. gitops: change its manifest in the argocd.gitops repository through a pull request. Both read the source environment's status from Argo CD (the instance needs a token). Default: api.",
      ),
  })
  .superRefine(checkPromotionInput);

const promoteAppOutputSchema = z.object({
  application: z
    .object({
      name: z.string().describe('The target Application.'),
      url: z.string().describe('Its page in the Argo CD UI.'),
    })
    .describe('The Application pinned to the commit.'),
  status: z
    .enum(['promoted', 'unchanged', 'pull-request', 'dry-run'])
    .describe(
      'promoted: Argo CD now deploys the commit there; unchanged: it already did; pull-request: a GitOps pull request pins it; dry-run: nothing was called.',
    ),
  previousRevision: z
    .string()
    .optional()
    .describe('The revision the target deployed before.'),
  gates: z
    .array(
      z.object({
        gate: z.string(),
        passed: z.boolean(),
        message: z.string(),
      }),
    )
    .describe(
      'Every gate and what it found (empty when nothing had to change).',
    ),
  manifest: z
    .record(z.unknown())
    .optional()
    .describe(
      'The target Application as it is now (or once the pull request is merged).',
    ),
  pullRequestUrl: z
    .string()
    .optional()
    .describe('gitops mode: the pull request pinning the commit.'),
});

/** @public */
export type PromoteArgocdAppActionOptions = {
  /** Read for `argocd.instances` and `argocd.gitops` (and `integrations` unless given). */
  config: Config;
  /** GitHub integrations: the service's repository (gates) and the GitOps repository. Default: from `config`. */
  integrations?: ScmIntegrationRegistry;
  /** GitHub credentials. Default: from the integrations (token or GitHub App). */
  githubCredentialsProvider?: GithubCredentialsProvider;
  /** Argo CD client tuning (waits between retries, backoff); for tests. */
  clientOptions?: Pick<ArgoCdClientOptions, 'sleep' | 'backoff' | 'fetch'>;
  /** GitHub read retries (waits between retries); for tests. */
  githubRetry?: GitHubRetryOptions;
};

/**
 * `argocd:app:promote`: pins an environment that changes only by promotion (production) to
 * a commit its source environment (staging) ran healthily, once every gate passes: the
 * source Application Synced and Healthy at that commit with its Rollouts fully promoted,
 * the commit's CI succeeded and its staging verification status is `success`, and it does
 * not move the target back. A failing gate names what is missing and changes nothing.
 * api mode updates the Application's `targetRevision` through Argo CD; gitops mode opens a
 * pull request on the GitOps repository. Idempotent and dry-runnable.
 *
 * @public
 */
export function createArgocdAppPromoteAction(
  options: PromoteArgocdAppActionOptions,
): TemplateAction<any, any, 'v2'> {
  const setup = readArgoCdSetup(options);
  const { instances, integrations, credentialsProvider } = setup;

  return createTemplateAction({
    id: PROMOTE_ACTION_ID,
    description:
      'Promotes a commit to production: pins <appName>-<to> to a commit <appName>-<from> runs healthily, once its CI, staging verification and Rollout gates pass (Argo CD API or GitOps pull request). Idempotent and dry-runnable.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => promoteAppInputSchema,
      output: () => promoteAppOutputSchema,
    },

    async handler(ctx) {
      const { logger } = ctx;
      const input = parseInput(promoteAppInputSchema, ctx.input);
      const instance = instanceFor(
        instances,
        input.instance,
        ctx.isDryRun === true,
        logger,
      );
      const target = applicationName(input.appName, input.to);
      const application = {
        name: target,
        url: applicationUrl(instance, target),
      };
      const gitopsConfig = gitOpsFor(
        setup,
        input.mode,
        ctx.isDryRun === true,
        logger,
      );

      if (ctx.isDryRun) {
        logger.info(
          `Dry run: would check that ${applicationName(
            input.appName,
            input.from,
          )} is Synced and Healthy at ${
            input.commit
          } with its Rollouts fully promoted, that CI and the '${
            input.verificationContext
          }' status succeeded on it, then pin ${target} to it ${
            input.mode === 'api'
              ? `on Argo CD instance '${instance.name}'`
              : 'through a GitOps pull request'
          }; nothing was called`,
        );
        ctx.output('application', application);
        ctx.output('status', 'dry-run');
        ctx.output('gates', []);
        return;
      }

      const client = instances.client(instance.name, {
        ...options.clientOptions,
        logger,
      });
      const result: PromotionResult = await ctx.checkpoint({
        key: `argocd.promote.${instance.name}.${target}.${input.commit}`,
        fn: async () => {
          const promotion = await promoteApplication({
            client,
            input,
            octokitFor: repository =>
              octokitForRepository({
                integrations,
                credentialsProvider,
                repository,
                field: `the repository of ${applicationName(
                  input.appName,
                  input.from,
                )}`,
                logger,
              }),
            ...(gitopsConfig && {
              gitops: {
                config: gitopsConfig,
                writer: await gitOpsWriterFor(setup, gitopsConfig, logger),
              },
            }),
            retry: options.githubRetry,
            signal: ctx.signal,
            logger,
          });
          // A checkpoint stores JSON.
          return JSON.parse(JSON.stringify(promotion));
        },
      });
      for (const gate of result.gates) {
        logger.info(`gate ${gate.gate}: ${gate.message}`);
      }
      logger.info(
        result.status === 'pull-request'
          ? `${target}: pull request ${result.pullRequest?.status} pinning ${input.commit}: ${result.pullRequest?.url}`
          : `${target}: ${result.status} at ${input.commit} — ${application.url}`,
      );
      ctx.output('application', application);
      ctx.output('status', result.status);
      if (result.previousRevision !== undefined) {
        ctx.output('previousRevision', result.previousRevision);
      }
      ctx.output('gates', result.gates);
      ctx.output('manifest', result.manifest);
      if (result.pullRequest?.url) {
        ctx.output('pullRequestUrl', result.pullRequest.url);
      }
    },
  });
}
