import {
  LabelSelectorRequirement,
  matchesLabelSelector,
} from '@runway/plugin-runway-common';

type Indexer = (object: any) => string[];

const labelIndexName = (key: string) => `label:${key}`;

/** The store key of an object: `<namespace>/<name>`. */
export const objectKey = (object: any) =>
  `${object?.metadata?.namespace ?? ''}/${object?.metadata?.name ?? ''}`;

/**
 * The objects of one kind in one cluster, by `<namespace>/<name>`, with indexes: the
 * kind's own (owner, CloudNativePG cluster) and one per label key, built the first time a
 * lookup needs it and kept up to date from then on. Objects are stored as given and never
 * changed; an update replaces the object.
 */
export class ObjectIndex {
  private readonly objects = new Map<string, any>();
  private readonly indexes = new Map<
    string,
    { indexer: Indexer; entries: Map<string, Set<string>> }
  >();

  constructor(
    indexers: Record<string, Indexer> = {},
    labelKeys: string[] = [],
  ) {
    for (const [name, indexer] of Object.entries(indexers)) {
      this.addIndex(name, indexer);
    }
    for (const key of labelKeys) this.labelIndex(key);
  }

  get size(): number {
    return this.objects.size;
  }

  get(namespace: string | undefined, name: string): any {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }

  /** Adds or replaces an object. */
  upsert(object: any) {
    const key = objectKey(object);
    const previous = this.objects.get(key);
    if (previous) this.unindex(key, previous);
    this.objects.set(key, object);
    this.index(key, object);
  }

  /** Removes an object (by its namespace and name). */
  delete(object: any) {
    const key = objectKey(object);
    const previous = this.objects.get(key);
    if (!previous) return;
    this.objects.delete(key);
    this.unindex(key, previous);
  }

  values(): IterableIterator<any> {
    return this.objects.values();
  }

  /** The objects an index holds under a value. */
  byIndex(name: string, value: string): any[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index '${name}'`);
    return this.resolve(index.entries.get(value));
  }

  /** The objects whose label `key` is `value`. */
  byLabel(key: string, value: string): any[] {
    return this.resolve(this.labelIndex(key).entries.get(value));
  }

  /**
   * The objects a parsed label selector matches, optionally in one namespace: through the
   * index of its first `=`/`in` requirement when it has one, else by a scan.
   */
  select(
    requirements: readonly LabelSelectorRequirement[],
    namespace?: string,
  ): any[] {
    const indexed = requirements.find(r => r.operator === 'In');
    const candidates =
      indexed && indexed.operator === 'In'
        ? [...new Set(indexed.values)].flatMap(v =>
            this.byLabel(indexed.key, v),
          )
        : [...this.objects.values()];
    return candidates.filter(
      o =>
        (namespace === undefined || o.metadata?.namespace === namespace) &&
        matchesLabelSelector(requirements, o.metadata?.labels),
    );
  }

  private labelIndex(key: string) {
    const name = labelIndexName(key);
    const existing = this.indexes.get(name);
    if (existing) return existing;
    return this.addIndex(name, o => {
      const value = o?.metadata?.labels?.[key];
      return value === undefined ? [] : [value];
    });
  }

  private addIndex(name: string, indexer: Indexer) {
    const index = { indexer, entries: new Map<string, Set<string>>() };
    this.indexes.set(name, index);
    for (const [key, object] of this.objects) {
      for (const value of indexer(object)) add(index.entries, value, key);
    }
    return index;
  }

  private index(key: string, object: any) {
    for (const { indexer, entries } of this.indexes.values()) {
      for (const value of indexer(object)) add(entries, value, key);
    }
  }

  private unindex(key: string, object: any) {
    for (const { indexer, entries } of this.indexes.values()) {
      for (const value of indexer(object)) {
        const keys = entries.get(value);
        keys?.delete(key);
        if (keys?.size === 0) entries.delete(value);
      }
    }
  }

  private resolve(keys: Set<string> | undefined): any[] {
    if (!keys) return [];
    const out: any[] = [];
    for (const key of keys) {
      const object = this.objects.get(key);
      if (object) out.push(object);
    }
    return out;
  }
}

function add(entries: Map<string, Set<string>>, value: string, key: string) {
  let keys = entries.get(value);
  if (!keys) {
    keys = new Set();
    entries.set(value, keys);
  }
  keys.add(key);
}
