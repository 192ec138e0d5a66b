import { IncomingMessage, ServerResponse } from 'node:http';
import { ObjectStore, StoredEvent } from './ObjectStore';
import {
  FakeStatusError,
  RequestTarget,
  resourceOf,
  statusBody,
  writeJson,
} from './routing';
import { ObjectFilter, requestFilter } from './selectors';
import { FakeObject } from './types';

/*
 * List and watch as the API server serves them: lists in pages (`limit`/`continue`, every
 * page from the snapshot of the first), watches from a resourceVersion (history replayed,
 * `410 Gone` once compacted away), bookmarks for watches that allow them, `timeoutSeconds`.
 */

type Watcher = {
  resource: string;
  namespace?: string;
  filter: ObjectFilter;
  bookmarks: boolean;
  res: ServerResponse;
  timer?: NodeJS.Timeout;
};

type Snapshot = { items: FakeObject[]; revision: number; createdAt: number };

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/** Snapshots of paged lists nobody finished are dropped after this long. */
const SNAPSHOT_TTL_MS = 5 * 60_000;

export class ListWatch {
  private readonly watchers = new Set<Watcher>();
  private readonly snapshots = new Map<string, Snapshot>();
  private nextSnapshot = 1;
  private readonly bookmarkTimer?: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    options: { bookmarkIntervalMs?: number } = {},
  ) {
    this.unsubscribe = store.onChange(event => {
      for (const w of this.watchers) this.send(w, event);
    });
    if (options.bookmarkIntervalMs) {
      this.bookmarkTimer = setInterval(
        () => this.bookmark(),
        options.bookmarkIntervalMs,
      );
      this.bookmarkTimer.unref();
    }
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  /** Lists a resource: all of it, or a page of `limit` continued by `continue`. */
  list(res: ServerResponse, url: URL, target: RequestTarget) {
    const token = url.searchParams.get('continue');
    const limit = Number(url.searchParams.get('limit') ?? '0');
    let snapshot: Snapshot;
    let start = 0;
    let id: string;
    if (token) {
      const parsed = parseContinue(token);
      const found = parsed && this.snapshots.get(parsed.id);
      if (!parsed || !found) {
        throw new FakeStatusError(400, 'BadRequest', 'invalid continue token');
      }
      if (found.revision < this.store.compactedRevision) {
        this.snapshots.delete(parsed.id);
        throw new FakeStatusError(410, 'Expired', EXPIRED_CONTINUE);
      }
      ({ id, start } = parsed);
      snapshot = found;
    } else {
      const filter = requestFilter(url);
      snapshot = {
        items: this.store
          .list(target.resource, target.namespace)
          .filter(filter),
        revision: this.store.revision,
        createdAt: Date.now(),
      };
      id = String(this.nextSnapshot++);
    }
    const end = limit > 0 ? start + limit : snapshot.items.length;
    const items = snapshot.items.slice(start, end);
    const remaining =
      snapshot.items.length - Math.min(end, snapshot.items.length);
    if (remaining > 0) {
      this.dropStaleSnapshots();
      this.snapshots.set(id, snapshot);
    } else {
      this.snapshots.delete(id);
    }
    writeJson(res, 200, {
      apiVersion: target.apiVersion,
      kind: 'List',
      metadata: {
        resourceVersion: String(snapshot.revision),
        ...(remaining > 0 && {
          continue: Buffer.from(JSON.stringify({ id, start: end })).toString(
            'base64url',
          ),
          remainingItemCount: remaining,
        }),
      },
      items,
    });
  }

  /**
   * Watches a resource from `resourceVersion`: the changes after it are replayed, then live
   * ones follow. Without one (or `0`), the current objects come first as ADDED events. A
   * resourceVersion older than the history is answered with an ERROR event carrying a
   * 410 Status, and the watch ends, as the API server does.
   */
  watch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    target: RequestTarget,
  ) {
    const watcher: Watcher = {
      resource: target.resource,
      namespace: target.namespace,
      filter: requestFilter(url),
      bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
      res,
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    const from = url.searchParams.get('resourceVersion');
    if (!from || from === '0') {
      for (const object of this.store.list(target.resource, target.namespace)) {
        if (watcher.filter(object)) write(res, 'ADDED', object);
      }
    } else {
      const events = this.store.eventsSince(Number(from));
      if (events === 'expired') {
        const status = statusBody(
          410,
          'Expired',
          `too old resource version: ${from} (${
            this.store.compactedRevision + 1
          })`,
        );
        write(res, 'ERROR', status);
        res.end();
        return;
      }
      for (const event of events) this.send(watcher, event);
    }
    const seconds = Number(url.searchParams.get('timeoutSeconds') ?? '0');
    if (seconds > 0) {
      watcher.timer = setTimeout(() => this.end(watcher), seconds * 1000);
    }
    this.watchers.add(watcher);
    req.on('close', () => this.end(watcher));
  }

  /** Sends a BOOKMARK at the latest revision to every watch that allows bookmarks. */
  bookmark() {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      write(w.res, 'BOOKMARK', {
        kind: 'Bookmark',
        apiVersion: w.resource.slice(0, w.resource.lastIndexOf('/')),
        metadata: { resourceVersion: String(this.store.revision) },
      });
    }
  }

  /** Ends every open watch as a server does at its timeout: cleanly, nothing lost. */
  endWatches() {
    for (const w of [...this.watchers]) this.end(w);
  }

  /** Cuts every open watch's connection, as a dropped network does. */
  dropWatches() {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      clearTimeout(w.timer);
      w.res.socket?.destroy();
    }
  }

  close() {
    clearInterval(this.bookmarkTimer);
    this.unsubscribe();
    this.endWatches();
    this.snapshots.clear();
  }

  private end(w: Watcher) {
    if (!this.watchers.delete(w)) return;
    clearTimeout(w.timer);
    w.res.end();
  }

  /**
   * Sends a change to a watcher as the API server's filtered watch does: an object that
   * starts matching is ADDED, one that stops matching is DELETED.
   */
  private send(w: Watcher, event: StoredEvent) {
    const { object, previous } = event;
    if (
      resourceOf(object.apiVersion, object.kind) !== w.resource ||
      (w.namespace && w.namespace !== object.metadata.namespace)
    ) {
      return;
    }
    const now = w.filter(object);
    if (event.type !== 'MODIFIED' || !previous) {
      if (now) write(w.res, event.type, object);
      return;
    }
    const before = w.filter(previous);
    if (before && now) write(w.res, 'MODIFIED', object);
    else if (now) write(w.res, 'ADDED', object);
    else if (before) write(w.res, 'DELETED', object);
  }

  private dropStaleSnapshots() {
    const cutoff = Date.now() - SNAPSHOT_TTL_MS;
    for (const [id, s] of this.snapshots) {
      if (s.createdAt < cutoff) this.snapshots.delete(id);
    }
  }
}

function write(res: ServerResponse, type: string, object: unknown) {
  res.write(`${JSON.stringify({ type, object })}\n`);
}

function parseContinue(
  token: string,
): { id: string; start: number } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return typeof parsed?.id === 'string' && Number.isInteger(parsed?.start)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}
