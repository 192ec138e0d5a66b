// The example items API: GET /api/items, GET /api/items/:id, POST /api/items.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { validateName, type ItemStore } from '../items/items.ts';
import { sendError, internalError } from './errors.ts';

/** The page size of GET /api/items, and its default. */
export const MAX_LIST_LIMIT = 100;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The limit query parameter: absent or empty means MAX_LIST_LIMIT. */
export function parseLimit(value: string | string[] | undefined): Parsed<number> {
  const text = Array.isArray(value) ? value[0] : value; // the first one counts, as in Go
  if (text === undefined || text === '') return { ok: true, value: MAX_LIST_LIMIT };
  const n = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  return n >= 1 && n <= MAX_LIST_LIMIT
    ? { ok: true, value: n }
    : { ok: false, error: `limit must be a number from 1 to ${MAX_LIST_LIMIT}` };
}

/** An item id path parameter. */
export function parseId(text: string): Parsed<number> {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? { ok: true, value: n } : { ok: false, error: 'id must be a positive integer' };
}

/** The name from a POST /api/items body, like {"name": "apple"}, validated. */
export function parseCreateItem(body: unknown): Parsed<string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'body must be a JSON object' };
  }
  const unknown = Object.keys(body).find(key => key !== 'name');
  if (unknown !== undefined) return { ok: false, error: `invalid JSON body: unknown field ${JSON.stringify(unknown)}` };
  const { name = '' } = body as { name?: unknown };
  if (typeof name !== 'string') return { ok: false, error: 'name must be a string' };
  const checked = validateName(name);
  return checked.ok ? { ok: true, value: checked.name } : checked;
}

/** The media type of a Content-Type header, lower case and without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/** Answers 415 before the body is read unless it is JSON. */
function requireJson(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (mediaType(request.headers['content-type']) !== 'application/json') {
    sendError(reply, 415, 'Content-Type must be application/json');
    return;
  }
  done();
}

export function registerItemRoutes(app: FastifyInstance, store: ItemStore): void {
  app.get<{ Querystring: { limit?: string | string[] } }>('/api/items', async (request, reply) => {
    const limit = parseLimit(request.query.limit);
    if (!limit.ok) return sendError(reply, 400, limit.error);
    try {
      return { items: await store.list(limit.value) };
    } catch (error) {
      return internalError(request, reply, 'listing items', error);
    }
  });

  app.get<{ Params: { id: string } }>('/api/items/:id', async (request, reply) => {
    const id = parseId(request.params.id);
    if (!id.ok) return sendError(reply, 400, id.error);
    let item;
    try {
      item = await store.get(id.value);
    } catch (error) {
      return internalError(request, reply, 'reading item', error);
    }
    return item ?? sendError(reply, 404, 'item not found');
  });

  app.post('/api/items', { onRequest: requireJson }, async (request, reply) => {
    const name = parseCreateItem(request.body);
    if (!name.ok) return sendError(reply, 400, name.error);
    try {
      const item = await store.create(name.value);
      void reply.code(201).header('location', `/api/items/${item.id}`);
      return item;
    } catch (error) {
      return internalError(request, reply, 'creating item', error);
    }
  });
}
