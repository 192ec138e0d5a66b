import { FakeFailure, FakeFailureMatch } from './types';

/*
 * Faults a real API server does not produce on demand: configured failures (5xx, 429, any
 * Status) and slowness, each for the next N matching requests. Dropped connections are
 * `FakeKubernetesApi.dropWatches()`; an unreachable server is a stopped one.
 */

type Rule<T> = { match: FakeFailureMatch; value: T; times: number };

export type RequestInfo = { method: string; path: string; watch: boolean };

function matches(match: FakeFailureMatch, request: RequestInfo) {
  return (
    (!match.method || match.method === request.method) &&
    (match.watch === undefined || match.watch === request.watch) &&
    (match.path === undefined ||
      (typeof match.path === 'string'
        ? match.path === request.path
        : match.path.test(request.path)))
  );
}

function take<T>(rules: Rule<T>[], request: RequestInfo): T | undefined {
  const index = rules.findIndex(r => matches(r.match, request));
  if (index < 0) return undefined;
  const rule = rules[index];
  if (--rule.times <= 0) rules.splice(index, 1);
  return rule.value;
}

export class Faults {
  private readonly failures: Rule<FakeFailure>[] = [];
  private readonly delays: Rule<number>[] = [];

  fail(match: FakeFailureMatch, failure: FakeFailure, times: number) {
    this.failures.push({ match, value: failure, times });
  }

  delay(match: FakeFailureMatch, ms: number, times: number) {
    this.delays.push({ match, value: ms, times });
  }

  /** Forgets every configured failure and delay. */
  clear() {
    this.failures.length = 0;
    this.delays.length = 0;
  }

  /** The failure to answer this request with, if one is configured (counted). */
  takeFailure(request: RequestInfo): FakeFailure | undefined {
    return take(this.failures, request);
  }

  /** How long to hold this request before serving it (counted). */
  takeDelay(request: RequestInfo): number {
    return take(this.delays, request) ?? 0;
  }
}
