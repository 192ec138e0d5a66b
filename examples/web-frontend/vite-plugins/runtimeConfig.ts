/**
 * Serves /config.json from the Vite dev server, built from the environment
 * exactly as the production server builds it (server/publicConfig.ts), so that
 * `npm run dev` and production read their runtime configuration the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { buildPublicConfig, type Env } from '../server/publicConfig.ts';

/** The variables /config.json is built from; load only these from .env files. */
export const RUNTIME_CONFIG_ENV_PREFIXES = ['APP_', 'PUBLIC_'];

/**
 * A connect middleware answering GET and HEAD /config.json; throws when a
 * variable is invalid, naming it, as the production server refuses to start.
 */
export function configMiddleware(env: Env) {
  const { config, problems } = buildPublicConfig(env);
  if (problems.length > 0) throw new Error(`invalid runtime configuration: ${problems.join('; ')}`);
  const body = JSON.stringify(config);
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (path !== '/' && path !== '')) {
      next();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

export function runtimeConfig(env: Env): Plugin {
  return {
    name: 'runtime-config',
    apply: 'serve',
    configureServer(server) {
      // Mounted on /config.json: connect strips the mount path from req.url.
      server.middlewares.use('/config.json', configMiddleware(env));
    },
  };
}
