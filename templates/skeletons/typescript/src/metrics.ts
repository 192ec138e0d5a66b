// The service's Prometheus metrics. They live in a registry of their own, not
// prom-client's global one, so that tests can build fresh instances.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A registry with the Node.js runtime and process metrics (nodejs_*,
 * process_*) and service_build_info, a constant 1 labelled with the build's
 * version.
 */
export function createRegistry(version: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'service_build_info',
    help: 'Build information of the running service; the value is always 1.',
    labelNames: ['version', 'node_version'] as const,
    registers: [registry],
  }).set({ version, node_version: process.version }, 1);
  return registry;
}

/** Prometheus' default buckets, in seconds, as the Go services use them. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The RED metrics of the HTTP server. The route label is the matched route
 * pattern (e.g. /api/items/:id), never the raw path, to keep cardinality bounded.
 */
export class HttpMetrics {
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route' | 'status'>;
  readonly #inFlight: Gauge;

  constructor(registry: Registry) {
    const labelNames = ['method', 'route', 'status'] as const;
    this.#requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by method, route pattern and status code.',
      labelNames,
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to handle HTTP requests, by method, route pattern and status code.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.#inFlight = new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests being handled.',
      registers: [registry],
    });
  }

  /** Counts a request as in flight; call the returned function (once) when it ends. */
  start(): () => void {
    this.#inFlight.inc();
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.#inFlight.dec();
      }
    };
  }

  /** Records a finished request. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#requests.inc(labels);
    this.#duration.observe(labels, seconds);
  }
}
