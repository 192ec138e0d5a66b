import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type {
  CanaryHealthResponse,
  CanaryStatusResponse,
} from '@runway/plugin-canary-common';
import { canaryApiRef } from '../../api';
import { PolledValue, usePolledValue } from '../common/usePolledValue';

/** How often the status is re-read while the page is visible. */
export const REFRESH_INTERVAL_MS = 10_000;

export type CanaryStatusState = PolledValue<CanaryStatusResponse>;

/**
 * Loads the canary status of an entity, then re-reads it every
 * {@link REFRESH_INTERVAL_MS} while the document is visible.
 */
export function useCanaryStatus(
  entityRef: CompoundEntityRef,
  intervalMs: number = REFRESH_INTERVAL_MS,
): CanaryStatusState {
  const canaryApi = useApi(canaryApiRef);
  return usePolledValue(
    () => canaryApi.getStatus(entityRef),
    stringifyEntityRef(entityRef),
    intervalMs,
  );
}

/**
 * Loads the live health of an entity's releases, re-read like the status. Prometheus is
 * asked at most every 15 s per release by the backend, whatever the number of viewers.
 */
export function useCanaryHealth(
  entityRef: CompoundEntityRef,
  intervalMs: number = REFRESH_INTERVAL_MS,
): PolledValue<CanaryHealthResponse> {
  const canaryApi = useApi(canaryApiRef);
  return usePolledValue(
    () => canaryApi.getHealth(entityRef),
    `${stringifyEntityRef(entityRef)}#health`,
    intervalMs,
  );
}
