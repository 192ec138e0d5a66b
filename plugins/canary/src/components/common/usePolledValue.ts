import { useCallback, useEffect, useRef, useState } from 'react';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type { CanaryStatusResponse } from '@runway/plugin-canary-common';
import { canaryApiRef } from '../../api';

/** How often the status is re-read while the page is visible. */
export const REFRESH_INTERVAL_MS = 10_000;

export type CanaryStatusState = {
  /** True until the first answer (success or failure) arrived. */
  loading: boolean;
  /** The latest successful answer; kept when a later refresh fails. */
  value?: CanaryStatusResponse;
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
 * Loads the canary status of an entity, then re-reads it every
 * {@link REFRESH_INTERVAL_MS} while the document is visible. Nothing is polled
 * while the tab is hidden; becoming visible again refreshes at once.
 */
export function useCanaryStatus(
  entityRef: CompoundEntityRef,
  intervalMs: number = REFRESH_INTERVAL_MS,
): CanaryStatusState {
  const canaryApi = useApi(canaryApiRef);
  const { kind, namespace, name } = entityRef;

  const [state, setState] = useState<
    Omit<CanaryStatusState, 'refresh' | 'refreshing'>
  >({ loading: true });
  const [refreshing, setRefreshing] = useState(false);
  const refreshRef = useRef<() => void>(() => {});

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
        const value = await canaryApi.getStatus({ kind, namespace, name });
        if (disposed || request !== latestRequest) return;
        setState({ loading: false, value, updatedAt: Date.now() });
      } catch (e) {
        if (disposed || request !== latestRequest) return;
        const error = e instanceof Error ? e : new Error(String(e));
        setState(prev => ({ ...prev, loading: false, error }));
      }
      setRefreshing(false);
      // Next refresh only while visible; becoming visible again reloads at once.
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
  }, [canaryApi, kind, namespace, name, intervalMs]);

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
