import { EventEmitter } from 'node:events';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from './config.ts';
import { run, type ShutdownSignal } from './run.ts';
import { captureLogs, createTestBuild, INDEX_HTML, send, type TestBuild } from './testing.ts';

let build: TestBuild;

beforeAll(async () => {
  build = await createTestBuild();
});

afterAll(async () => {
  await build.cleanup();
});

function start(env: Record<string, string> = {}) {
  const signals = new EventEmitter<Record<ShutdownSignal, [ShutdownSignal]>>();
  const logs = captureLogs();
  const exit = vi.fn<(code: number) => void>();
  const server = run({ env, signals, write: logs.write, exit, staticRoot: build.root, port: 0 });
  const signal = (name: ShutdownSignal) => signals.emit(name, name);
  return { server, signal, logs, exit, signals };
}

describe('run', () => {
  it('serves the build until SIGTERM, failing /readyz during the shutdown delay', async () => {
    const { server, signal, logs } = start({ SHUTDOWN_DELAY: '300ms', APP_VERSION: 'v1.2.3' });
    const { port, stopped } = await server;

    expect((await send(port, '/', { headers: { Accept: 'text/html' } })).text).toBe(INDEX_HTML);
    expect((await send(port, '/readyz')).status).toBe(200);

    signal('SIGTERM');
    // Still serving during the delay, but no longer ready.
    expect((await send(port, '/readyz')).status).toBe(503);
    expect((await send(port, '/healthz')).status).toBe(200);

    await stopped;
    await expect(send(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    const messages = logs.records().map(record => record.msg);
    expect(messages).toEqual(expect.arrayContaining(['starting', 'listening', 'shutting down', 'stopped']));
    expect(logs.records()[0]).toMatchObject({ msg: 'starting', service: 'storefront-web', version: 'v1.2.3' });
  });

  it('closes idle keep-alive connections instead of waiting for them', async () => {
    const { server, signal } = start();
    const { port, stopped } = await server;
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await send(port, '/healthz', { agent })).status).toBe(200);
      const before = Date.now();
      signal('SIGINT');
      await stopped;
      expect(Date.now() - before).toBeLessThan(5000);
    } finally {
      agent.destroy();
    }
  });

  it('cuts requests off after SHUTDOWN_TIMEOUT and reports it', async () => {
    const { server, signal } = start({ SHUTDOWN_TIMEOUT: '200ms' });
    const { port, stopped } = await server;
    // A request whose headers never end keeps its connection busy.
    const socket = connect(port, '127.0.0.1');
    await new Promise(resolve => socket.once('connect', resolve));
    socket.write('GET / HTTP/1.1\r\nHost: test\r\n');
    socket.on('error', () => undefined);
    await new Promise(resolve => setTimeout(resolve, 50));

    signal('SIGTERM');
    await expect(stopped).rejects.toThrow(
      'graceful shutdown: requests still running after 200 ms were cut off',
    );
    socket.destroy();
  });

  it('exits at once on a second signal', async () => {
    const { server, signal, exit } = start({ SHUTDOWN_DELAY: '1s' });
    const { stopped } = await server;
    signal('SIGTERM');
    signal('SIGTERM');
    expect(exit).toHaveBeenCalledWith(1);
    await stopped;
  });

  it('refuses to start with invalid configuration, naming every variable', async () => {
    const { server } = start({ PORT: 'http', LOG_LEVEL: 'loud' });
    const error: unknown = await server.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be a number from 1 to 65535, got "http"',
      'LOG_LEVEL must be one of debug, info, warn, error, got "loud"',
    ]);
  });

  it('refuses to start without a build', async () => {
    const signals = new EventEmitter<Record<ShutdownSignal, [ShutdownSignal]>>();
    await expect(
      run({
        env: {},
        signals,
        write: () => undefined,
        exit: () => undefined,
        staticRoot: '/nonexistent/public',
        port: 0,
      }),
    ).rejects.toThrow('cannot read the built app in /nonexistent/public (run npm run build first)');
  });
});
