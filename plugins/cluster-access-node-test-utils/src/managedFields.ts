/*
 * Field sets as server-side apply tracks them: the leaf paths an applied configuration sets,
 * and their `fieldsV1` form in `metadata.managedFields`. Lists are atomic here, as most lists
 * of the CRDs Runway applies are.
 */

export type FieldPath = string[];

/** Top-level and metadata fields the server owns: never part of a manager's field set. */
const SERVER_FIELDS = new Set([
  'apiVersion',
  'kind',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.managedFields',
]);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaf paths of an applied configuration. */
export function leafPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    return prefix.length ? [prefix] : [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, key];
    return SERVER_FIELDS.has(path.join('.')) ? [] : leafPaths(child, path);
  });
}

/** Field paths → the `fieldsV1` form the API server stores in managedFields. */
export function toFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      node[`f:${key}`] ??= {};
      node = node[`f:${key}`];
    }
  }
  return root;
}

/** `fieldsV1` → field paths (list item keys `k:`/`v:` make their list a leaf). */
export function fromFieldsV1(
  fields: unknown,
  prefix: FieldPath = [],
): FieldPath[] {
  const entries = isPlainObject(fields)
    ? Object.entries(fields).filter(([key]) => key.startsWith('f:'))
    : [];
  if (entries.length === 0) return prefix.length ? [prefix] : [];
  return entries.flatMap(([key, child]) =>
    fromFieldsV1(child, [...prefix, key.slice(2)]),
  );
}

/** Whether one path contains the other. */
export const overlaps = (a: FieldPath, b: FieldPath) => {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((key, i) => key === b[i]);
};

export function getPath(object: unknown, path: FieldPath): unknown {
  let node: unknown = object;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

export function deletePath(object: Record<string, unknown>, path: FieldPath) {
  const parent = getPath(object, path.slice(0, -1));
  if (isPlainObject(parent)) delete parent[path[path.length - 1]];
}

/** Server-side apply's merge for atomic lists: maps merge key by key, everything else replaces. */
export function mergeInto(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
) {
  for (const [key, value] of Object.entries(patch)) {
    if (isPlainObject(value) && isPlainObject(target[key])) {
      mergeInto(target[key] as Record<string, unknown>, value);
    } else {
      target[key] = structuredClone(value);
    }
  }
}

/** A managedFields timestamp: RFC 3339 to the second. */
export const managedFieldsTime = () =>
  new Date().toISOString().replace(/\.\d+Z$/, 'Z');
