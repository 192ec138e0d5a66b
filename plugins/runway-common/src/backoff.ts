/**
 * How long to wait before each retry: the first retry waits `initialMs`, each next one
 * `factor` times longer, never more than `maxMs`.
 *
 * @public
 */
export type BackoffOptions = {
  /** Wait before the first retry, in milliseconds. */
  initialMs: number;
  /** The longest wait, in milliseconds. */
  maxMs: number;
  /** Growth per retry. Default 2. */
  factor?: number;
};

/**
 * The wait before retry number `retry` (1 for the first retry):
 * `initialMs × factor^(retry − 1)`, capped at `maxMs`. Pure.
 *
 * @public
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const { initialMs, maxMs, factor = 2 } = options;
  if (!Number.isInteger(retry) || retry < 1) {
    throw new RangeError(
      `retry must be an integer of at least 1, got ${retry}`,
    );
  }
  return Math.min(initialMs * factor ** (retry - 1), maxMs);
}

/**
 * {@link backoffDelay} with fixed options, as a function of the retry number.
 *
 * @public
 */
export function exponentialBackoff(
  options: BackoffOptions,
): (retry: number) => number {
  return retry => backoffDelay(retry, options);
}
