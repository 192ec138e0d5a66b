/*
 * The Service in front of the replicas, as the suite models it: a reverse proxy that sends
 * each request to the next ready replica in turn, and decides "ready" the way the kubelet
 * does, with the chart's readiness probe (path, period, timeout, failure and success
 * thresholds). A replica that starts shutting down leaves the rotation only once its probe
 * has failed failureThreshold times, which is slower than Kubernetes (which drops a
 * terminating pod's endpoint at once): a conservative model of a rolling update.
 * Nothing is retried: every failed request is counted.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

export type ReadinessProbe = {
  path: string;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold: number;
};

type Backend = {
  name: string;
  url: URL;
  ready: boolean;
  successes: number;
  failures: number;
  timer?: NodeJS.Timeout;
  served: number;
};

export type Failure = { backend?: string; status?: number; error?: string };

export class LoadBalancer {
  readonly #probe: ReadinessProbe;
  readonly #backends = new Map<string, Backend>();
  #next = 0;
  #server?: http.Server;
  /** Requests answered with a status outside 2xx/3xx or not answered at all. */
  readonly failures: Failure[] = [];
  /** Every request the balancer handled, with its outcome. */
  readonly statuses = new Map<number, number>();
  /** Readiness changes, for the log of a run. */
  readonly events: string[] = [];

  constructor(probe: ReadinessProbe) {
    this.#probe = probe;
  }

  get url(): string {
    const { port } = this.#server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<string> {
    this.#server = http.createServer((req, res) => this.#forward(req, res));
    await new Promise<void>(resolve =>
      this.#server!.listen(0, '127.0.0.1', resolve),
    );
    return this.url;
  }

  async stop(): Promise<void> {
    for (const backend of this.#backends.values()) clearTimeout(backend.timer);
    this.#backends.clear();
    if (this.#server) {
      this.#server.closeAllConnections();
      await new Promise(resolve => this.#server!.close(resolve));
    }
  }

  /** Adds a replica; it receives requests once its probe has succeeded. */
  add(name: string, url: string): void {
    const backend: Backend = {
      name,
      url: new URL(url),
      ready: false,
      successes: 0,
      failures: 0,
      served: 0,
    };
    this.#backends.set(name, backend);
    this.#schedule(backend, 0);
  }

  remove(name: string): void {
    const backend = this.#backends.get(name);
    if (backend) clearTimeout(backend.timer);
    this.#backends.delete(name);
  }

  isReady(name: string): boolean {
    return this.#backends.get(name)?.ready ?? false;
  }

  /** The replicas in the rotation (their probe succeeded). */
  ready(): string[] {
    return [...this.#backends.values()].filter(b => b.ready).map(b => b.name);
  }

  /** Requests each replica has answered. */
  served(): Record<string, number> {
    return Object.fromEntries(
      [...this.#backends.values()].map(b => [b.name, b.served]),
    );
  }

  async waitUntil(
    name: string,
    ready: boolean,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.isReady(name) !== ready) {
      if (Date.now() > deadline) {
        throw new Error(
          `${name} did not become ${
            ready ? 'ready' : 'unready'
          } within ${timeoutMs} ms`,
        );
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }

  #schedule(backend: Backend, delayMs: number) {
    backend.timer = setTimeout(async () => {
      const ok = await this.#probeOnce(backend);
      if (this.#backends.get(backend.name) !== backend) return;
      if (ok) {
        backend.successes++;
        backend.failures = 0;
        if (
          !backend.ready &&
          backend.successes >= this.#probe.successThreshold
        ) {
          backend.ready = true;
          this.events.push(`${new Date().toISOString()} ${backend.name} ready`);
        }
      } else {
        backend.failures++;
        backend.successes = 0;
        if (backend.ready && backend.failures >= this.#probe.failureThreshold) {
          backend.ready = false;
          this.events.push(
            `${new Date().toISOString()} ${backend.name} not ready`,
          );
        }
      }
      this.#schedule(backend, this.#probe.periodSeconds * 1000);
    }, delayMs);
  }

  async #probeOnce(backend: Backend): Promise<boolean> {
    try {
      const res = await fetch(new URL(this.#probe.path, backend.url), {
        signal: AbortSignal.timeout(this.#probe.timeoutSeconds * 1000),
      });
      await res.arrayBuffer();
      // The kubelet's rule for httpGet probes.
      return res.status >= 200 && res.status < 400;
    } catch {
      return false;
    }
  }

  #pick(): Backend | undefined {
    const ready = [...this.#backends.values()].filter(b => b.ready);
    if (ready.length === 0) return undefined;
    this.#next = (this.#next + 1) % ready.length;
    return ready[this.#next];
  }

  #record(status: number | undefined, failure?: Failure) {
    if (status !== undefined) {
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    }
    if (failure) this.failures.push(failure);
  }

  #forward(req: http.IncomingMessage, res: http.ServerResponse) {
    const backend = this.#pick();
    if (!backend) {
      this.#record(503, { status: 503, error: 'no ready replica' });
      res.writeHead(503).end('no ready replica');
      return;
    }
    // A new connection per request (no keep-alive pool): kube-proxy balances connections,
    // and no request can land on a connection the replica is closing.
    const upstream = http.request(
      {
        host: backend.url.hostname,
        port: backend.url.port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          host: backend.url.host,
          connection: 'close',
        },
        agent: false,
      },
      response => {
        const status = response.statusCode ?? 0;
        backend.served++;
        this.#record(
          status,
          status >= 400 ? { backend: backend.name, status } : undefined,
        );
        res.writeHead(status, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', error => {
      this.#record(undefined, { backend: backend.name, error: String(error) });
      if (!res.headersSent) res.writeHead(502).end(String(error));
      else res.destroy(error);
    });
    req.pipe(upstream);
  }
}
