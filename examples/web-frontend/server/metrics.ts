/**
 * Prometheus metrics in the text exposition format, without a client library:
 * the server stays free of runtime dependencies. The names and labels are the
 * ones of every Runway service, which the chart's Grafana dashboard queries:
 *
 *   http_requests_total{method,route,status}             counter
 *   http_request_duration_seconds{method,route,status}   histogram
 *   http_requests_in_flight                              gauge
 *   service_build_info{version,node_version}             always 1
 *   process_* and nodejs_*                               runtime
 */

/** Prometheus' default buckets, in seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** The content type of the text exposition format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

/** Reads the runtime figures; tests replace it. */
export interface RuntimeStats {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  residentMemoryBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalMemoryBytes: number;
  startTimeSeconds: number;
}

export function readRuntimeStats(): RuntimeStats {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuUserSeconds: cpu.user / 1e6,
    cpuSystemSeconds: cpu.system / 1e6,
    residentMemoryBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalMemoryBytes: memory.external,
    // When the process started (performance.timeOrigin), in whole seconds.
    startTimeSeconds: Math.floor(performance.timeOrigin / 1000),
  };
}

export interface MetricsOptions {
  version: string;
  nodeVersion?: string;
  runtimeStats?: () => RuntimeStats;
}

/** The server's RED metrics plus build and runtime information. */
export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #durations = new Map<string, HistogramSeries>();
  #inFlight = 0;
  readonly #buildLabels: string;
  readonly #runtimeStats: () => RuntimeStats;

  constructor({ version, nodeVersion = process.version, runtimeStats = readRuntimeStats }: MetricsOptions) {
    this.#buildLabels = labels({ version, node_version: nodeVersion });
    this.#runtimeStats = runtimeStats;
  }

  /** Counts a request as in flight; call the returned function once when it ends. */
  start(): () => void {
    this.#inFlight += 1;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.#inFlight -= 1;
      }
    };
  }

  /** Records a finished request. route is a pattern, never the raw path. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = labels({ method, route, status: String(status) });
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const series = this.#durations.get(key) ?? { counts: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
    this.#durations.set(key, series);
    DURATION_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.counts[i] = (series.counts[i] ?? 0) + 1;
    });
    series.sum += seconds;
    series.count += 1;
  }

  /** All metrics in the text exposition format. */
  render(): string {
    const out: string[] = [];
    const header = (name: string, type: string, help: string) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };

    header(
      'http_requests_total',
      'counter',
      'HTTP requests handled, by method, route pattern and status code.',
    );
    for (const [key, value] of this.#requests) out.push(`http_requests_total{${key}} ${String(value)}`);

    header(
      'http_request_duration_seconds',
      'histogram',
      'Time to handle HTTP requests, by method, route pattern and status code.',
    );
    for (const [key, series] of this.#durations) {
      DURATION_BUCKETS.forEach((bound, i) => {
        out.push(
          `http_request_duration_seconds_bucket{${key},le="${String(bound)}"} ${String(series.counts[i] ?? 0)}`,
        );
      });
      out.push(
        `http_request_duration_seconds_bucket{${key},le="+Inf"} ${String(series.count)}`,
        `http_request_duration_seconds_sum{${key}} ${String(series.sum)}`,
        `http_request_duration_seconds_count{${key}} ${String(series.count)}`,
      );
    }

    header('http_requests_in_flight', 'gauge', 'HTTP requests being handled.');
    out.push(`http_requests_in_flight ${String(this.#inFlight)}`);

    header('service_build_info', 'gauge', 'Build information of the running service; the value is always 1.');
    out.push(`service_build_info{${this.#buildLabels}} 1`);

    const stats = this.#runtimeStats();
    const gauge = (name: string, type: string, help: string, value: number) => {
      header(name, type, help);
      out.push(`${name} ${String(value)}`);
    };
    gauge(
      'process_cpu_user_seconds_total',
      'counter',
      'User CPU time spent, in seconds.',
      stats.cpuUserSeconds,
    );
    gauge(
      'process_cpu_system_seconds_total',
      'counter',
      'System CPU time spent, in seconds.',
      stats.cpuSystemSeconds,
    );
    gauge(
      'process_cpu_seconds_total',
      'counter',
      'Total user and system CPU time spent, in seconds.',
      stats.cpuUserSeconds + stats.cpuSystemSeconds,
    );
    gauge(
      'process_resident_memory_bytes',
      'gauge',
      'Resident memory size, in bytes.',
      stats.residentMemoryBytes,
    );
    gauge(
      'process_start_time_seconds',
      'gauge',
      'Start time of the process since the Unix epoch, in seconds.',
      stats.startTimeSeconds,
    );
    gauge('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use, in bytes.', stats.heapUsedBytes);
    gauge('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap allocated, in bytes.', stats.heapTotalBytes);
    gauge(
      'nodejs_external_memory_bytes',
      'gauge',
      'Memory of C++ objects bound to JavaScript objects, in bytes.',
      stats.externalMemoryBytes,
    );
    return `${out.join('\n')}\n`;
  }
}

/** Formats a label set, escaping values as the exposition format requires. */
export function labels(set: Readonly<Record<string, string>>): string {
  return Object.entries(set)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',');
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
