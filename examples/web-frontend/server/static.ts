/**
 * The built app's files, indexed once at start-up.
 *
 * Requests are answered by looking their path up in this index, never by
 * joining it to a directory: a path that is not the name of a file of the
 * build (../../etc/passwd, an encoded variant, a symlink target) cannot be
 * served. The image's file system is read-only, so the index stays true.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

export type Encoding = 'br' | 'gzip';

/** Preferred first when the client accepts several. */
const ENCODINGS: readonly { encoding: Encoding; suffix: string }[] = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
];

export interface FileVariant {
  /** Absolute path on disk. */
  readonly path: string;
  readonly size: number;
  /** Strong ETag, quoted. */
  readonly etag: string;
}

export interface StaticFile extends FileVariant {
  readonly contentType: string;
  /** Precompressed copies (X.br, X.gz next to X), by encoding. */
  readonly encoded: Readonly<Partial<Record<Encoding, FileVariant>>>;
}

/** URL path (/assets/index-abc123.js) → file. */
export type StaticIndex = ReadonlyMap<string, StaticFile>;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Indexes every regular file under root (symbolic links are skipped). X.br and
 * X.gz become encoded variants of X when X exists, and are not served alone.
 */
export async function indexStaticFiles(root: string): Promise<StaticIndex> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, FileVariant>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path);
    const urlPath = `/${relative(root, path).split(sep).join('/')}`;
    files.set(urlPath, { path, size: content.length, etag: etagOf(content) });
  }

  const index = new Map<string, StaticFile>();
  const variantPaths = new Set<string>();
  for (const [urlPath, file] of files) {
    const encoded: Partial<Record<Encoding, FileVariant>> = {};
    for (const { encoding, suffix } of ENCODINGS) {
      const variant = files.get(urlPath + suffix);
      if (variant) {
        encoded[encoding] = variant;
        variantPaths.add(urlPath + suffix);
      }
    }
    index.set(urlPath, { ...file, contentType: contentTypeOf(urlPath), encoded });
  }
  for (const path of variantPaths) index.delete(path);
  return index;
}

/** A strong ETag: a digest of the content. */
export function etagOf(content: Buffer): string {
  return `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
}

/**
 * The encoding to send: the first of br, gzip that the Accept-Encoding header
 * allows (q > 0) and the file has; undefined for the identity.
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  available: Readonly<Partial<Record<Encoding, unknown>>>,
): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = parseQualityList(acceptEncoding);
  for (const { encoding } of ENCODINGS) {
    if (available[encoding] === undefined) continue;
    const q = accepted.get(encoding) ?? accepted.get('*');
    if (q !== undefined && q > 0) return encoding;
  }
  return undefined;
}

/**
 * Whether an Accept header asks for HTML (text/html or text/*, q > 0): true
 * for browser navigations, false for fetch() calls, scripts, images and
 * tools that send * / * only.
 */
export function acceptsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const accepted = parseQualityList(accept);
  const q = accepted.get('text/html') ?? accepted.get('text/*');
  return q !== undefined && q > 0;
}

/** Parses "a;q=0.5, b" into a → 0.5, b → 1 (names lower-cased). */
export function parseQualityList(header: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=');
      if (key.trim().toLowerCase() === 'q') {
        const parsed = Number(value.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    result.set(name, q);
  }
  return result;
}
