import type { Config } from '@backstage/config';
import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  applicationName,
  ArgoCdClient,
  ArgoCdClientOptions,
  ArgoCdSetup,
  checkPromotion,
  GitHubRetryOptions,
  gitOpsWriterFor,
  octokitForRepository,
  PromoteApplicationOptions,
  promoteApplication,
  resolvePromotionInput,
} from '@runway/plugin-argocd-node';
import {
  canaryEnvironmentPromotePermission,
  PromotionResponse,
  PromotionStatusResponse,
} from '@runway/plugin-canary-common';
import type { Request } from 'express';
import {
  authorizeEntityAction,
  outcomeOf,
} from '../rollouts/RolloutActionService';

/** The promotion's settings: `canary.promotion.mode` (api, the default, or gitops) and `.instance`. */
export type PromotionConfig = {
  mode: 'api' | 'gitops';
  /** The Argo CD instance of `argocd.instances` (the first one when absent). */
  instance?: string;
};

/** Reads `canary.promotion`; a mode other than api or gitops is an error naming the key. */
export function readPromotionConfig(config: Config): PromotionConfig {
  const mode = config.getOptionalString('canary.promotion.mode') ?? 'api';
  if (mode !== 'api' && mode !== 'gitops') {
    throw new Error(
      `canary.promotion.mode must be 'api' or 'gitops', not '${mode}'`,
    );
  }
  const instance = config.getOptionalString('canary.promotion.instance');
  return { mode, ...(instance !== undefined && { instance }) };
}

const FROM = 'staging';
const TO = 'production';
const KUBERNETES_ID = 'backstage.io/kubernetes-id';

const NOT_CONFIGURED =
  'No Argo CD instance is configured (argocd.instances in app-config): promotion to production is not available';

/**
 * The app an entity deploys: its `backstage.io/kubernetes-id` (the label the templates put
 * on `<app>-staging` and `<app>-production`). Pure.
 */
export function appNameOf(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[KUBERNETES_ID] || undefined;
}

/**
 * The staging → production promotion of an entity's app: what staging runs and every gate's
 * verdict (argocd-node's `checkPromotion`, read-only), and the promotion itself
 * (`promoteApplication`) after the caller's `canary.environment.promote` permission on the
 * entity; every attempt, allowed or not, is one audit event.
 */
export class PromotionService {
  constructor(
    private readonly options: {
      setup: ArgoCdSetup;
      /** `canary.promotion.mode`: api (default) updates the Application, gitops opens a pull request. */
      mode: 'api' | 'gitops';
      /** `canary.promotion.instance`: default the first configured instance. */
      instance?: string;
      permissions: PermissionsService;
      auditor: AuditorService;
      servicePrincipals: readonly string[];
      logger: LoggerService;
      clientOptions?: Omit<ArgoCdClientOptions, 'instance' | 'token'>;
      githubRetry?: GitHubRetryOptions;
    },
  ) {}

