/*
 * Why this package exists, measured: two replicas started together on an empty database,
 * `runs` times without the startup lock and `runs` times with it, each run on a new
 * database of one throwaway PostgreSQL. Prints how many starts failed and why.
 *
 *   yarn bench [runs]     (default 5)
 */
import { startPostgres } from '@runway/testing';
import { startTwoReplicas } from '../src/__testUtils__/replicaStarts';

async function main() {
  const runs = Number(process.argv[2] ?? 5);
  const pg = await startPostgres();
  try {
    for (const startupLock of [false, true]) {
      const failures: string[] = [];
      const seconds: number[] = [];
      let stuck = 0;
      let affected = 0;
      for (let i = 0; i < runs; i++) {
        const result = await startTwoReplicas(
          pg,
          `bench_${startupLock ? 'lock' : 'nolock'}_${i}`,
          { startupLock },
        );
        failures.push(...result.errors.filter((e): e is string => !!e));
        seconds.push(result.seconds);
        if (result.lockedMigrations.length > 0) stuck++;
        if (result.errors.some(Boolean)) affected++;
      }
      seconds.sort((a, b) => a - b);
      const reasons = new Map<string, number>();
      for (const failure of failures) {
        const reason = failure.replace(/\d+/g, 'N').slice(0, 160);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      process.stdout.write(
        `${
          startupLock ? 'with the startup lock   ' : 'without the startup lock'
        }: ${failures.length} of ${
          runs * 2
        } replica starts failed (in ${affected} of ${runs} runs); migration lock left taken in ${stuck} run(s); both started in p50 ${seconds[
          Math.floor(runs / 2)
        ].toFixed(1)} s, max ${seconds[runs - 1].toFixed(1)} s\n`,
      );
      for (const [reason, count] of reasons) {
        process.stdout.write(`    ${count} x ${reason}\n`);
      }
    }
  } finally {
    await pg.stop();
  }
}

main()
  .catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  })
  // A replica whose start failed (the point of the runs without the lock) leaves its
  // plugins' timers and pools behind: startTestBackend rejects without a backend to stop.
  .finally(() => process.exit());
