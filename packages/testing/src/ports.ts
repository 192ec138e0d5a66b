import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
const LOWEST = 10_000;

/**
 * The kernel's ephemeral range: the local ports it gives outgoing connections
 * and `listen(0)`. A port from it that we release and hand to a child process
 * can be taken in between by any outgoing connection on the machine (an API
 * server talking to etcd is enough), so free ports are taken below it.
 */
export function ephemeralPortRange(
  text: string | undefined = readRangeFile(),
): [number, number] {
  const [low, high] = (text ?? '').trim().split(/\s+/).map(Number);
  return Number.isInteger(low) && Number.isInteger(high) && low <= high
    ? [low, high]
    : [32768, 60999];
}

function readRangeFile(): string | undefined {
  try {
    return readFileSync(EPHEMERAL_RANGE_FILE, 'utf8');
  } catch {
    return undefined;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Ports this process has handed out: never twice, even when two servers start at once.
const handedOut = new Set<number>();

/**
 * A TCP port on loopback that nothing listens on right now, outside the
 * kernel's ephemeral range and never handed out before by this process.
 * Chosen at random, so parallel test workers rarely try the same one.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralPortRange();
  const high = ephemeralLow - 1;
  if (high - LOWEST < 1000) {
    throw new Error(
      `freePort: the ephemeral port range starts at ${ephemeralLow}, leaving too few ports below it (from ${LOWEST})`,
    );
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(LOWEST, high + 1);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(
    `freePort: no free port found in ${LOWEST}-${high} after 100 tries`,
  );
}
