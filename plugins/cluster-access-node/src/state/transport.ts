import { KubeConfig } from '@kubernetes/client-node';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';

/*
 * The two requests the cluster-state layer makes, over the KubeConfig's credentials and
 * TLS settings: a list page (JSON) and a watch (newline-delimited JSON events). Failures
 * carry what the shared error mapping reads: `code` (HTTP status) and `body` (the API
 * server's Status), or a network error's system `code`.
 */

/** A request the API server answered with a failure status. */
export class KubernetesHttpError extends Error {
  constructor(readonly code: number, readonly body: unknown) {
    super(
      `HTTP ${code}${
        (body as { message?: string })?.message
          ? `: ${(body as { message: string }).message}`
          : ''
      }`,
    );
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

async function open(
  kc: KubeConfig,
  path: string,
  query: Query,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<IncomingMessage> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the KubeConfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const opts: any = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      agent: opts.agent,
      headers: { ...opts.headers, accept: 'application/json' },
      signal: options.signal,
    });
    // No byte for this long: the connection is taken as dead.
    req.setTimeout(options.timeoutMs, () =>
      req.destroy(
        Object.assign(new Error('the API server stopped answering'), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    req.on('error', reject);
    req.on('response', async res => {
      if (res.statusCode === 200) {
        resolve(res);
        return;
      }
      try {
        const text = await readAll(res);
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (a proxy's page): kept as text, the error mapping ignores it
        }
        reject(new KubernetesHttpError(res.statusCode ?? 0, body));
      } catch (error) {
        reject(error);
      }
    });
    req.end();
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs a path and parses its JSON answer. */
export async function getJson(
  kc: KubeConfig,
  path: string,
  query: Query,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<any> {
  const res = await open(kc, path, query, options);
  return JSON.parse(await readAll(res));
}

/**
 * Watches a path: calls `onEvent` with each event until the server ends the stream
 * (resolves) or the connection fails (rejects).
 */
export async function watch(
  kc: KubeConfig,
  path: string,
  query: Query,
  onEvent: (event: { type: string; object: any }) => void,
  options: { idleTimeoutMs: number; signal?: AbortSignal; onOpen?: () => void },
): Promise<void> {
  const res = await open(
    kc,
    path,
    { ...query, watch: true },
    {
      timeoutMs: options.idleTimeoutMs,
      signal: options.signal,
    },
  );
  options.onOpen?.();
  const lines = createInterface({ input: res, crlfDelay: Infinity });
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      reject(error);
    };
    res.on('error', fail);
    // readline re-emits its input's errors: without a listener they would be uncaught.
    lines.on('error', fail);
    lines.on('line', line => {
      if (!line.trim()) return;
      let event: any;
      try {
        event = JSON.parse(line);
      } catch {
        return; // a torn line of a cut connection; the error follows
      }
      try {
        onEvent(event);
      } catch (error) {
        failed = true;
        res.destroy();
        reject(error);
      }
    });
    lines.on('close', () => {
      if (failed) return;
      if (res.complete) resolve();
      else
        reject(
          Object.assign(new Error('the watch connection was cut'), {
            code: 'ECONNRESET',
          }),
        );
    });
  });
}
