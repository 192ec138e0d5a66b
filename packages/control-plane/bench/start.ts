/*
 * How long the test control plane takes to start, and what it holds in memory.
 *
 *   yarn bench                 start times (5 runs each) and resident memory per process
 *   yarn bench --cold-build    also the cold build time of each binary (an empty Go build cache; ~20 min)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, ControlPlaneOptions } from '../src/ControlPlane';
import { repoRoot } from '../src/paths';
import { startRolloutsController } from '../src/rollouts';

const RUNS = 5;

function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[
    Math.min(values.length - 1, Math.floor(values.length * p))
  ];

async function timeStart(
  label: string,
  options: ControlPlaneOptions,
  rollouts = false,
) {
  const times: number[] = [];
  let memory = '';
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const plane = await startControlPlane(options);
    if (rollouts) await startRolloutsController(plane);
    times.push(performance.now() - start);
    if (i === RUNS - 1) {
      memory = Object.values(plane.processes)
        .map(p => `${p.name} ${rssMiB(p.child.pid).toFixed(0)} MiB`)
        .join(', ');
    }
    await plane.stop();
  }
  console.log(
    `${label.padEnd(52)} p50 ${(pct(times, 0.5) / 1000).toFixed(2)} s  max ${(
      Math.max(...times) / 1000
    ).toFixed(2)} s   RSS: ${memory}`,
  );
}

async function main() {
  if (process.argv.includes('--cold-build')) {
    const cache = mkdtempSync(join(tmpdir(), 'runway-cold-'));
    try {
      console.log(
        'cold build (empty GOCACHE and binary cache; modules already downloaded):',
      );
      execFileSync(
        join(repoRoot, 'scripts/ensure-control-plane.sh'),
        ['--times'],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            GOCACHE: join(cache, 'go-build'),
            RUNWAY_CONTROL_PLANE_CACHE: join(cache, 'control-plane'),
          },
        },
      );
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  console.log(`start to ready, ${RUNS} runs each:`);
  await timeStart('etcd + kube-apiserver, no CRDs', { crds: 'none' });
  await timeStart('etcd + kube-apiserver, every pinned CRD', { crds: 'all' });
  await timeStart('+ controller-manager, scheduler, kwok', {
    crds: 'all',
    workloads: true,
  });
  await timeStart(
    '+ Argo Rollouts controller',
    { crds: ['argo-rollouts', 'istio'], workloads: true },
    true,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
