import { validateCrd } from '@runway/testing';
import { canaryService, postgresDatabase, rolloutService } from './fixtures';

/*
 * The fixtures are served by the HTTP fake here and written to a real API server by the
 * end-to-end tests (statuses included, as the operators would write them): they must be
 * what the CRDs accept, or the e2e setup fails where a unit test could have said why.
 */
describe('fixtures', () => {
  const customResources = [
    ...canaryService({
      id: 'orders-api',
      namespace: 'orders',
      stableWeight: 80,
      canaryWeight: 20,
    }),
    ...postgresDatabase({
      id: 'orders-api',
      namespace: 'orders',
      now: new Date('2026-11-28T12:00:00Z'),
    }),
    ...rolloutService({ id: 'checkout-api', namespace: 'checkout' }),
  ]
    // Built-in kinds have no CRD schema; nor has AnalysisRun in shared/crd-schemas.
    .filter(o => o.apiVersion.includes('.') && o.kind !== 'AnalysisRun');

  it.each(customResources.map(o => [`${o.kind} ${o.metadata.name}`, o]))(
    '%s is valid against its CRD schema, status included',
    (_, object) => {
      expect(validateCrd(object)).toEqual([]);
    },
  );

  it('covers the CloudNativePG, Istio and Argo Rollouts kinds the views read', () => {
    expect([...new Set(customResources.map(o => o.kind))].sort()).toEqual([
      'Backup',
      'Cluster',
      'DestinationRule',
      'Rollout',
      'ScheduledBackup',
      'VirtualService',
    ]);
  });
});
