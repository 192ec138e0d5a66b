/*
 * The parts every route and response of the spec shares: the entity's path parameters,
 * the error answer, the GET of one entity's view, and the per-cluster response shape.
 */

/** Parameters and answers every entity route shares. */
export const entityParameters = [
  { in: 'path', name: 'namespace', required: true, schema: { type: 'string' } },
  { in: 'path', name: 'kind', required: true, schema: { type: 'string' } },
  { in: 'path', name: 'name', required: true, schema: { type: 'string' } },
] as const;

/** An error answer: `{ error: { name, message } }`. */
export const errorResponse = <D extends string>(description: D) =>
  ({
    description,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/Error' } },
    },
  } as const);

export const notFound = errorResponse(
  'No such entity, or the caller may not read it in the catalog.',
);

/** A reference to a schema of `components.schemas`. */
const ref = <N extends string>(name: N) =>
  ({ $ref: `#/components/schemas/${name}` } as {
    $ref: `#/components/schemas/${N}`;
  });

/** The GET of one entity's view (200 with the schema, 404 as for every entity route). */
export const entityGet = <S extends string>(options: {
  operationId: string;
  summary: string;
  description: string;
  /** What the 200 answer holds. */
  answer: string;
  schema: S;
}) =>
  ({
    get: {
      operationId: options.operationId,
      summary: options.summary,
      description: options.description,
      parameters: entityParameters,
      responses: {
        '200': {
          description: options.answer,
          content: { 'application/json': { schema: ref(options.schema) } },
        },
        '404': notFound,
      },
      security: [{}],
    },
  } as const);

/** `{ ready, desired }`: replicas of a track, instances of a database cluster. */
export const readyOfDesired = {
  type: 'object',
  required: ['ready', 'desired'],
  additionalProperties: false,
  properties: {
    ready: { type: 'integer' },
    desired: { type: 'integer' },
  },
} as const;

/** The properties every per-cluster entry starts with: its name, and why it could not be read. */
export const clusterProperties = {
  cluster: { type: 'string' },
  error: ref('ClusterError'),
} as const;

/** A per-cluster view of one entity: `{ entityRef, …extra, clusters: [cluster entry] }`. */
export const entityResponse = <
  C extends string,
  const E extends Record<string, { type: 'string' }> = {},
>(
  clusterSchema: C,
  extra: E = {} as E,
) =>
  ({
    type: 'object',
    required: [
      'entityRef',
      ...(Object.keys(extra) as Array<Extract<keyof E, string>>),
      'clusters',
    ],
    additionalProperties: false,
    properties: {
      entityRef: { type: 'string' },
      ...extra,
      clusters: { type: 'array', items: ref(clusterSchema) },
    },
  } as const);
