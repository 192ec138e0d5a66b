import type { Item, ItemStore } from './items.ts';

/**
 * Keeps items in process memory. Its data is lost on restart and not shared
 * between replicas: fine for tests and demos, not for real data.
 */
export class MemoryStore implements ItemStore {
  readonly #items: Item[] = [];

  list(limit: number): Promise<Item[]> {
    return Promise.resolve(this.#items.slice(0, limit));
  }

  get(id: number): Promise<Item | undefined> {
    // Ids are 1, 2, 3, … in insertion order.
    return Promise.resolve(Number.isInteger(id) && id >= 1 ? this.#items[id - 1] : undefined);
  }

  create(name: string): Promise<Item> {
    const item: Item = { id: this.#items.length + 1, name, createdAt: new Date() };
    this.#items.push(item);
    return Promise.resolve(item);
  }
}
