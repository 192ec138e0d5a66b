/*
 * The Rollout actions' route and schemas (plugins/canary-common/src/rolloutActions.ts).
 */
import { errorResponse as error } from './common';

const snapshot = {
  type: 'object',
  required: ['stepCount', 'paused', 'aborted'],
  additionalProperties: false,
  properties: {
    phase: { type: 'string' },
    currentStepIndex: { type: 'integer', minimum: 0 },
    stepCount: { type: 'integer', minimum: 0 },
    paused: { type: 'boolean' },
    aborted: { type: 'boolean' },
  },
} as const;

export const actionSchemas = {
  RolloutPatch: {
    type: 'object',
    required: ['body'],
    additionalProperties: false,
    properties: {
      subresource: { type: 'string', enum: ['status'] },
      body: {
        type: 'object',
        description: 'A JSON merge patch (application/merge-patch+json).',
        additionalProperties: true,
      },
    },
  },
  RolloutActionSnapshot: snapshot,
  RolloutActionResponse: {
    type: 'object',
    required: [
      'action',
      'cluster',
      'namespace',
      'rollout',
      'patches',
      'before',
      'after',
    ],
    additionalProperties: false,
    properties: {
      action: {
        type: 'string',
        enum: ['promote', 'promote-full', 'abort', 'retry'],
      },
      cluster: { type: 'string' },
      namespace: { type: 'string' },
      rollout: { type: 'string' },
      patches: {
        type: 'array',
        items: { $ref: '#/components/schemas/RolloutPatch' },
      },
      before: { $ref: '#/components/schemas/RolloutActionSnapshot' },
      after: { $ref: '#/components/schemas/RolloutActionSnapshot' },
    },
  },
} as const;

const pathParameter = (name: string, description: string, extra = {}) =>
  ({
    in: 'path',
    name,
    required: true,
    description,
    schema: { type: 'string', ...extra },
  } as const);

export const actionPaths = {
  '/entities/{namespace}/{kind}/{name}/clusters/{cluster}/rollouts/{rolloutNamespace}/{rollout}/{action}':
    {
      post: {
        operationId: 'runRolloutAction',
        summary:
          'Promote, promote fully, abort or retry one of the entity’s Argo Rollouts',
        description:
          'Does what `kubectl argo rollouts <action>` does (the same merge patches, the status subresource first), with the backend’s Kubernetes identity, after checking the caller’s permission on the entity (`canary.rollout.promote` for promote, promote-full and retry; `canary.rollout.abort` for abort). The Rollout must carry the entity’s label selector. Every attempt is an audit event.',
        parameters: [
          pathParameter('namespace', 'The entity’s namespace.'),
          pathParameter('kind', 'The entity’s kind.'),
          pathParameter('name', 'The entity’s name.'),
          pathParameter('cluster', 'A cluster of the `kubernetes` config.'),
          pathParameter('rolloutNamespace', 'The Rollout’s namespace.'),
          pathParameter('rollout', 'The Rollout’s name.'),
          pathParameter('action', 'What to do.', {
            enum: ['promote', 'promote-full', 'abort', 'retry'],
          }),
        ],
        responses: {
          '200': {
            description:
              'The patches sent, and the Rollout before and right after them.',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/RolloutActionResponse' },
              },
            },
          },
          '400': error('An unknown action.'),
          '403': error(
            'The caller may not act on this entity (its owners and the platform teams may), or is a service principal not named in `canary.actions.servicePrincipals`. Nothing was sent to the cluster.',
          ),
          '404': error(
            'No such entity (or the caller may not read it), cluster, or Rollout of this entity.',
          ),
          '409': error(
            'The Rollout’s state does not allow the action (e.g. promote an aborted Rollout, retry one that is not aborted); the message says why.',
          ),
        },
        security: [{}],
      },
    },
} as const;
