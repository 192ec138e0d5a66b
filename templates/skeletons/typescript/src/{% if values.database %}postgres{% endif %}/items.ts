// The items of the example API, in the items table.
import type { Pool } from 'pg';

import type { Item, ItemStore } from '../items/items.ts';

interface ItemRow {
  id: string; // bigint arrives as a string
  name: string;
  created_at: Date;
}

const toItem = (row: ItemRow): Item => ({ id: Number(row.id), name: row.name, createdAt: row.created_at });

/** An ItemStore in PostgreSQL. */
export class PgItemStore implements ItemStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async list(limit: number): Promise<Item[]> {
    const { rows } = await this.#pool.query<ItemRow>(
      'SELECT id, name, created_at FROM items ORDER BY id LIMIT $1',
      [limit],
    );
    return rows.map(toItem);
  }

  async get(id: number): Promise<Item | undefined> {
    const { rows } = await this.#pool.query<ItemRow>('SELECT id, name, created_at FROM items WHERE id = $1', [id]);
    return rows[0] && toItem(rows[0]);
  }

  async create(name: string): Promise<Item> {
    const { rows } = await this.#pool.query<ItemRow>(
      'INSERT INTO items (name) VALUES ($1) RETURNING id, name, created_at',
      [name],
    );
    const [row] = rows;
    if (!row) throw new Error('creating item: INSERT returned no row');
    return toItem(row);
  }
}
