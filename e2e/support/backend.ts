import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { kubernetesClustersConfig } from '@runway/plugin-cluster-access-node-test-utils';
import { freePort, PostgresConnection } from '@runway/testing';

export const repoRoot = resolve(__dirname, '../..');
/** The API token of the Argo CD instance `main` the backend reads (the fake Argo CD's). */
export const ARGOCD_TOKEN = 'e2e-argocd-token';
const backendDir = join(repoRoot, 'packages/backend');

export type Backend = {
  baseURL: string;
  /** The database name prefix the backend's plugins use (one database per plugin). */
  databasePrefix: string;
  /** Everything the backend has printed so far. */
  output(): string;
  stop(): Promise<void>;
};

/**
 * Starts the real backend (packages/backend/src/index.ts, every plugin it bundles) the way
 * `backstage-cli package start` does, minus the file watcher, on a free port. It serves the
 * built frontend (packages/app/dist) itself through the app-backend plugin, so the portal is
 * one URL. It reads app-config.yaml plus an override for the port and the database.
 */
export async function startBackend(options: {
  database?: PostgresConnection;
  /**
   * A Kubernetes API server the backend's plugins read as cluster `staging`, with the token
   * of the identity the backend uses there.
   */
  kubernetes?: { url: string; caData: string; token: string };
  /** An Argo CD API server, the instance `main`, with the token ARGOCD_TOKEN. */
  argocdUrl?: string;
  /** More top-level configuration, last (e.g. the demo's clusters and Prometheus). */
  config?: Record<string, unknown>;
}): Promise<Backend> {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const databasePrefix = `runway_e2e_${process.pid}_${port}_`;
  const dir = mkdtempSync(join(tmpdir(), 'runway-backend-'));
  const configFile = join(dir, 'app-config.e2e.yaml');
  writeFileSync(
    configFile,
    stringify({
      app: { baseUrl: baseURL },
      backend: {
        baseUrl: baseURL,
        listen: { host: '127.0.0.1', port },
        cors: { origin: baseURL },
        database: options.database
          ? {
              client: 'pg',
              prefix: databasePrefix,
              connection: {
                host: options.database.host,
                port: options.database.port,
                user: options.database.user,
                password: options.database.password,
              },
            }
          : { client: 'better-sqlite3', connection: ':memory:' },
      },
      // The backend runs with NODE_ENV=production here; guest sign-in is what the test uses.
      auth: {
        providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
      },
      ...(options.kubernetes &&
        kubernetesClustersConfig([
          {
            name: 'staging',
            url: options.kubernetes.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: options.kubernetes.token,
            caData: Buffer.from(options.kubernetes.caData).toString('base64'),
          },
        ])),
      ...(options.argocdUrl && argocdInstanceConfig(options.argocdUrl)),
      ...options.config,
    }),
  );

  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
        paths: [join(repoRoot, 'node_modules/@backstage/cli')],
      }),
      'src/index.ts',
      '--config',
      join(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: backendDir,
      // The production log level: a scaffolder task's log (what the Template Editor's dry
      // run shows, e.g. the Argo CD Applications) keeps only the lines at or above it.
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The last megabyte is kept: enough to say why a start failed.
  const keep = (d: Buffer) => (output = (output + d).slice(-1_000_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>(res => child.once('exit', res));

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `backend exited with ${
          child.exitCode
        } before it was ready:\n${output.slice(-4000)}`,
      );
    }
    try {
      const res = await fetch(`${baseURL}/.backstage/health/v1/readiness`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`backend not ready after 150 s:\n${output.slice(-4000)}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }

  return { baseURL, databasePrefix, output: () => output, stop };
}

/**
 * The Argo CD instance `main` as app-config.production.yaml declares one: for Runway's
 * `argocd:app:create` (`argocd.instances`) and the community Argo CD plugin
 * (`argocd.appLocatorMethods`).
 */
function argocdInstanceConfig(url: string) {
  const instances = () => [{ name: 'main', url, token: ARGOCD_TOKEN }];
  return {
    argocd: {
      instances: instances(),
      appLocatorMethods: [{ type: 'config', instances: instances() }],
    },
  };
}
