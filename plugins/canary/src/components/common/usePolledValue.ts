import { useCallback, useEffect, useRef, useState } from 'react';

export type PolledValue<T> = {
  /** True until the first answer (success or failure) arrived. */
  loading: boolean;
  /** The latest successful answer; kept when a later refresh fails. */
  value?: T;
  /** The error of the latest attempt, cleared by the next success. */
  error?: Error;
  /** When `value` was received (epoch ms). */
  updatedAt?: number;
  /** True while a request is in flight. */
  refreshing: boolean;
  /** Re-read now. */
  refresh: () => void;
};

function isDocumentVisible(): boolean {
  return document.visibilityState !== 'hidden';
}

/**
 * Reads a value, then re-reads it every `intervalMs` while the document is visible.
 * Nothing is polled while the tab is hidden; becoming visible again reloads at once. A new
 * `key` starts over; a failed refresh keeps the last value beside the error.
 */
export function usePolledValue<T>(
  read: () => Promise<T>,
  key: string,
  intervalMs: number,
): PolledValue<T> {
  const [state, setState] = useState<
    Omit<PolledValue<T>, 'refresh' | 'refreshing'>
  >({ loading: true });
  const [refreshing, setRefreshing] = useState(false);
  const refreshRef = useRef<() => void>(() => {});
  const readRef = useRef(read);
  readRef.current = read;

  useEffect(() => {
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latestRequest = 0;
    setState({ loading: true });

    const clearTimer = () => {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
    };

    const load = async () => {
      clearTimer();
      const request = ++latestRequest;
      setRefreshing(true);
      try {
        const value = await readRef.current();
        if (disposed || request !== latestRequest) return;
        setState({ loading: false, value, updatedAt: Date.now() });
      } catch (e) {
        if (disposed || request !== latestRequest) return;
        const error = e instanceof Error ? e : new Error(String(e));
        setState(prev => ({ ...prev, loading: false, error }));
      }
      setRefreshing(false);
      clearTimer();
      if (isDocumentVisible()) {
        timer = setTimeout(load, intervalMs);
      }
    };

    const onVisibilityChange = () => {
      if (isDocumentVisible()) {
        load();
      } else {
        clearTimer();
      }
    };

    refreshRef.current = () => {
      load();
    };
    load();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      disposed = true;
      clearTimer();
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [key, intervalMs]);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { ...state, refreshing, refresh };
}

/** The current time, re-read every `intervalMs` (for "N s ago" labels). */
export function useNow(intervalMs: number = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
