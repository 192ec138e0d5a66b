/*
 * The staging → production promotion's routes and schemas
 * (plugins/canary-common/src/promotionTypes.ts).
 */
import { entityGet, entityParameters, errorResponse as error } from './common';

const COMMIT = '^(?:[0-9a-f]{40}|[0-9a-f]{64})$';

const gate = {
  type: 'object',
  required: ['gate', 'passed', 'message'],
  additionalProperties: false,
  properties: {
    gate: { type: 'string' },
    passed: { type: 'boolean' },
    message: { type: 'string' },
  },
} as const;

/** Every gate's verdict, in the order the gates are checked (both responses). */
const gates = {
  type: 'array',
  items: { $ref: '#/components/schemas/PromotionGateVerdict' },
} as const;

export const promotionSchemas = {
  PromotionGateVerdict: gate,
  PromotionStatusResponse: {
    type: 'object',
    required: ['state', 'from', 'to', 'gates'],
    additionalProperties: false,
    properties: {
      state: {
        type: 'string',
        enum: [
          'not-configured',
          'no-candidate',
          'ready',
          'blocked',
          'unchanged',
        ],
      },
      message: { type: 'string' },
      appName: { type: 'string' },
      instance: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      application: { type: 'string' },
      candidate: { type: 'string' },
      currentRevision: { type: 'string' },
      gates,
    },
  },
  PromotionRequest: {
    type: 'object',
    required: ['commit'],
    additionalProperties: false,
    properties: {
      commit: {
        type: 'string',
        pattern: COMMIT,
        description: 'The full SHA staging runs (the candidate of the GET).',
      },
    },
  },
  PromotionResponse: {
    type: 'object',
    required: ['status', 'application', 'commit', 'gates'],
    additionalProperties: false,
    properties: {
      status: {
        type: 'string',
        enum: ['promoted', 'unchanged', 'pull-request'],
      },
      application: { type: 'string' },
      commit: { type: 'string' },
      previousRevision: { type: 'string' },
      gates,
      pullRequestUrl: { type: 'string' },
    },
  },
} as const;

const get = entityGet({
  operationId: 'getPromotion',
  summary:
    'The staging → production promotion of the entity’s app: staging’s commit and every gate’s verdict',
  description:
    'Reads Argo CD (the `<app>-staging` and `<app>-production` Applications, `<app>` being the entity’s `backstage.io/kubernetes-id`) and GitHub (check runs, the `runway/staging-verification` status, ancestry) with the gates of `argocd:app:promote`; writes nothing. No Argo CD instance configured is `state: not-configured`, not an error.',
  answer: 'The candidate commit and the gates.',
  schema: 'PromotionStatusResponse',
});

export const promotionPaths = {
  '/entities/{namespace}/{kind}/{name}/promotion': {
    ...get,
    post: {
      operationId: 'promoteToProduction',
      summary:
        'Pins the entity’s production Application to a commit staging verified',
      description:
        'After the caller’s `canary.environment.promote` permission on the entity, runs argocd-node’s promotion (the gates of `argocd:app:promote`): api mode updates `<app>-production` through Argo CD, gitops mode (`canary.promotion.mode`) opens a pull request. Idempotent. Every attempt is an audit event.',
      parameters: entityParameters,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/PromotionRequest' },
          },
        },
      },
      responses: {
        '200': {
          description: 'What was done: promoted, unchanged or pull-request.',
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/PromotionResponse' },
            },
          },
        },
        '400': error('The commit is not a full SHA.'),
        '403': error(
          'The caller may not promote this entity (its owners and the platform teams may). Nothing was written.',
        ),
        '404': error(
          'No such entity (or the caller may not read it), or no such Application.',
        ),
        '409': error(
          'A promotion gate failed; the message names each failing gate and what is missing. Nothing was written.',
        ),
        '503': error(
          'No Argo CD instance is configured (or gitops mode without argocd.gitops), or the entity names no app.',
        ),
      },
      security: [{}],
    },
  },
} as const;
