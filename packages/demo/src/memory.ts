import { readFileSync } from 'node:fs';

/** The resident memory of processes, in bytes, from /proc (0 for one that is gone). */
export function processMemory(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      total += kb ? Number(kb[1]) * 1024 : 0;
    } catch {
      // exited
    }
  }
  return total;
}
