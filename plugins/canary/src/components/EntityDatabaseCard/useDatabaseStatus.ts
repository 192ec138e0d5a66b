import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type { DatabaseStatusResponse } from '@runway/plugin-canary-common';
import { canaryApiRef } from '../../api';
import { PolledValue, usePolledValue } from '../common/usePolledValue';

/** How often the databases are re-read while the page is visible. */
export const DATABASE_REFRESH_INTERVAL_MS = 30_000;

/** Loads the databases of an entity and re-reads them while the page is visible. */
export function useDatabaseStatus(
  entityRef: CompoundEntityRef,
  intervalMs: number = DATABASE_REFRESH_INTERVAL_MS,
): PolledValue<DatabaseStatusResponse> {
  const canaryApi = useApi(canaryApiRef);
  return usePolledValue(
    () => canaryApi.getDatabaseStatus(entityRef),
    stringifyEntityRef(entityRef),
    intervalMs,
  );
}
