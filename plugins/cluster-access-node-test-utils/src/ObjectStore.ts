import { resourceOf } from './routing';
import { FakeObject } from './types';

const keyOf = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A change, as a watch sends it. */
export type StoredEvent = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: FakeObject;
  /** The revision the change made (the object's resourceVersion). */
  revision: number;
  /** The version it replaced (MODIFIED), to tell watchers when it starts or stops matching. */
  previous?: FakeObject;
};

/**
 * The fake's etcd: objects per resource type, one revision counter for all of them (every
 * change bumps it and becomes the object's `resourceVersion`), and the history of changes a
 * watch replays, until compacted. Stored objects are never changed in place.
 */
export class ObjectStore {
  /** The latest revision. */
  revision = 1;
  /** History up to and including this revision is gone (`410 Gone` for older watches). */
  compactedRevision = 0;
  private readonly objects = new Map<string, Map<string, FakeObject>>();
  private readonly served = new Set<string>(['v1/namespaces']);
  private history: StoredEvent[] = [];
  private readonly listeners = new Set<(event: StoredEvent) => void>();

  /**
   * @param historyLimit - changes kept for watches to replay; older ones are compacted away
   *   as the API server's watch cache and etcd compaction drop them.
   */
  constructor(private readonly historyLimit = 10_000) {}

  /** Serve a resource type with no objects (so it lists as empty rather than 404). */
  serve(resource: string) {
    this.served.add(resource);
  }

  isServed(resource: string): boolean {
    return this.served.has(resource);
  }

  get(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): FakeObject | undefined {
    return this.objects.get(resource)?.get(keyOf(namespace, name));
  }

  /** The objects of a resource type (of one namespace), in key order as etcd lists them. */
  list(resource: string, namespace?: string): FakeObject[] {
    const all = [...(this.objects.get(resource)?.values() ?? [])];
    return all
      .filter(
        o => namespace === undefined || o.metadata.namespace === namespace,
      )
      .sort((a, b) =>
        compare(
          keyOf(a.metadata.namespace, a.metadata.name),
          keyOf(b.metadata.namespace, b.metadata.name),
        ),
      );
  }

  /** How many objects it holds. */
  get size(): number {
    let n = 0;
    for (const objects of this.objects.values()) n += objects.size;
    return n;
  }

  /**
   * Stores a new version of an object (given as the store may keep it): sets its
   * resourceVersion and uid, records and announces the change.
   */
  put(object: FakeObject): StoredEvent {
    const resource = resourceOf(object.apiVersion, object.kind);
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    let objects = this.objects.get(resource);
    if (!objects) {
      objects = new Map();
      this.objects.set(resource, objects);
    }
    const existing = objects.get(key);
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    object.metadata.uid = existing?.metadata.uid ?? `uid-${resource}/${key}`;
    objects.set(key, object);
    this.served.add(resource);
    return this.record({
      type: existing ? 'MODIFIED' : 'ADDED',
      object,
      revision: this.revision,
      ...(existing && { previous: existing }),
    });
  }

  /** Deletes an object; the DELETED event carries it at the revision of its deletion. */
  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): StoredEvent | undefined {
    const objects = this.objects.get(resource);
    const key = keyOf(namespace, name);
    const existing = objects?.get(key);
    if (!objects || !existing) return undefined;
    objects.delete(key);
    this.revision += 1;
    const object = structuredClone(existing);
    object.metadata.resourceVersion = String(this.revision);
    return this.record({ type: 'DELETED', object, revision: this.revision });
  }

  /** Every change after `revision`, or 'expired' when history no longer reaches back there. */
  eventsSince(revision: number): StoredEvent[] | 'expired' {
    if (revision < this.compactedRevision) return 'expired';
    const first = this.history.findIndex(e => e.revision > revision);
    return first < 0 ? [] : this.history.slice(first);
  }

  /** Drops the history up to now, as an etcd compaction does. Returns the revision. */
  compact(): number {
    this.history = [];
    this.compactedRevision = this.revision;
    return this.revision;
  }

  /** Calls the listener with every change from now on; returns how to stop. */
  onChange(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(event: StoredEvent): StoredEvent {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(
        0,
        this.history.length - this.historyLimit,
      );
      this.compactedRevision = dropped[dropped.length - 1].revision;
    }
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
