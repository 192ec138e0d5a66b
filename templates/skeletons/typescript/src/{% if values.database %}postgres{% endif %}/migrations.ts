// The schema changes, applied in order by migrate() at start-up, each once.
// Add a migration at the end with the next version; never edit one that has
// been applied.
import type { Migration } from './migrate.ts';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create_items',
    sql: `
      CREATE TABLE items (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
