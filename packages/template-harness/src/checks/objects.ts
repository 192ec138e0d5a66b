/*
 * How the checks name and pick rendered objects: one place for manifests.ts and delivery.ts.
 */
import type { RenderedObject } from '@runway/control-plane';

/** `Kind/name` of an object, as every problem names it (control-plane's dry-run names them so too). */
export { nameOf } from '@runway/control-plane';

/** The API group and version of an apiVersion (`apps/v1`; the core group is ''). */
export function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return { group, version };
}

/**
 * The objects of one kind, of one API group when `group` is given. Typed loosely: the checks
 * read fields of each kind without a schema type per kind.
 */
export function ofKind(
  objects: RenderedObject[],
  kind: string,
  group?: string,
): any[] {
  return objects.filter(
    o =>
      o.kind === kind &&
      (group === undefined ||
        splitApiVersion(o.apiVersion ?? '').group === group),
  );
}