  #configured(): boolean {
    return this.options.setup.instances.list().length > 0;
  }

  /** The client of `canary.promotion.instance`. */
  #client(): ArgoCdClient {
    return this.options.setup.instances.client(this.options.instance, {
      ...this.options.clientOptions,
      logger: this.options.logger,
    });
  }

  async #promotionOptions(
    client: ArgoCdClient,
    appName: string,
    commit: string,
  ): Promise<PromoteApplicationOptions> {
    const { setup, mode, logger } = this.options;
    const gitops = mode === 'gitops' ? setup.gitops : undefined;
    if (mode === 'gitops' && !gitops) {
      throw new ServiceUnavailableError(
        "canary.promotion.mode is 'gitops' but argocd.gitops is not configured (repoUrl, and optionally baseBranch, pathPattern)",
      );
    }
    return {
      client,
      input: resolvePromotionInput({ appName, commit, from: FROM, to: TO }),
      octokitFor: repository =>
        octokitForRepository({
          integrations: setup.integrations,
          credentialsProvider: setup.credentialsProvider,
          repository,
          field: `the repository of ${applicationName(appName, FROM)}`,
          logger,
        }),
      ...(gitops && {
        gitops: {
          config: gitops,
          writer: await gitOpsWriterFor(setup, gitops, logger),
        },
      }),
      retry: this.options.githubRetry,
      logger,
    };
  }

  /** What promoting staging's commit would do, and every gate's verdict; writes nothing. */
  async status(entity: Entity): Promise<PromotionStatusResponse> {
    const base = { from: FROM, to: TO, gates: [] };
    if (!this.#configured()) {
      return { ...base, state: 'not-configured', message: NOT_CONFIGURED };
    }
    const appName = appNameOf(entity);
    if (!appName) {
      return {
        ...base,
        state: 'no-candidate',
        message: `${stringifyEntityRef(
          entity,
        )} has no ${KUBERNETES_ID} annotation: it names no app to promote`,
      };
    }
    const client = this.#client();
    const instance = client.instance.name;
    const sourceName = applicationName(appName, FROM);
    const source = await client.getApplication(sourceName);
    const candidate = (
      source?.status as { sync?: { revision?: string } } | undefined
    )?.sync?.revision;
    const known = { ...base, appName, instance };
    if (!source || !candidate) {
      return {
        ...known,
        state: 'no-candidate',
        message: source
          ? `${sourceName} has not synced a revision yet`
          : `Argo CD instance '${instance}' has no Application ${sourceName}`,
      };
    }
    // The gates judge the staging Application read above: one read of it per status.
    const check = await checkPromotion({
      ...(await this.#promotionOptions(client, appName, candidate)),
      source,
    });
    return {
      ...known,
      state: check.status,
      application: check.application,
      candidate,
      ...(check.previousRevision !== undefined && {
        currentRevision: check.previousRevision,
      }),
      gates: check.gates,
    };
  }

  /** Promotes `commit` to production: permission, audit, then argocd-node's promotion. */
  async promote(input: {
    entity: Entity;
    credentials: BackstageCredentials;
    commit: string;
    request?: Request<any, any, any, any, any>;
  }): Promise<PromotionResponse> {
    const { entity, credentials, commit } = input;
    const entityRef = stringifyEntityRef(entity);
    const appName = appNameOf(entity);
    const event = await this.options.auditor.createEvent({
      eventId: 'environment-promotion',
      severityLevel: 'high',
      request: input.request,
      meta: {
        action: 'promote-to-production',
        entityRef,
        ...(appName && { appName }),
        from: FROM,
        to: TO,
        commit,
        permission: canaryEnvironmentPromotePermission.name,
      },
    });
    try {
      await authorizeEntityAction(
        this.options,
        credentials,
        canaryEnvironmentPromotePermission,
        entityRef,
      );
      if (!this.#configured()) {
        throw new ServiceUnavailableError(NOT_CONFIGURED);
      }
      if (!appName) {
        throw new ServiceUnavailableError(
          `${entityRef} has no ${KUBERNETES_ID} annotation: it names no app to promote`,
        );
      }
      const result = await promoteApplication(
        await this.#promotionOptions(this.#client(), appName, commit),
      );
      const response: PromotionResponse = {
        status: result.status,
        application: result.application,
        commit: result.commit,
        ...(result.previousRevision !== undefined && {
          previousRevision: result.previousRevision,
        }),
        gates: result.gates,
        ...(result.pullRequest?.url && {
          pullRequestUrl: result.pullRequest.url,
        }),
      };
      await event.success({
        meta: {
          outcome: result.status,
          application: result.application,
          previousRevision: result.previousRevision ?? null,
          ...(response.pullRequestUrl && {
            pullRequestUrl: response.pullRequestUrl,
          }),
        },
      });
      return response;
    } catch (error) {
      await event.fail({
        error: error as Error,
        meta: { outcome: outcomeOf(error) },
      });
      throw error;
    }
  }
}
