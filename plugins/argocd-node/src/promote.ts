import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { dns1123Label, parseInput } from '@runway/plugin-runway-common';
import type { Octokit } from '@octokit/rest';
import { parse } from 'yaml';
import { z } from 'zod/v3';
import { applicationName, applicationsInputShape } from './applications';
import { ArgoCdClient } from './ArgoCdClient';
import { mergeForUpdate } from './compare';
import type { GitOpsConfig } from './config';
import { GitHubRetryOptions, readCommitEvidence } from './github';
import { GitOpsWriter, manifestToYaml, PullRequestResult } from './gitops';
import { MANAGED_BY_HEADER } from './gitopsFiles';
import { renderPath } from './paths';
import {
  assertPromotionGates,
  COMMIT_SHA,
  evaluatePromotionGates,
  PromotionGate,
  STAGING_VERIFICATION_CONTEXT,
} from './promotionGates';
import { GitHubRepository, gitHubRepositoryOf } from './repoUrl';
import { Application } from './types';
import { copyJson } from './json';

/**
 * The zod types of the fields of {@link PromotionInput}.
 *
 * @public
 */
export type PromotionInputShape = {
  appName: z.ZodString;
  commit: z.ZodString;
  project: z.ZodDefault<z.ZodString>;
  from: z.ZodDefault<z.ZodString>;
  to: z.ZodDefault<z.ZodString>;
  verificationContext: z.ZodDefault<z.ZodString>;
};

/**
 * The fields of a promotion and their rules, for schemas that extend it (the
 * `argocd:app:promote` action adds its own).
 *
 * @public
 */
export const promotionInputShape: PromotionInputShape = {
  appName: applicationsInputShape.appName,
  commit: z
    .string()
    .regex(
      COMMIT_SHA,
      'must be a full commit SHA: 40 (or 64) lowercase hexadecimal characters, not a branch, tag or short SHA',
    )
    .describe(
      'The commit to promote: the full SHA that the source environment runs (its Argo CD sync revision).',
    ),
  project: applicationsInputShape.project,
  from: dns1123Label()
    .default('staging')
    .describe(
      'The environment the commit must have run in healthily. Default: staging.',
    ),
  to: dns1123Label()
    .default('production')
    .describe(
      'The environment whose Application is pinned to the commit. Default: production.',
    ),
  verificationContext: z
    .string()
    .min(1, 'must not be empty')
    .default(STAGING_VERIFICATION_CONTEXT)
    .describe(
      `The commit status the source environment's verification writes on the commit. Default: ${STAGING_VERIFICATION_CONTEXT}.`,
    ),
};

/**
 * The rule across the fields of a promotion: `from` and `to` differ.
 *
 * @public
 */
export function checkPromotionInput(
  input: { from?: string; to?: string },
  ctx: z.RefinementCtx,
): void {
  if ((input.from ?? 'staging') === (input.to ?? 'production')) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `must differ from 'from' ('${input.from}'): an environment cannot be promoted from itself`,
    });
  }
}

/**
 * What {@link resolvePromotionInput} checks.
 *
 * @public
 */
export const promotionInputSchema: z.ZodEffects<
  z.ZodObject<PromotionInputShape>
> = z.object(promotionInputShape).superRefine(checkPromotionInput);

/**
 * A promotion: appName and commit are required.
 *
 * @public
 */
export type PromotionInput = z.input<typeof promotionInputSchema>;

/**
 * A promotion with every default applied and every field checked.
 *
 * @public
 */
export type ResolvedPromotionInput = z.output<typeof promotionInputSchema>;

/**
 * Checks every field of a promotion and applies the defaults. Pure; throws an InputError
 * naming each field that breaks a rule.
 *
 * @public
 */
export function resolvePromotionInput(
  input: PromotionInput,
): ResolvedPromotionInput {
  return parseInput(promotionInputSchema, input);
}

/**
 * The branch a promotion's GitOps pull request comes from: one per app and target
 * environment, so a re-run (or a newer promotion) reuses it.
 *
 * @public
 */
export function promotionBranchName(appName: string, to: string): string {
  return `runway/promote-${appName}-${to}`;
}

/**
 * The target Application pinned to `commit`, after checking it deploys the same chart as
 * the source: a ConflictError naming the fields otherwise. Pure.
 *
 * @public
 */
export function pinnedApplication(
  target: Application,
  source: Application,
  commit: string,
): Application {
  const targetSource = target.spec.source;
  const sourceSource = source.spec.source;
  if (!targetSource || !sourceSource) {
    throw new ConflictError(
      `Application '${
        (targetSource ? source : target).metadata.name
      }' has no single spec.source (multi-source Applications are not promoted by Runway); nothing was changed`,
    );
  }
  const differing = (['repoURL', 'path'] as const).filter(
    field => (targetSource[field] ?? '') !== (sourceSource[field] ?? ''),
  );
  if (differing.length > 0) {
    throw new ConflictError(
      `Application '${target.metadata.name}' does not deploy what '${
        source.metadata.name
      }' deploys (differs in ${differing
        .map(field => `spec.source.${field}`)
        .join(
          ', ',
        )}); a commit of one cannot be promoted to the other. Nothing was changed`,
    );
  }
  const pinned = copyJson(target);
  pinned.spec.source = { ...targetSource, targetRevision: commit };
  return pinned;
}

