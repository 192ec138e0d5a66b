/**
 * Start-up and graceful shutdown of the static server: configuration, the
 * index of the built app, the HTTP server, and the SIGTERM sequence that
 * Kubernetes expects (report not-ready, keep serving for a while, finish
 * in-flight requests, stop).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { createAssetFallback } from './assetFallback.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { Metrics } from './metrics.ts';
import type { Env } from './publicConfig.ts';
import { indexStaticFiles, type StaticIndex } from './static.ts';

/** Names the service in logs. */
export const SERVICE_NAME = 'storefront-web';

/** The built app, next to the compiled server: dist/public. */
export const DEFAULT_STATIC_ROOT = fileURLToPath(new URL('./public/', import.meta.url));

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/** Where signals come from: process in production, an EventEmitter in tests. */
export interface SignalSource {
  on(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
  off(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
}

export interface RunOptions {
  env: Env;
  signals: SignalSource;
  /** Receives the JSON log lines. */
  write: (line: string) => void;
  /** Ends the process at once (on a second signal). */
  exit: (code: number) => void;
  /** The built app; default: dist/public. */
  staticRoot?: string;
  /** Overrides PORT; tests pass 0 for a free port. */
  port?: number;
}

export interface RunningServer {
  /** The port the server listens on. */
  readonly port: number;
  /** Settles once the server has stopped after a signal; rejects when the shutdown timed out. */
  readonly stopped: Promise<void>;
}

/**
 * Starts the server. Rejects on invalid configuration (ConfigError), a missing
 * build or a port that is taken.
 */
export async function run(options: RunOptions): Promise<RunningServer> {
  const config = loadConfig(options.env);
  const logger = createLogger({ level: config.logLevel, write: options.write });
  const { version } = config.publicConfig;
  logger.info('starting', {
    service: SERVICE_NAME,
    version,
    node_version: process.version,
    config: describe(config),
  });

  const staticRoot = options.staticRoot ?? DEFAULT_STATIC_ROOT;
  let files: StaticIndex;
  try {
    files = await indexStaticFiles(staticRoot);
  } catch (error) {
    throw new Error(`cannot read the built app in ${staticRoot} (run npm run build first)`, { cause: error });
  }

  let ready = true;
  let closing = false;
  const server = createServer(
    {
      // Slow or idle clients must not hold connections forever.
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      // Above the idle timeouts of the proxies in front (Envoy, load balancers), so
      // that they, not this server, close idle connections.
      keepAliveTimeout: 120_000,
    },
    createApp({
      files,
      publicConfig: config.publicConfig,
      logger,
      metrics: new Metrics({ version }),
      isReady: () => ready,
      isClosing: () => closing,
      ...(config.assetFallbackOrigins.length > 0 && {
        assetFallback: createAssetFallback(config.assetFallbackOrigins),
      }),
    }),
  );
  server.listen(options.port ?? config.port);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  logger.info('listening', { port, files: files.size });

  const shutdown = async (signal: ShutdownSignal) => {
    // Report not-ready first and keep serving for the delay, so that Kubernetes
    // and the mesh stop routing here before connections are refused.
    logger.info('shutting down', {
      signal,
      delay_ms: config.shutdownDelayMs,
      timeout_ms: config.shutdownTimeoutMs,
    });
    ready = false;
    await sleep(config.shutdownDelayMs);

    closing = true;
    const closed = new Promise<void>(resolve =>
      server.close(() => {
        resolve();
      }),
    );
    // close() only closes the connections idle at that moment; keep-alive
    // connections still serving a request become idle later.
    const sweeper = setInterval(() => {
      server.closeIdleConnections();
    }, 100);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, config.shutdownTimeoutMs);
    });
    const outcome = await Promise.race([closed.then(() => 'closed' as const), timedOut]);
    clearInterval(sweeper);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      server.closeAllConnections();
      throw new Error(
        `graceful shutdown: requests still running after ${String(config.shutdownTimeoutMs)} ms were cut off`,
      );
    }
    logger.info('stopped');
  };

  const stopped = new Promise<void>((resolve, reject) => {
    let signalled = false;
    const onSignal = (signal: ShutdownSignal) => {
      if (signalled) {
        // A second signal ends the process at once.
        logger.warn('second signal, exiting now', { signal });
        options.exit(1);
        return;
      }
      signalled = true;
      shutdown(signal)
        .then(resolve, reject)
        .finally(() => {
          options.signals.off('SIGTERM', onSignal);
          options.signals.off('SIGINT', onSignal);
        });
    };
    options.signals.on('SIGTERM', onSignal);
    options.signals.on('SIGINT', onSignal);
  });

  return { port, stopped };
}

/** The settings for the start-up log line. */
function describe(config: ServerConfig): Record<string, unknown> {
  return {
    port: config.port,
    log_level: config.logLevel,
    shutdown_delay_ms: config.shutdownDelayMs,
    shutdown_timeout_ms: config.shutdownTimeoutMs,
    public_config: config.publicConfig,
    asset_fallback_origins: config.assetFallbackOrigins,
  };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve();
}
