/** Parameters and answers every entity route shares. */
export const entityParameters = [
  { in: 'path', name: 'namespace', required: true, schema: { type: 'string' } },
  { in: 'path', name: 'kind', required: true, schema: { type: 'string' } },
  { in: 'path', name: 'name', required: true, schema: { type: 'string' } },
] as const;

export const notFound = {
  description: 'No such entity, or the caller may not read it in the catalog.',
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/Error' },
    },
  },
} as const;