/**
 * What a promotion did:
 * - `promoted`: the target Application now deploys the commit (api mode);
 * - `unchanged`: it already did; nothing was written and no gate was evaluated;
 * - `pull-request`: a GitOps pull request pins it (created, updated or already open).
 *
 * @public
 */
export type PromotionResult = {
  /** The target Application's name. */
  application: string;
  status: 'promoted' | 'unchanged' | 'pull-request';
  commit: string;
  /** The target's revision before (a commit, or a branch before the first promotion). */
  previousRevision?: string;
  /** Every gate's verdict (all passed); empty when nothing had to change. */
  gates: PromotionGate[];
  /** The target Application as it is (or will be once merged). */
  manifest: Application;
  pullRequest?: PullRequestResult;
};

/** @public */
export type PromoteApplicationOptions = {
  /** Reads the source environment's status; writes the target in api mode. */
  client: ArgoCdClient;
  input: ResolvedPromotionInput;
  /**
   * The source environment's Application (`<appName>-<from>`) when the caller has just
   * read it in the promotion's project (e.g. to find the commit it runs); read from Argo CD
   * otherwise. A different Application is an InputError.
   */
  source?: Application;
  /** An Octokit for the service's repository (the source Application's repoURL). */
  octokitFor: (repository: GitHubRepository) => Promise<Octokit>;
  /** gitops mode: the repository holding the Application manifests, and its writer. */
  gitops?: { config: GitOpsConfig; writer: GitOpsWriter };
  retry?: GitHubRetryOptions;
  signal?: AbortSignal;
  logger?: LoggerService;
};

/** The Application `name` in the promotion's project; a NotFoundError ending with `why` when missing. */
async function requireApplication(
  options: PromoteApplicationOptions,
  name: string,
  why: string,
): Promise<Application> {
  const { client, input } = options;
  const found = await client.getApplication(name, {
    project: input.project,
    signal: options.signal,
  });
  if (!found) {
    throw new NotFoundError(
      `Application '${name}' (project '${input.project}') does not exist on Argo CD instance '${client.instance.name}': ${why}`,
    );
  }
  return found;
}

async function readTargetManifest(
  options: PromoteApplicationOptions,
  name: string,
): Promise<{ manifest: Application; path?: string }> {
  const { client, input, gitops } = options;
  if (!gitops) {
    return {
      manifest: await requireApplication(
        options,
        name,
        'create it with argocd:app:create before promoting to it',
      ),
    };
  }
  const path = renderPath(gitops.config.pathPattern, {
    appName: input.appName,
    environment: input.to,
    applicationName: name,
    instance: client.instance.name,
    project: input.project,
  });
  const text = await gitops.writer.readFile(path);
  const manifest = text === undefined ? undefined : parse(text);
  if (manifest?.kind !== 'Application' || !manifest?.spec) {
    throw new NotFoundError(
      `${gitops.config.repository.owner}/${gitops.config.repository.repo}@${
        gitops.config.baseBranch
      } has no Application manifest at '${path}'${
        text === undefined ? '' : ' (the file is not an Application)'
      }: register '${name}' with argocd:app:create (mode gitops) and merge its pull request before promoting to it`,
    );
  }
  return { manifest: manifest as Application, path };
}

/**
 * A promotion's verdict without writing anything:
 * - `unchanged`: the target already deploys the commit (no gate evaluated);
 * - `ready`: every gate passed, promoting would pin the target to the commit;
 * - `blocked`: at least one gate failed (each gate's message says what is missing).
 *
 * @public
 */
export type PromotionCheck = {
  /** The target Application's name. */
  application: string;
  status: 'unchanged' | 'ready' | 'blocked';
  commit: string;
  /** The target's revision now (a commit, or a branch before the first promotion). */
  previousRevision?: string;
  /** Every gate's verdict; empty when nothing has to change. */
  gates: PromotionGate[];
};

/**
 * What promoting would change, read from Argo CD (and the GitOps repository) and GitHub:
 * the verdict, the target as it is (`path`: its manifest's file in gitops mode) and, unless
 * unchanged, the target pinned to the commit.
 */
type Assessment = { target: Application; path?: string } & (
  | (PromotionCheck & { status: 'unchanged' })
  | (PromotionCheck & { status: 'ready' | 'blocked'; desired: Application })
);

