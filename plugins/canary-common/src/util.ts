/*
 * Small helpers shared by the parts of the status computation.
 */
import type { Labels } from './objects';

/** A namespaced object's identity. */
export type Ref = { namespace: string; name: string };

export function refOf(object: {
  metadata?: { name?: string; namespace?: string };
}): Ref {
  return {
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
}

export function qualified(kind: string, ref: Ref): string {
  return `${kind} ${ref.namespace}/${ref.name}`;
}

export function quoted(names: string[]): string {
  return names.map(n => `'${n}'`).join(', ');
}

export function formatLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Every label of the selector is on the object with the same value. */
export function selects(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

export function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
