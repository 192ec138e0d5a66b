/*
 * `make demo`: the demo's clusters, then the portal on them (`yarn start` with one more config
 * file), until Ctrl-C stops everything.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from './paths';
import { Demo, startDemo } from './demo';
import { DEMO_CANARY } from './plan';
import { processMemory } from './memory';

/** Fixed ports, so a restart finds the same addresses (and the portal's config stays true). */
export const DEMO_PORTS = {
  staging: 16443,
  production: 16444,
  prometheus: 19090,
};

const DEMO_DIR = join(repoRoot, '.cache/demo');

async function main() {
  const log = (line: string) => console.log(`[demo] ${line}`);
  mkdirSync(DEMO_DIR, { recursive: true });
  const started = Date.now();
  log(`starting the clusters staging and production (state in ${DEMO_DIR})`);
  let demo: Demo | undefined;
  let stopping = false;
  // Set once the clusters are up; the shutdown handler may run before.
  const running: { portal?: ChildProcess } = {};

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    const portal = running.portal;
    if (portal && portal.exitCode === null) {
      // The portal runs in its own process group: frontend and backend stop together.
      try {
        process.kill(-portal.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise(r => portal.once('exit', r));
    }
    await demo?.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    demo = await startDemo({ dir: DEMO_DIR, ports: DEMO_PORTS, log });
  } catch (error) {
    console.error(`[demo] ${error instanceof Error ? error.message : error}`);
    await shutdown(1);
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const memory = processMemory(
    demo.clusters.flatMap(c =>
      Object.values(c.plane.processes).map(p => p.child.pid!),
    ),
  );
  log(
    `clusters ready in ${seconds} s; their processes use ${Math.round(
      memory / 1024 / 1024,
    )} MiB (RSS)`,
  );

  const configFile = join(DEMO_DIR, 'app-config.demo.yaml');
  writeFileSync(
    configFile,
    `# Written by make demo at each start: the demo's clusters for the portal.\n${stringify(
      demo.portalConfig(),
    )}`,
    { mode: 0o600 },
  );
  for (const cluster of demo.clusters) {
    log(
      `${cluster.name}: kubectl --kubeconfig ${cluster.plane.kubeconfigPath} get rollouts,pods -A`,
    );
  }
  log(`synthetic Prometheus: ${demo.prometheus.url}/api/v1/query`);
  log('starting the portal (yarn start), then open:');
  log(
    `  http://localhost:3000/catalog/default/component/${DEMO_CANARY.service}/canary   (Enter as guest)`,
  );
  log(
    'Ctrl-C stops the portal and both clusters; rm -rf .cache/demo starts afresh.',
  );

  const yarn = join(repoRoot, '.yarn/releases');
  const portal = spawn(
    process.execPath,
    [
      join(yarn, readdirSync(yarn)[0]),
      'start',
      '--config',
      join(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    { cwd: repoRoot, stdio: 'inherit', detached: true },
  );
  running.portal = portal;
  portal.once('exit', code => {
    if (!stopping) {
      log(`the portal exited (${code})`);
      void shutdown(code ?? 1);
    }
  });
}

main();
