import type { JsonValue } from '@backstage/types';
import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  canaryRolloutAbortPermission,
  canaryRolloutPromotePermission,
  planRolloutAction,
  RolloutAction,
  RolloutActionResponse,
  rolloutActionSnapshot,
  RolloutPatch,
} from '@runway/plugin-canary-common';
import {
  ClusterAccess,
  entityObjectSelector,
} from '@runway/plugin-cluster-access-node';
import { labelSelectorMatcher } from '@runway/plugin-runway-common';
import type { Request } from 'express';
import { promoteNeedsVerification, verifyPromote } from './promoteVerification';
import { RolloutClient, RolloutObject } from './RolloutClient';

/** The permission each action needs on the entity. */
export const ACTION_PERMISSIONS: Record<
  RolloutAction,
  ResourcePermission<'catalog-entity'>
> = {
  promote: canaryRolloutPromotePermission,
  'promote-full': canaryRolloutPromotePermission,
  retry: canaryRolloutPromotePermission,
  abort: canaryRolloutAbortPermission,
};

/**
 * Why a service principal may not act (undefined for a user, or a service principal the
 * configuration names). Service principals never reach the permission policy, so the
 * Canary backend decides for them: acting needs `canary.actions.servicePrincipals`.
 */
export function servicePrincipalRefusal(
  credentials: BackstageCredentials,
  allowedSubjects: readonly string[],
): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    subject?: string;
  };
  if (principal.type !== 'service') return undefined;
  if (principal.subject && allowedSubjects.includes(principal.subject)) {
    return undefined;
  }
  return `The service principal '${
    principal.subject ?? 'unknown'
  }' may not act on canaries; name it in canary.actions.servicePrincipals to allow it`;
}

/** The Rollout is the entity's: same selector (and namespace) as the status uses. */
function belongsTo(rollout: RolloutObject, entity: Entity): boolean {
  const selector = entityObjectSelector(entity);
  if (!selector) return false;
  if (
    selector.namespace &&
    selector.namespace !== rollout.metadata?.namespace
  ) {
    return false;
  }
  return labelSelectorMatcher(selector.labelSelector)(
    rollout.metadata?.labels ?? {},
  );
}

export type RolloutActionRequest = {
  entity: Entity;
  credentials: BackstageCredentials;
  cluster: string;
  namespace: string;
  rollout: string;
  action: RolloutAction;
  /** The HTTP request, for the audit event's actor. */
  request?: Request<any, any, any, any, any>;
};

/**
 * Promote, promote fully, abort and retry a Rollout of an entity: the caller's permission
 * on the entity first (no Kubernetes call when refused), then the Rollout read with the
 * backend's identity, checked to be the entity's, and patched as `kubectl argo rollouts`
 * does; a promote of a pause the controller has just set is watched and re-sent if the
 * controller undid it (promoteVerification.ts). Every attempt, allowed or not, is one
 * audit event.
 */
export class RolloutActionService {
  constructor(
    private readonly options: {
      clusterAccess: ClusterAccess;
      permissions: PermissionsService;
      auditor: AuditorService;
      /** Service principals allowed to act (`canary.actions.servicePrincipals`). */
      servicePrincipals: readonly string[];
    },
  ) {}

  async run(input: RolloutActionRequest): Promise<RolloutActionResponse> {
    const {
      entity,
      credentials,
      cluster,
      namespace,
      rollout: name,
      action,
    } = input;
    const entityRef = stringifyEntityRef(entity);
    const permission = ACTION_PERMISSIONS[action];
    const event = await this.options.auditor.createEvent({
      eventId: 'rollout-action',
      severityLevel: 'medium',
      request: input.request,
      meta: {
        action,
        entityRef,
        cluster,
        namespace,
        rollout: name,
        permission: permission.name,
      },
    });
    let stepBefore: number | null = null;
    try {
      await this.#authorize(credentials, permission, entityRef);

      if (
        !this.options.clusterAccess.listClusters().some(c => c.name === cluster)
      ) {
        throw new NotFoundError(
          `No Kubernetes cluster named '${cluster}' in the kubernetes config`,
        );
      }
      const client = await RolloutClient.connect(
        this.options.clusterAccess,
        cluster,
      );
      const current = await client.get(namespace, name);
      if (!current || !belongsTo(current, entity)) {
        throw new NotFoundError(
          `Kubernetes cluster '${cluster}' has no Rollout ${namespace}/${name} belonging to ${entityRef}`,
        );
      }
      const before = rolloutActionSnapshot(current);
      stepBefore = before.currentStepIndex ?? null;
      const plan = planRolloutAction(action, current);
      if (!plan.allowed) {
        throw new ConflictError(
          `Cannot ${action} Rollout ${namespace}/${name} in '${cluster}': ${plan.reason}`,
        );
      }
      const sent: RolloutPatch[] = [];
      const send = async (patches: RolloutPatch[]) => {
        let result: RolloutObject = current;
        for (const patch of patches) {
          result = await client.patch(namespace, name, patch);
          sent.push(patch);
        }
        return result;
      };
      let latest = await send(plan.patches);
      let resent = 0;
      if (
        action === 'promote' &&
        promoteNeedsVerification(current, plan.patches, Date.now())
      ) {
        // The controller may still undo a promote of a pause it has just set.
        const verified = await verifyPromote(current, {
          read: () => client.get(namespace, name),
          resend: async rollout => {
            const again = planRolloutAction(action, rollout);
            return again.allowed ? send(again.patches) : rollout;
          },
        });
        latest = verified.rollout ?? latest;
        resent = verified.resent;
      }
      const after = rolloutActionSnapshot(latest);
      await event.success({
        meta: {
          outcome: 'applied',
          stepBefore,
          stepAfter: after.currentStepIndex ?? null,
          patches: sent as unknown as JsonValue,
          ...(resent > 0 && { resent }),
        },
      });
      return {
        action,
        cluster,
        namespace,
        rollout: name,
        patches: sent,
        before,
        after,
      };
    } catch (error) {
      await event.fail({
        error: error as Error,
        meta: {
          outcome: outcomeOf(error),
          stepBefore,
          stepAfter: stepBefore,
        },
      });
      throw error;
    }
  }

  async #authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
  ): Promise<void> {
    await authorizeEntityAction(
      this.options,
      credentials,
      permission,
      entityRef,
    );
  }
}

/**
 * The caller may act with `permission` on the entity: a service principal only when
 * `canary.actions.servicePrincipals` names it, a user as the permission policy decides.
 * A NotAllowedError (403) otherwise, before anything else is called.
 */
export async function authorizeEntityAction(
  options: {
    permissions: PermissionsService;
    servicePrincipals: readonly string[];
  },
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
  entityRef: string,
): Promise<void> {
  const refusal = servicePrincipalRefusal(
    credentials,
    options.servicePrincipals,
  );
  if (refusal) throw new NotAllowedError(refusal);
  const [decision] = await options.permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You may not ${permission.name} on ${entityRef}: only its owners and the platform teams may`,
    );
  }
}

/** The audit outcome of a failed attempt. */
export function outcomeOf(error: unknown): string {
  switch ((error as Error)?.name) {
    case 'NotAllowedError':
      return 'denied';
    case 'ConflictError':
      return 'refused';
    case 'NotFoundError':
      return 'not-found';
    default:
      return 'failed';
  }
}
