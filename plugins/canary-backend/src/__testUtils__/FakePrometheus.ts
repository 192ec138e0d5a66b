import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * How the fake answers one query: a value (null: empty vector) with Prometheus's optional
 * `infos`/`warnings` annotations, a delay, or a failure.
 */
export type FakeAnswer =
  | {
      value: string | null;
      infos?: string[];
      warnings?: string[];
      delayMs?: number;
    }
  | { status: number; body: unknown; delayMs?: number };

/** One request the fake received. */
export type FakeQuery = { query: string; authorization?: string; path: string };

/**
 * A Prometheus HTTP API on a loopback port answering instant queries
 * (GET /api/v1/query?query=…) from a table keyed by the exact query text; a query not in
 * the table gets an empty vector (no data).
 */
export class FakePrometheus {
  readonly queries: FakeQuery[] = [];
  #answers = new Map<string, FakeAnswer>();
  #server: Server;
  #fallback: FakeAnswer | undefined;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(options: { pathPrefix?: string } = {}) {
    let fake: FakePrometheus | undefined = undefined;
    const server = createServer((req, res) => fake!.handle(req, res));
    fake = new FakePrometheus(server);
    fake.pathPrefix = options.pathPrefix ?? '';
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    return fake;
  }

  pathPrefix = '';

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.pathPrefix}`;
  }

  /** Sets the answer of one query. */
  answer(query: string, answer: FakeAnswer): void {
    this.#answers.set(query, answer);
  }

  /** Sets the answer of every query not in the table (default: no data). */
  answerAll(answer: FakeAnswer | undefined): void {
    this.#fallback = answer;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
  }

  private handle(
    req: IncomingMessage,
    res: import('node:http').ServerResponse,
  ): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== `${this.pathPrefix}/api/v1/query`) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('404 page not found');
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    this.queries.push({
      query,
      path: url.pathname,
      ...(req.headers.authorization && {
        authorization: req.headers.authorization,
      }),
    });
    const answer = this.#answers.get(query) ??
      this.#fallback ?? { value: null };
    const send = () => {
      if (res.destroyed) return;
      if ('status' in answer) {
        res
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(answer.body));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result:
              answer.value === null
                ? []
                : [{ metric: {}, value: [1764324000.123, answer.value] }],
          },
          ...(answer.infos && { infos: answer.infos }),
          ...(answer.warnings && { warnings: answer.warnings }),
        }),
      );
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  }
}
