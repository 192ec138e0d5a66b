import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A fetch-style handler: what the fakes are, whether msw or a real server calls them.
 *
 * @public
 */
export type FetchHandler = (request: Request) => Promise<Response>;

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method,
    headers,
    body: body.length > 0 ? body : undefined,
  });
}

async function send(res: ServerResponse, response: Response) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A fetch-style handler behind a real HTTP server on a free loopback port, for tests of a
 * whole backend (which msw cannot intercept from another process).
 *
 * @public
 */
export class LoopbackServer {
  #server?: Server;

  constructor(private readonly handle: FetchHandler) {}

  /** The server's base URL, once started. */
  get url(): string {
    const address = this.#server?.address() as AddressInfo | null;
    if (!address) throw new Error('the fake server is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      toRequest(req, this.url)
        .then(this.handle)
        .then(response => send(res, response))
        .catch(error => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        });
    });
    await new Promise<void>(resolve =>
      this.#server!.listen(0, '127.0.0.1', resolve),
    );
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server)
      await new Promise<void>(resolve => server.close(() => resolve()));
  }
}
