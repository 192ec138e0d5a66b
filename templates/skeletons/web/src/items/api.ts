/**
 * The client of the backend's example API (${{ values.backendName }}):
 *
 *   GET  {apiBaseUrl}/items?limit=n  →  200 {"items": [{"id", "name", "createdAt"}, ...]}
 *   POST {apiBaseUrl}/items {"name"} →  201 {"id", "name", "createdAt"}
 *   errors                           →  4xx/5xx {"error": "..."}
 *
 * Responses are checked at run time: a backend that answers something else
 * (an HTML error page from a proxy, a changed API) gives a clear error instead
 * of a broken page.
 */

export interface Item {
  readonly id: number | string;
  readonly name: string;
  /** RFC 3339 timestamp. */
  readonly createdAt: string;
}

/** The longest name the backend accepts, in characters. */
export const MAX_NAME_LENGTH = 200;
/** The most items the backend returns at once. */
export const MAX_LIST_LIMIT = 100;

/** A failed API call; message is meant for the user. */
export class ApiError extends Error {
  /** The HTTP status, or undefined when the server could not be reached. */
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
  }
}

export interface ItemsClient {
  /** Lists up to limit items, oldest first. */
  list(options?: { limit?: number; signal?: AbortSignal }): Promise<Item[]>;
  /** Creates an item named name (validate it with validateName first). */
  create(name: string, options?: { signal?: AbortSignal }): Promise<Item>;
}

/**
 * Checks a name as the backend does: required once trimmed, at most
 * MAX_NAME_LENGTH characters. Returns the message to show, or undefined when
 * the name is fine.
 */
export function validateName(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Name is required.';
  // The backend counts Unicode code points (Go's utf8.RuneCountInString): so does spreading.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  const length = [...trimmed].length;
  if (length > MAX_NAME_LENGTH) {
    return `Name must be at most ${String(MAX_NAME_LENGTH)} characters (it has ${String(length)}).`;
  }
  return undefined;
}

export function createItemsClient(apiBaseUrl: string, fetchFn: typeof fetch): ItemsClient {
  const itemsUrl = `${apiBaseUrl.replace(/\/+$/, '')}/items`;

  const call = async (url: string, init: RequestInit): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetchFn(url, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiError('The server could not be reached. Check your connection and try again.', undefined, {
        cause: error,
      });
    }
    const body = await readJson(response);
    if (!response.ok) {
      const message = errorMessageOf(body) ?? `The server answered with HTTP ${String(response.status)}.`;
      throw new ApiError(message, response.status);
    }
    if (body === undefined) throw unexpected(response.status);
    return body;
  };

  return {
    async list({ limit = MAX_LIST_LIMIT, signal } = {}) {
      const body = await call(`${itemsUrl}?limit=${String(limit)}`, {
        headers: { Accept: 'application/json' },
        signal,
      });
      if (!isRecord(body) || !Array.isArray(body.items) || !body.items.every(isItem)) {
        throw unexpected(200);
      }
      return body.items;
    },
    async create(name, { signal } = {}) {
      const body = await call(itemsUrl, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
        signal,
      });
      if (!isItem(body)) throw unexpected(201);
      return body;
    },
  };
}

/** The message to show for any error thrown while calling the API. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Try again.';
}

/** The parsed JSON body, or undefined when there is none or it is not JSON. */
async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return undefined;
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function errorMessageOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body.error === 'string' && body.error !== '' ? body.error : undefined;
}

function unexpected(status: number): ApiError {
  return new ApiError('The server sent an unexpected response.', status);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isItem(value: unknown): value is Item {
  return (
    isRecord(value) &&
    (typeof value.id === 'number' || typeof value.id === 'string') &&
    typeof value.name === 'string' &&
    typeof value.createdAt === 'string'
  );
}
