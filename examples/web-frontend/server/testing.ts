/**
 * Helpers for the server's tests (not part of the build): a throwaway build
 * folder, raw HTTP requests and a log capture.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/index-Bx3k9.js"></script></head><body><div id="root"></div></body></html>';
export const APP_JS = `console.log(${JSON.stringify('x'.repeat(2000))});`;
export const SECRET = 'top secret, outside the build';

export interface TestBuild {
  /** The folder to serve (like dist/public). */
  root: string;
  cleanup: () => Promise<void>;
}

/**
 * Writes a small build: index.html, a hashed script with .br and .gz copies,
 * a stylesheet, a favicon, and next to the build a secret file and a symlink
 * to it inside the build, which must never be served.
 */
export async function createTestBuild(): Promise<TestBuild> {
  const base = await mkdtemp(join(tmpdir(), 'web-server-test-'));
  const root = join(base, 'public');
  const files: Record<string, string | Buffer> = {
    'index.html': INDEX_HTML,
    'assets/index-Bx3k9.js': APP_JS,
    'assets/index-Bx3k9.js.br': brotliCompressSync(APP_JS),
    'assets/index-Bx3k9.js.gz': gzipSync(APP_JS),
    'assets/index-Qm7a1.css': 'body{margin:0}',
    'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  await writeFile(join(base, 'secret.txt'), SECRET);
  await symlink(join(base, 'secret.txt'), join(root, 'linked-secret.txt'));
  return { root, cleanup: () => rm(base, { recursive: true, force: true }) };
}

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** Sends a request with the path exactly as given (fetch would normalize ../). */
export function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; agent?: Agent } = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        // A connection of its own per request, unless the test brings an agent.
        agent: options.agent ?? false,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Collects JSON log lines. */
export function captureLogs() {
  const lines: string[] = [];
  return {
    write: (line: string) => {
      lines.push(line);
    },
    records: () => lines.map(line => JSON.parse(line) as Record<string, unknown>),
  };
}
