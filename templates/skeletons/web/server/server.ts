/**
 * Entry point of the production server (dist/server.js): starts it with the
 * process's environment and signals, and sets the exit code.
 */
import { run } from './run.ts';

const write = (line: string) => {
  process.stdout.write(line);
};

try {
  const server = await run({
    env: process.env,
    signals: process,
    write,
    exit: code => process.exit(code),
  });
  await server.stopped;
} catch (error) {
  // Also reached for invalid configuration, before LOG_LEVEL is known.
  process.stderr.write(
    `${JSON.stringify({
      time: new Date().toISOString(),
      level: 'ERROR',
      msg: 'server failed',
      error: error instanceof Error ? error.message : String(error),
      ...(error instanceof Error && error.cause instanceof Error ? { cause: error.cause.message } : {}),
    })}\n`,
  );
  process.exitCode = 1;
}
