import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import { cp, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

/**
 * Serves the GitHub URLs of one repository (`<url>/blob/<ref>/<path>`,
 * `<url>/tree/<ref>/<path>`) from a local checkout, whatever the ref. Nothing outside the
 * checkout is ever read.
 *
 * @public
 */
export class LocalCheckoutUrlReader implements UrlReaderService {
  private readonly root: string;
  private readonly prefix: string;

  constructor(options: { url: string; path: string }) {
    this.prefix = options.url.replace(/\/+$/, '');
    this.root = resolve(options.path);
  }

  /** Whether a URL belongs to the checkout. */
  handles(url: string): boolean {
    return /^\/(blob|tree)\/[^/]+\//.test(this.rest(url) ?? '');
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const path = this.localPath(url);
    const info = await stat(path).catch(() => {
      throw new NotFoundError(`${url} is not in the local checkout (${path})`);
    });
    const etag = String(info.mtimeMs);
    if (options?.etag === etag) throw new NotModifiedError();
    const buffer = await readFile(path);
    return {
      buffer: async () => buffer,
      etag,
      lastModifiedAt: info.mtime,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const dir = this.localPath(url);
    const files = await listFiles(dir).catch(() => {
      throw new NotFoundError(
        `${url} is not a folder of the local checkout (${dir})`,
      );
    });
    const mtimes = await Promise.all(files.map(f => stat(join(dir, f))));
    const etag = String(Math.max(0, ...mtimes.map(m => m.mtimeMs)));
    if (options?.etag === etag) throw new NotModifiedError();
    const kept = files.filter(f => !options?.filter || options.filter(f));
    return {
      etag,
      files: async () =>
        kept.map((path, i) => ({
          path,
          content: () => readFile(join(dir, path)),
          lastModifiedAt:
            mtimes[files.indexOf(path)]?.mtime ?? mtimes[i]?.mtime,
        })),
      dir: async dirOptions => {
        const target =
          dirOptions?.targetDir ??
          (await mkdtemp(join(tmpdir(), 'local-checkout-')));
        await cp(dir, target, {
          recursive: true,
          filter: src => {
            const rel = relative(dir, src);
            return (
              rel === '' ||
              !options?.filter ||
              options.filter(rel.split(sep).join('/'))
            );
          },
        });
        return target;
      },
      archive: async () => {
        throw new NotAllowedError(
          'the local checkout reader serves files and folders, not archives',
        );
      },
    };
  }

  /** The catalog reads locations through search; plain file URLs (no globs) are served. */
  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    if (/[*?[\]{}]/.test(this.rest(url) ?? '')) {
      throw new NotAllowedError(
        'the local checkout reader does not search with glob patterns',
      );
    }
    try {
      const res = await this.readUrl(url, { etag: options?.etag });
      return {
        etag: res.etag ?? '',
        files: [
          { url, content: res.buffer, lastModifiedAt: res.lastModifiedAt },
        ],
      };
    } catch (error) {
      if (error instanceof NotFoundError) return { etag: '', files: [] };
      throw error;
    }
  }

  toString() {
    return `local-checkout{url=${this.prefix},path=${this.root}}`;
  }

  private rest(url: string): string | undefined {
    return url.startsWith(`${this.prefix}/`)
      ? url.slice(this.prefix.length)
      : undefined;
  }

  private localPath(url: string): string {
    const match = this.rest(url)?.match(/^\/(?:blob|tree)\/[^/]+\/(.*)$/);
    if (!match)
      throw new NotAllowedError(`${url} is not a URL of ${this.prefix}`);
    const path = resolve(this.root, decodeURIComponent(match[1]));
    if (path !== this.root && !path.startsWith(this.root + sep)) {
      throw new NotAllowedError(`${url} points outside the local checkout`);
    }
    return path;
  }
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(e =>
      e.isDirectory()
        ? listFiles(join(dir, e.name), base)
        : Promise.resolve([
            relative(base, join(dir, e.name)).split(sep).join('/'),
          ]),
    ),
  );
  return nested.flat().sort();
}
