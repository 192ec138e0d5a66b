import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** A process of the control plane, its output going to a log file. */
export type ManagedProcess = {
  name: string;
  logFile: string;
  child: ChildProcess;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
};

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill what is still running when the test process exits without stopping it. */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function startProcess(
  name: string,
  binary: string,
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ManagedProcess {
  installExitHook();
  const fd = openSync(options.logFile, 'a');
  const child = spawn(binary, args, {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<void>(resolve => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    child.once('error', () => {
      running.delete(child);
      resolve();
    });
  });
  const tail = (lines = 20) => {
    try {
      return readFileSync(options.logFile, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  };
  return {
    name,
    logFile: options.logFile,
    child,
    tail,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `check` until it returns a value, failing after `timeoutMs` with `describe()`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: {
    timeoutMs: number;
    intervalMs?: number;
    describe?: () => string;
    /** Fail at once when this returns a message (e.g. the process exited). */
    abort?: () => string | undefined;
  },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw new Error(`${what}: ${aborted}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const detail = options.describe?.() ?? '';
      throw new Error(
        `${what}: not after ${options.timeoutMs / 1000} s${
          lastError ? ` (last error: ${lastError})` : ''
        }${detail ? `\n${detail}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, options.intervalMs ?? 100));
  }
}
