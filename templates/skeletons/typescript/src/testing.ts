// Test helpers (not part of the build).
import type { DestinationStream } from 'pino';

/** A log destination that keeps the JSON lines written to it. */
export class LogSink implements DestinationStream {
  readonly #lines: string[] = [];

  write(line: string): void {
    this.#lines.push(line);
  }

  /** The records written so far, parsed. */
  records(): Record<string, unknown>[] {
    return this.#lines.map(line => JSON.parse(line) as Record<string, unknown>);
  }
}
