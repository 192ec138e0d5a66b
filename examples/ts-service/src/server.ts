// The entry point (dist/server.js): runs the service until SIGTERM or SIGINT.
import { pino } from 'pino';

import { ConfigError } from './config.ts';
import { createLogger } from './logging.ts';
import { run, SERVICE_NAME } from './service.ts';
import { readVersion } from './version.ts';

const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  // After the first signal, a second one ends the process at once.
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  stop.abort(signal);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

const version = readVersion();
const args = process.argv.slice(2);
try {
  const command = args[0] ?? 'serve';
  if (args.length > 1 || !['serve'].includes(command)) {
    throw new Error(`usage: server.js [serve], got ${JSON.stringify(args)}`);
  }
  await run({ env: process.env, signal: stop.signal, version });
  // Every handle is closed, so Node exits now; should a library have left one
  // open, this keeps it from holding the pod until it is killed.
  setTimeout(() => process.exit(), 1000).unref();
} catch (error) {
  // Also reached for invalid configuration, before LOG_LEVEL is known.
  const log = createLogger('info', pino.destination({ fd: 2, sync: true }));
  if (error instanceof ConfigError) {
    log.error({ service: SERVICE_NAME, version, problems: error.problems }, `invalid configuration: ${error.problems.join('; ')}`);
  } else {
    log.error({ service: SERVICE_NAME, version, error }, 'server failed');
  }
  process.exitCode = 1;
}