async function assessPromotion(
  options: PromoteApplicationOptions,
): Promise<Assessment> {
  const { input, logger } = options;
  const sourceName = applicationName(input.appName, input.from);
  const targetName = applicationName(input.appName, input.to);
  const given = options.source;
  if (
    given &&
    (given.metadata.name !== sourceName || given.spec.project !== input.project)
  ) {
    throw new InputError(
      `source must be the Application '${sourceName}' of project '${input.project}', not '${given.metadata.name}' of project '${given.spec.project}'`,
    );
  }

  const { manifest: target, path } = await readTargetManifest(
    options,
    targetName,
  );
  const previousRevision = target.spec.source?.targetRevision;
  const base = {
    application: targetName,
    commit: input.commit,
    ...(previousRevision !== undefined && { previousRevision }),
    target,
    path,
  };
  if (previousRevision === input.commit) {
    logger?.info(`${targetName} already deploys ${input.commit}`);
    return { ...base, status: 'unchanged', gates: [] };
  }

  const source =
    options.source ??
    (await requireApplication(
      options,
      sourceName,
      `a commit is promoted from the environment '${input.from}' it ran in`,
    ));
  const desired = pinnedApplication(target, source, input.commit);
  const repoUrl = source.spec.source!.repoURL;
  const repository = gitHubRepositoryOf(repoUrl);
  if (!repository) {
    throw new InputError(
      `Application '${sourceName}' deploys '${repoUrl}', which is not a GitHub repository: the promotion gates read the commit's checks and statuses from GitHub`,
    );
  }
  const evidence = await readCommitEvidence({
    octokit: await options.octokitFor(repository),
    repository,
    commit: input.commit,
    pinned:
      previousRevision && COMMIT_SHA.test(previousRevision)
        ? previousRevision
        : undefined,
    retry: options.retry,
  });
  const gates = evaluatePromotionGates({
    commit: input.commit,
    source: { environment: input.from, application: source },
    ...evidence,
    verificationContext: input.verificationContext,
  });
  return {
    ...base,
    status: gates.every(g => g.passed) ? 'ready' : 'blocked',
    gates,
    desired,
  };
}

/**
 * What {@link promoteApplication} would do with the same options, with the same reads and
 * the same gates, and no write: for a page that shows the gates before a person promotes.
 *
 * @public
 */
export async function checkPromotion(
  options: PromoteApplicationOptions,
): Promise<PromotionCheck> {
  const { application, status, commit, previousRevision, gates } =
    await assessPromotion(options);
  return {
    application,
    status,
    commit,
    ...(previousRevision !== undefined && { previousRevision }),
    gates,
  };
}

/**
 * Pins the target environment's Application (`<appName>-<to>`) to a commit the source
 * environment ran healthily. Idempotent: nothing happens when the target already deploys
 * the commit. Otherwise every gate is evaluated (the source Application Synced at the commit
 * and Healthy, its Rollouts fully promoted, the commit's CI and verification passed, no step
 * back) from Argo CD and GitHub reads; a failing gate is a ConflictError naming what is
 * missing, with nothing written. Then api mode updates the Application through Argo CD,
 * gitops mode opens (or reuses) a pull request changing its manifest in the GitOps
 * repository. A target that deploys another repository or path is a ConflictError.
 *
 * @public
 */
export async function promoteApplication(
  options: PromoteApplicationOptions,
): Promise<PromotionResult> {
  const { client, input, gitops, logger } = options;
  const assessment = await assessPromotion(options);
  const { target, path, previousRevision, gates } = assessment;
  const targetName = assessment.application;
  const verdict = {
    application: targetName,
    commit: input.commit,
    ...(previousRevision !== undefined && { previousRevision }),
    gates,
  };
  if (assessment.status === 'unchanged') {
    return { ...verdict, status: 'unchanged', manifest: target };
  }
  assertPromotionGates(targetName, input.commit, gates);
  const desired = assessment.desired;
  const changed = { ...verdict, manifest: desired };

  if (!gitops) {
    await client.updateApplication(mergeForUpdate(target, desired), {
      project: target.spec.project,
      signal: options.signal,
    });
    logger?.info(
      `${targetName}: targetRevision ${previousRevision ?? '(none)'} → ${
        input.commit
      }`,
    );
    return { ...changed, status: 'promoted' };
  }

  const short = input.commit.slice(0, 12);
  const pullRequest = await gitops.writer.ensurePullRequest({
    branch: promotionBranchName(input.appName, input.to),
    files: [
      { path: path!, content: manifestToYaml(desired, MANAGED_BY_HEADER) },
    ],
    commitMessage: `Promote ${input.appName} ${short} to ${input.to}`,
    title: `Promote ${input.appName} to ${input.to}: ${short}`,
    body: [
      `Pins **${targetName}** to \`${input.commit}\` (was \`${
        previousRevision ?? 'none'
      }\`), which ${input.from} runs. Gates:`,
      '',
      ...gates.map(g => `- ✅ ${g.gate}: ${g.message}`),
      '',
      'Opened by Runway (scaffolder action `argocd:app:promote`). Argo CD deploys the commit once this is merged.',
    ].join('\n'),
  });
  return { ...changed, status: 'pull-request', pullRequest };
}
