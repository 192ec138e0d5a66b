import { Application } from './types';
import { copyJson } from './json';

/*
 * "Same spec" for an Application Runway wants versus the one Argo CD has: only the fields
 * Runway owns count —
 *   - `spec`, all of it: a field someone added by hand (ignoreDifferences, a second source)
 *     is a difference too, because an update replaces the whole spec;
 *   - the labels Runway sets (other labels are left alone);
 *   - the finalizers Runway sets (others are left alone).
 * Everything the server populates is ignored: status, operation, metadata.resourceVersion,
 * uid, generation, managedFields, annotations. Argo CD's API marshals Go structs with
 * `omitempty` and normalizes specs, so an absent field equals its zero value (false, 0, '',
 * [], null) and an empty `helm: {}` or `syncPolicy: {}` equals none; `{}` elsewhere is kept because it can mean
 * something (`automated: {}` turns automated sync on). With `destination.name` set, a
 * `destination.server` Argo CD inferred from it is ignored.
 */

type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NIL_WHEN_EMPTY = new Set([
  'syncPolicy',
  'helm',
  'kustomize',
  'directory',
]);

function isZero(value: Json): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    value === false ||
    value === 0 ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Drops zero-valued fields recursively, like Go's `omitempty`. Returns undefined for zero values. */
export function omitEmpty(value: Json, key?: string): Json {
  if (Array.isArray(value)) {
    const items = value.map(item => omitEmpty(item) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, omitEmpty(v, k)] as const)
      .filter(([, v]) => v !== undefined);
    // Argo CD turns an all-default syncPolicy or helm/kustomize/directory block into nil.
    if (entries.length === 0 && key !== undefined && NIL_WHEN_EMPTY.has(key)) {
      return undefined;
    }
    return Object.fromEntries(entries);
  }
  return isZero(value) ? undefined : value;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every(k => deepEqual(a[k], b[k]));
  }
  return false;
}

function collectDifferences(
  desired: Json,
  actual: Json,
  path: string,
  out: string[],
): void {
  if (isPlainObject(desired) && isPlainObject(actual)) {
    const keys = [
      ...new Set([...Object.keys(desired), ...Object.keys(actual)]),
    ].sort();
    for (const key of keys) {
      collectDifferences(desired[key], actual[key], `${path}.${key}`, out);
    }
    return;
  }
  if (!deepEqual(desired, actual)) out.push(path);
}

/**
 * The fields, as dotted paths (`spec.source.targetRevision`, `metadata.labels.team`,
 * `metadata.finalizers`), in which `actual` differs from `desired` among those Runway owns.
 * Empty when the Application is already as wanted. Pure.
 *
 * @public
 */
export function diffApplication(
  desired: Application,
  actual: Application,
): string[] {
  const differences: string[] = [];

  const desiredSpec = omitEmpty(desired.spec) as Record<string, Json>;
  const actualSpec = (omitEmpty(actual.spec) ?? {}) as Record<string, Json>;
  const desiredDestination = desiredSpec.destination as
    | Record<string, Json>
    | undefined;
  const actualDestination = actualSpec.destination as
    | Record<string, Json>
    | undefined;
  if (
    desiredDestination?.name !== undefined &&
    desiredDestination.server === undefined &&
    actualDestination?.name === desiredDestination.name
  ) {
    const { server: _inferred, ...rest } = actualDestination;
    actualSpec.destination = rest;
  }
  collectDifferences(desiredSpec, actualSpec, 'spec', differences);

  const actualLabels = actual.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(desired.metadata.labels ?? {})) {
    if (actualLabels[key] !== value) differences.push(`metadata.labels.${key}`);
  }

  const actualFinalizers = actual.metadata?.finalizers ?? [];
  if (
    (desired.metadata.finalizers ?? []).some(
      finalizer => !actualFinalizers.includes(finalizer),
    )
  ) {
    differences.push('metadata.finalizers');
  }
  return differences;
}

/**
 * The Application to PUT when updating `existing` to `desired`: the desired spec, the
 * existing metadata with the desired labels and finalizers merged in (labels, annotations and
 * finalizers others set are kept). Never sends status or operation. Pure.
 *
 * @public
 */
export function mergeForUpdate(
  existing: Application,
  desired: Application,
): Application {
  const finalizers = [...(existing.metadata.finalizers ?? [])];
  for (const finalizer of desired.metadata.finalizers ?? []) {
    if (!finalizers.includes(finalizer)) finalizers.push(finalizer);
  }
  return {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    metadata: {
      ...existing.metadata,
      labels: { ...existing.metadata.labels, ...desired.metadata.labels },
      ...(finalizers.length > 0 && { finalizers }),
    },
    spec: copyJson(desired.spec),
  };
}
