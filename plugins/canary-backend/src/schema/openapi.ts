import { actionPaths, actionSchemas } from './actionSchemas';
import {
  clusterProperties,
  entityGet,
  entityResponse,
  readyOfDesired,
} from './common';
import { databaseSchemas } from './databaseSchemas';
import { healthPaths, healthSchemas } from './healthSchemas';
import { promotionPaths, promotionSchemas } from './promotionSchemas';

/**
 * OpenAPI description of the Canary backend; requests are validated against it and it is
 * served at /api/canary/openapi.json. Keep it in step with plugins/canary-common/src/types.ts
 * and src/database/types.ts.
 */
const track = {
  type: 'object',
  required: ['subset', 'weight'],
  additionalProperties: false,
  properties: {
    subset: { type: 'string' },
    weight: { type: 'number', minimum: 0, maximum: 100 },
    version: { type: 'string' },
    images: { type: 'array', items: { type: 'string' } },
    replicas: readyOfDesired,
    revision: { type: 'string' },
  },
} as const;

const rolloutProgress = {
  type: 'object',
  required: [
    'name',
    'routing',
    'stepCount',
    'setWeight',
    'paused',
    'pausedByUser',
    'pauseReasons',
    'aborted',
  ],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    routing: { type: 'string', enum: ['host', 'subset'] },
    phase: { type: 'string' },
    message: { type: 'string' },
    stepCount: { type: 'integer' },
    currentStepIndex: { type: 'integer' },
    currentStep: { type: 'object', additionalProperties: true },
    setWeight: { type: 'number', minimum: 0, maximum: 100 },
    paused: { type: 'boolean' },
    pausedByUser: { type: 'boolean' },
    pauseReasons: { type: 'array', items: { type: 'string' } },
    pausedSince: { type: 'string' },
    pauseDurationSeconds: { type: 'number' },
    aborted: { type: 'boolean' },
    abortedAt: { type: 'string' },
    stableRevision: { type: 'string' },
    canaryRevision: { type: 'string' },
  },
} as const;

const analysisRun = {
  type: 'object',
  required: ['name', 'phase', 'metrics'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    phase: { type: 'string' },
    message: { type: 'string' },
    startedAt: { type: 'string' },
    type: { type: 'string' },
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'name',
          'phase',
          'count',
          'successful',
          'failed',
          'inconclusive',
          'error',
        ],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          phase: { type: 'string' },
          message: { type: 'string' },
          successCondition: { type: 'string' },
          failureCondition: { type: 'string' },
          count: { type: 'integer' },
          successful: { type: 'integer' },
          failed: { type: 'integer' },
          inconclusive: { type: 'integer' },
          error: { type: 'integer' },
          lastMeasurement: {
            type: 'object',
            required: ['phase'],
            additionalProperties: false,
            properties: {
              phase: { type: 'string' },
              value: { type: 'string' },
              message: { type: 'string' },
              startedAt: { type: 'string' },
              finishedAt: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'canary',
    version: '1',
    description:
      'Live Istio canary status and CloudNativePG databases of catalog entities, per cluster.',
    license: { name: 'Apache-2.0' },
  },
  servers: [{ url: '/' }],
  components: {
    examples: {},
    headers: {},
    parameters: {},
    requestBodies: {},
    responses: {},
    securitySchemes: {},
    schemas: {
      Track: track,
      Problem: {
        type: 'object',
        required: ['code', 'severity', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string' },
          severity: { type: 'string', enum: ['error', 'warning'] },
          message: { type: 'string' },
        },
      },
      ClusterError: {
        type: 'object',
        required: ['message'],
        additionalProperties: false,
        properties: {
          message: { type: 'string' },
          statusCode: { type: 'integer' },
        },
      },
      ...databaseSchemas,
      RolloutProgress: rolloutProgress,
      AnalysisRunSummary: analysisRun,
      ...actionSchemas,
      ...healthSchemas,
      ...promotionSchemas,
      CanaryRelease: {
        type: 'object',
        required: [
          'namespace',
          'virtualService',
          'hosts',
          'phase',
          'stable',
          'problems',
        ],
        additionalProperties: false,
        properties: {
          namespace: { type: 'string' },
          virtualService: { type: 'string' },
          hosts: { type: 'array', items: { type: 'string' } },
          phase: {
            type: 'string',
            enum: [
              'stable',
              'progressing',
              'promoted',
              'paused',
              'misconfigured',
            ],
          },
          stable: { $ref: '#/components/schemas/Track' },
          canary: { $ref: '#/components/schemas/Track' },
          headerOverride: {
            type: 'object',
            required: ['header', 'value', 'subset'],
            additionalProperties: false,
            properties: {
              header: { type: 'string' },
              value: { type: 'string' },
              subset: { type: 'string' },
            },
          },
          problems: {
            type: 'array',
            items: { $ref: '#/components/schemas/Problem' },
          },
          rollout: { $ref: '#/components/schemas/RolloutProgress' },
          analysisRuns: {
            type: 'array',
            items: { $ref: '#/components/schemas/AnalysisRunSummary' },
          },
        },
      },
      ClusterCanaries: {
        type: 'object',
        required: ['cluster', 'releases'],
        additionalProperties: false,
        properties: {
          ...clusterProperties,
          releases: {
            type: 'array',
            items: { $ref: '#/components/schemas/CanaryRelease' },
          },
        },
      },
      CanaryStatusResponse: entityResponse('ClusterCanaries'),
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: { type: 'string' },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  },
  paths: {
    ...actionPaths,
    ...healthPaths,
    ...promotionPaths,
    '/entities/{namespace}/{kind}/{name}/databases': entityGet({
      operationId: 'getDatabaseStatus',
      summary:
        "The entity's CloudNativePG clusters in every configured cluster: the database card",
      description:
        'Served from the cluster-state layer. A cluster that cannot be read is an entry with `error`, one still syncing an entry with `syncing: true`; the others are still returned.',
      answer: 'Databases per cluster.',
      schema: 'DatabaseStatusResponse',
    }),
    '/entities/{namespace}/{kind}/{name}': entityGet({
      operationId: 'getCanaryStatus',
      summary:
        "Canary status of an entity's releases in every configured cluster",
      description:
        'Served from the cluster-state layer. A cluster that cannot be read is an entry with `error`; the others are still returned.',
      answer: 'Status per cluster.',
      schema: 'CanaryStatusResponse',
    }),
  },
} as const;
