import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type { CanaryStatusResponse } from '@runway/plugin-canary-common';
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
