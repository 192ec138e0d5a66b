import { isDeepStrictEqual } from 'node:util';
import {
  deletePath,
  FieldPath,
  fromFieldsV1,
  getPath,
  isPlainObject,
  leafPaths,
  managedFieldsTime,
  mergeInto,
  overlaps,
  toFieldsV1,
} from './managedFields';
import { ObjectStore } from './ObjectStore';
import { FakeStatusError, pluralOf, RequestTarget } from './routing';
import { FakeObject, ManagedFieldsEntry } from './types';

/*
 * Writes: server-side apply (`PATCH` with `application/apply-patch+yaml` and a
 * `fieldManager`: merge, `metadata.managedFields` per manager, no-op re-applies, 409
 * conflicts naming the fields another manager owns, `force`) and create (`POST`).
 */

export const APPLY_PATCH = 'application/apply-patch+yaml';

/** A write's answer: the status code and the object. */
export type WriteResult = { code: number; object: FakeObject };

export type WriteOptions = {
  /** Refuse namespaced objects in a namespace the store does not hold. */
  requireNamespaces?: boolean;
};

/** An object without the fields the server maintains, to tell whether an apply changed it. */
function userContent(object: FakeObject) {
  const { resourceVersion, managedFields, generation, ...metadata } =
    object.metadata;
  const { status, ...rest } = object;
  return { ...rest, metadata };
}

/** Whether an object changed outside metadata and status: what bumps `metadata.generation`. */
function specContent(object: FakeObject) {
  const { metadata, status, ...rest } = object;
  return rest;
}

