import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AddressInfo } from 'node:net';

/** One request that went through the proxy, with its body as sent. */
export type ProxiedRequest = {
  method: string;
  path: string;
  contentType?: string;
  /** The body as sent on the wire, parsed from JSON. */
  body?: unknown;
  status?: number;
};

/**
 * A plain-HTTP proxy in front of a real API server (HTTPS), recording every request with
 * its body: the control plane's audit log is at Metadata level (no bodies), so this is
 * how a test sees the exact patch a client sent. Watches stream through.
 */
export class RecordingProxy {
  readonly requests: ProxiedRequest[] = [];
  #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(target: { url: string; caData: string }) {
    const upstream = new URL(target.url);
    let proxy: RecordingProxy | undefined = undefined;
    const server = createServer((req, res) =>
      proxy!.forward(req, res, upstream, target.caData),
    );
    proxy = new RecordingProxy(server);
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    return proxy;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The requests recorded since the last call. */
  take(): ProxiedRequest[] {
    return this.requests.splice(0, this.requests.length);
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    upstream: URL,
    ca: string,
  ) {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const recorded: ProxiedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
      };
      if (raw.length) {
        recorded.contentType = req.headers['content-type'];
        recorded.body = JSON.parse(raw.toString('utf8'));
      }
      this.requests.push(recorded);
      const out = httpsRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          ca,
        },
        upstreamRes => {
          recorded.status = upstreamRes.statusCode;
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      out.on('error', error => {
        if (!res.headersSent) res.writeHead(502);
        res.end(String(error));
      });
      out.end(raw);
    });
  }
}
