import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { configMiddleware, runtimeConfig } from './runtimeConfig.ts';

function call(middleware: ReturnType<typeof configMiddleware>, method: string, url: string) {
  const res = { writeHead: vi.fn(), end: vi.fn() };
  const next = vi.fn();
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  middleware(req, res as unknown as ServerResponse, next);
  return { res, next };
}

describe('configMiddleware', () => {
  it('answers GET /config.json with the public configuration only', () => {
    const middleware = configMiddleware({ APP_ENVIRONMENT: 'dev-box', PUBLIC_FLAG: 'on', SECRET_TOKEN: 'x' });
    const { res, next } = call(middleware, 'GET', '/');
    expect(next).not.toHaveBeenCalled();
    expect(res.writeHead).toHaveBeenCalledWith(200, expect.objectContaining({ 'Cache-Control': 'no-cache' }));
    expect(JSON.parse(res.end.mock.calls[0]?.[0] as string)).toEqual({
      environment: 'dev-box',
      apiBaseUrl: '/api',
      version: 'dev',
      flag: 'on',
    });
  });

  it('answers HEAD without a body', () => {
    const { res } = call(configMiddleware({}), 'HEAD', '/?x=1');
    expect(res.writeHead).toHaveBeenCalledWith(200, expect.anything());
    expect(res.end).toHaveBeenCalledWith(undefined);
  });

  it.each([
    ['POST', '/'],
    ['GET', '/extra'],
  ])('passes %s %s on', (method, url) => {
    const { res, next } = call(configMiddleware({}), method, url);
    expect(next).toHaveBeenCalled();
    expect(res.writeHead).not.toHaveBeenCalled();
  });

  it('refuses an invalid variable as the production server does', () => {
    expect(() => configMiddleware({ PUBLIC_API_BASE_URL: 'nope' })).toThrow(
      /^invalid runtime configuration: PUBLIC_API_BASE_URL must be a path/,
    );
  });
});

describe('runtimeConfig', () => {
  it('mounts the middleware on /config.json in the dev server', () => {
    const plugin = runtimeConfig({});
    expect(plugin.apply).toBe('serve');
    const use = vi.fn();
    const hook = plugin.configureServer as unknown as (server: { middlewares: { use: typeof use } }) => void;
    hook({ middlewares: { use } });
    expect(use).toHaveBeenCalledWith('/config.json', expect.any(Function));
  });
});