/** Checks what the API server checks of a body: apiVersion, kind, name, namespace. */
function checkBody(
  store: ObjectStore,
  body: unknown,
  target: RequestTarget,
  options: WriteOptions,
): FakeObject {
  const bad = (message: string) =>
    new FakeStatusError(400, 'BadRequest', message);
  if (!isPlainObject(body) || !isPlainObject(body.metadata)) {
    throw bad('the body must be a Kubernetes object with metadata');
  }
  const obj = body as FakeObject;
  if (
    obj.apiVersion !== target.apiVersion ||
    typeof obj.kind !== 'string' ||
    pluralOf(obj.kind) !== target.plural
  ) {
    throw bad(
      `the body's apiVersion and kind (${obj.apiVersion} ${obj.kind}) do not match the resource (${target.apiVersion} ${target.plural})`,
    );
  }
  if (target.name !== undefined && obj.metadata.name !== target.name) {
    throw bad(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${target.name})`,
    );
  }
  if (
    obj.metadata.namespace !== undefined &&
    obj.metadata.namespace !== target.namespace
  ) {
    throw bad(
      `the namespace of the object (${obj.metadata.namespace}) does not match the namespace on the request (${target.namespace})`,
    );
  }
  if (
    options.requireNamespaces &&
    target.namespace &&
    !store.get('v1/namespaces', undefined, target.namespace)
  ) {
    throw new FakeStatusError(
      404,
      'NotFound',
      `namespaces "${target.namespace}" not found`,
      { name: target.namespace, kind: 'namespaces' },
    );
  }
  return obj;
}

/** `POST` of a new object; 409 AlreadyExists when it exists. */
export function create(
  store: ObjectStore,
  url: URL,
  body: unknown,
  target: RequestTarget,
  options: WriteOptions,
): WriteResult {
  const obj = structuredClone(checkBody(store, body, target, options));
  if (target.namespace) obj.metadata.namespace = target.namespace;
  if (store.get(target.resource, target.namespace, obj.metadata.name)) {
    throw new FakeStatusError(
      409,
      'AlreadyExists',
      `${target.plural} "${obj.metadata.name}" already exists`,
      { name: obj.metadata.name, kind: target.plural },
    );
  }
  obj.metadata.managedFields = [
    {
      manager: url.searchParams.get('fieldManager') ?? 'unknown',
      operation: 'Update',
      apiVersion: target.apiVersion,
      time: managedFieldsTime(),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(leafPaths(obj)),
    },
  ];
  obj.metadata.generation = 1;
  obj.metadata.creationTimestamp = new Date().toISOString();
  store.put(obj);
  return { code: 201, object: obj };
}

/** A server-side apply of `body` by the request's field manager. */
export function serverSideApply(
  store: ObjectStore,
  contentType: string,
  url: URL,
  body: unknown,
  target: RequestTarget & { name: string },
  options: WriteOptions,
): WriteResult {
  if (contentType !== APPLY_PATCH) {
    throw new FakeStatusError(
      415,
      'UnsupportedMediaType',
      `the fake serves only server-side apply patches (${APPLY_PATCH}), not ${
        contentType || 'no content type'
      }`,
    );
  }
  const manager = url.searchParams.get('fieldManager');
  if (!manager) {
    throw new FakeStatusError(
      400,
      'BadRequest',
      'PATCH, fieldManager: Required value: is required for apply patch',
    );
  }
  const force = url.searchParams.get('force') === 'true';
  const applied = checkBody(store, body, target, options);
  const existing = store.get(target.resource, target.namespace, target.name);
  const paths = leafPaths(applied);

  const managers = new Map<
    string,
    { entry: ManagedFieldsEntry; paths: FieldPath[] }
  >();
  for (const entry of existing?.metadata.managedFields ?? []) {
    managers.set(`${entry.manager}\u0000${entry.operation}`, {
      entry,
      paths: fromFieldsV1(entry.fieldsV1),
    });
  }
  const ownKey = `${manager}\u0000Apply`;
  const others = [...managers.entries()].filter(([k]) => k !== ownKey);

  // Conflicts: a field another manager owns, set here to a different value.
  const conflicts: { field: string; manager: string; apiVersion: string }[] =
    [];
  for (const path of paths) {
    const current = getPath(existing, path);
    if (current === undefined) continue;
    if (isDeepStrictEqual(current, getPath(applied, path))) continue;
    for (const [, other] of others) {
      if (other.paths.some(p => overlaps(p, path))) {
        conflicts.push({
          field: `.${path.join('.')}`,
          manager: other.entry.manager,
          apiVersion: other.entry.apiVersion,
        });
      }
    }
  }
  if (conflicts.length && !force) {
    const lines = conflicts.map(
      c => `conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`,
    );
    throw new FakeStatusError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} conflict${
        conflicts.length > 1 ? 's' : ''
      }: ${lines.join('\n')}`,
      {
        name: target.name,
        ...(target.apiGroup && { group: target.apiGroup }),
        kind: target.plural,
        causes: conflicts.map(c => ({
          type: 'FieldManagerConflict',
          message: `conflict with "${c.manager}" using ${c.apiVersion}`,
          field: c.field,
        })),
      },
    );
  }

  const result: FakeObject = existing
    ? structuredClone(existing)
    : {
        apiVersion: target.apiVersion,
        kind: applied.kind,
        metadata: {
          name: target.name,
          ...(target.namespace && { namespace: target.namespace }),
        },
      };
  // Fields this manager applied before and no longer does go, unless someone else owns them.
  const previous = managers.get(ownKey)?.paths ?? [];
  for (const path of previous) {
    const stillApplied = paths.some(p => overlaps(p, path));
    const ownedByOthers = others.some(([, o]) =>
      o.paths.some(p => overlaps(p, path)),
    );
    if (!stillApplied && !ownedByOthers) deletePath(result, path);
  }
  const { apiVersion, kind, status, ...content } = applied;
  const { name, namespace, ...metadata } = applied.metadata;
  mergeInto(result, { ...content, metadata });
  if (force) {
    for (const [, other] of others) {
      other.paths = other.paths.filter(p => !paths.some(q => overlaps(p, q)));
    }
  }

  const unchanged =
    existing &&
    isDeepStrictEqual(userContent(existing), userContent(result)) &&
    isDeepStrictEqual(
      previous.map(p => p.join('.')).sort(),
      paths.map(p => p.join('.')).sort(),
    ) &&
    !force;
  if (unchanged) return { code: 200, object: existing };

  managers.set(ownKey, {
    entry: {
      manager,
      operation: 'Apply',
      apiVersion: target.apiVersion,
      time: managedFieldsTime(),
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    },
    paths,
  });
  result.metadata.managedFields = [...managers.values()]
    .filter(m => m.paths.length > 0)
    .map(m => ({ ...m.entry, fieldsV1: toFieldsV1(m.paths) }));
  if (!existing) {
    result.metadata.generation = 1;
    result.metadata.creationTimestamp = new Date().toISOString();
  } else if (!isDeepStrictEqual(specContent(existing), specContent(result))) {
    result.metadata.generation = Number(existing.metadata.generation ?? 1) + 1;
  }
  store.put(result);
  return { code: existing ? 200 : 201, object: result };
}
