import { clusterProperties, entityResponse, readyOfDesired } from './common';

/** The database card's response schemas (plugins/canary-common/src/database/types.ts). */
export const databaseSchemas = {
  PostgresCluster: {
    type: 'object',
    required: [
      'namespace',
      'name',
      'shared',
      'phase',
      'health',
      'instances',
      'archiving',
      'databases',
      'problems',
    ],
    additionalProperties: false,
    properties: {
      namespace: { type: 'string' },
      name: { type: 'string' },
      shared: { type: 'boolean' },
      phase: { type: 'string' },
      phaseReason: { type: 'string' },
      health: {
        type: 'string',
        enum: ['healthy', 'progressing', 'degraded', 'failed'],
      },
      instances: readyOfDesired,
      primary: { type: 'string' },
      image: { type: 'string' },
      postgresVersion: { type: 'string' },
      storageSize: { type: 'string' },
      archiving: {
        type: 'object',
        required: ['state'],
        additionalProperties: false,
        properties: {
          state: {
            type: 'string',
            enum: ['ok', 'failing', 'not-configured', 'unknown'],
          },
          message: { type: 'string' },
        },
      },
      lastSuccessfulBackup: {
        type: 'object',
        required: ['completedAt', 'ageSeconds'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          completedAt: { type: 'string', format: 'date-time' },
          ageSeconds: { type: 'integer' },
        },
      },
      nextScheduledBackup: { type: 'string', format: 'date-time' },
      certificateExpiry: {
        type: 'object',
        required: ['name', 'expiresAt', 'daysLeft'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          expiresAt: { type: 'string', format: 'date-time' },
          daysLeft: { type: 'integer' },
        },
      },
      databases: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string' },
            owner: { type: 'string' },
            applied: { type: 'boolean' },
            message: { type: 'string' },
          },
        },
      },
      problems: {
        type: 'array',
        items: { $ref: '#/components/schemas/Problem' },
      },
    },
  },
  ClusterDatabases: {
    type: 'object',
    required: ['cluster', 'databases'],
    additionalProperties: false,
    properties: {
      ...clusterProperties,
      syncing: { type: 'boolean' },
      databases: {
        type: 'array',
        items: { $ref: '#/components/schemas/PostgresCluster' },
      },
    },
  },
  DatabaseStatusResponse: entityResponse('ClusterDatabases'),
} as const;
