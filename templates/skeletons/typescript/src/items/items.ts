// The example domain of the service: named items that the JSON API lists,
// reads and creates. Replace it with your own.

/** The longest item name accepted, in characters. */
export const MAX_NAME_LENGTH = 200;

/** A stored item. */
export interface Item {
  readonly id: number;
  readonly name: string;
  readonly createdAt: Date;
}

/** Persists items. */
export interface ItemStore {
  /** Up to limit items, oldest first. */
  list(limit: number): Promise<Item[]>;
  /** The item with id, or undefined when there is none. */
  get(id: number): Promise<Item | undefined>;
  /** Stores a new item named name, which validateName has accepted. */
  create(name: string): Promise<Item>;
}

export type NameCheck = { ok: true; name: string } | { ok: false; error: string };

/** The name without surrounding spaces, or why it is not acceptable. */
export function validateName(name: string): NameCheck {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, error: 'name is required' };
  // A lone surrogate (from a \ud800 escape in JSON) has no UTF-8 encoding.
  if (!trimmed.isWellFormed()) return { ok: false, error: 'name must be valid UTF-8' };
  // Characters are code points, as PostgreSQL's char_length counts them.
  if (Array.from(trimmed).length > MAX_NAME_LENGTH) {
    return { ok: false, error: `name must be at most ${MAX_NAME_LENGTH} characters` };
  }
  return { ok: true, name: trimmed };
}
