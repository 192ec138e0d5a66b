/*
 * Pruning: objects are cut down to the fields Runway reads before the cluster-state layer
 * stores them. A shape names what stays: `true` keeps a value whole, an object keeps those
 * keys (recursively), and a shape applied to an array applies to each element. Pure.
 */

/** What of an object to keep. */
export type Shape = true | { [key: string]: Shape };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parts of `value` that `shape` names; undefined when none of them is there. */
export function pick(value: unknown, shape: Shape): unknown {
  if (shape === true || value === undefined || value === null) return value;
  // Elements keep their positions: one without any named field becomes `{}`.
  if (Array.isArray(value)) return value.map(item => pick(item, shape) ?? {});
  if (!isPlainObject(value)) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(shape)) {
    const picked = pick(value[key], shape[key]);
    if (picked !== undefined) {
      out ??= {};
      out[key] = picked;
    }
  }
  return out;
}

/** Annotations Runway reads: the controllers' revision and step bookkeeping. */
const KEPT_ANNOTATION_PREFIXES = [
  'rollout.argoproj.io/',
  'deployment.kubernetes.io/',
];

function keptAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (KEPT_ANNOTATION_PREFIXES.some(prefix => key.startsWith(prefix))) {
      out ??= {};
      out[key] = value;
    }
  }
  return out;
}

/** Metadata every stored object keeps; managedFields, finalizers and other annotations go. */
const METADATA: Shape = {
  name: true,
  namespace: true,
  uid: true,
  resourceVersion: true,
  generation: true,
  creationTimestamp: true,
  deletionTimestamp: true,
  labels: true,
  ownerReferences: {
    apiVersion: true,
    kind: true,
    name: true,
    uid: true,
    controller: true,
  },
};

/** A pod template: its labels and each container's name and image. */
export const POD_TEMPLATE: Shape = {
  metadata: { labels: true },
  spec: { containers: { name: true, image: true } },
};

/** An object pruned to `shape`, with the common metadata. */
export function prune(object: any, shape: Record<string, Shape>): any {
  const pruned = (pick(object, shape) as Record<string, unknown>) ?? {};
  const metadata = (pick(object?.metadata, METADATA) ?? {}) as Record<
    string,
    unknown
  >;
  const annotations = keptAnnotations(object?.metadata?.annotations);
  if (annotations) metadata.annotations = annotations;
  return {
    apiVersion: object?.apiVersion,
    kind: object?.kind,
    ...pruned,
    metadata,
  };
}
