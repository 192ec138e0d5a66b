import { entityGet, entityResponse } from './common';

/** The live health route and schemas (plugins/canary-common/src/healthTypes.ts). */
const nullableNumber = { type: 'number', nullable: true } as const;

export const healthSchemas = {
  TrackHealth: {
    type: 'object',
    required: [
      'track',
      'namespace',
      'service',
      'requestRate',
      'successRate',
      'latencyP99Ms',
    ],
    additionalProperties: false,
    properties: {
      track: { type: 'string', enum: ['stable', 'canary'] },
      namespace: { type: 'string' },
      service: { type: 'string' },
      requestRate: nullableNumber,
      successRate: nullableNumber,
      latencyP99Ms: nullableNumber,
    },
  },
  ReleaseHealth: {
    type: 'object',
    required: ['namespace', 'virtualService', 'tracks'],
    additionalProperties: false,
    properties: {
      namespace: { type: 'string' },
      virtualService: { type: 'string' },
      tracks: {
        type: 'array',
        items: { $ref: '#/components/schemas/TrackHealth' },
      },
      unmeasured: { type: 'string' },
      notices: {
        type: 'array',
        items: { type: 'string' },
        description:
          'What Prometheus said about these figures (the `infos` and `warnings` of its answers, each once), e.g. that the series are synthetic.',
      },
    },
  },
  ClusterHealth: {
    type: 'object',
    required: ['cluster', 'prometheus', 'releases'],
    additionalProperties: false,
    properties: {
      cluster: { type: 'string' },
      prometheus: {
        type: 'string',
        enum: ['ok', 'not-configured', 'unavailable'],
      },
      message: { type: 'string' },
      releases: {
        type: 'array',
        items: { $ref: '#/components/schemas/ReleaseHealth' },
      },
    },
  },
  CanaryHealthResponse: entityResponse('ClusterHealth', {
    window: { type: 'string' },
  }),
} as const;

export const healthPaths = {
  '/entities/{namespace}/{kind}/{name}/health': entityGet({
    operationId: 'getCanaryHealth',
    summary:
      'Request rate, success rate and p99 latency of each track of the entity’s releases over the last 5 minutes',
    description:
      'From each cluster’s Prometheus (`canary.prometheus.<cluster>`), with the queries of the service chart’s AnalysisTemplates; results are reused for up to 15 s per release. A cluster without Prometheus is `not-configured`, one whose Prometheus fails or is too slow `unavailable`; neither fails the answer.',
    answer: 'Health per cluster and release.',
    schema: 'CanaryHealthResponse',
  }),
} as const;
