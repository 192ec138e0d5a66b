import {
  clusterReadiness,
  describeReadiness,
  HEALTHY_PHASE,
} from './readiness';

describe('clusterReadiness', () => {
  it.each([
    ['no object', undefined, 3, false],
    ['no status', {}, 3, false],
    [
      'some instances ready',
      { status: { readyInstances: 1, phase: 'Creating replica' } },
      3,
      false,
    ],
    [
      'all ready but not yet healthy',
      {
        status: {
          readyInstances: 3,
          phase: 'Waiting for the instances to become active',
        },
      },
      3,
      false,
    ],
    [
      'healthy with fewer instances than asked (scaling up)',
      { status: { readyInstances: 1, phase: HEALTHY_PHASE } },
      3,
      false,
    ],
    [
      'healthy and all ready',
      { status: { readyInstances: 3, phase: HEALTHY_PHASE } },
      3,
      true,
    ],
    [
      'healthy single instance',
      { status: { readyInstances: 1, phase: HEALTHY_PHASE } },
      1,
      true,
    ],
  ])('%s → ready: %s', (_, object, instances, ready) => {
    expect(clusterReadiness(object as any, instances).ready).toBe(ready);
  });
});

describe('describeReadiness', () => {
  it.each([
    [
      undefined,
      3,
      '0/3 instances ready; the operator has reported no status yet (is the CloudNativePG operator running?)',
    ],
    [
      {
        readyInstances: 1,
        phase: 'Creating a new replica',
        phaseReason: 'Creating replica orders-db-2',
      },
      3,
      '1/3 instances ready; operator: "Creating a new replica" (Creating replica orders-db-2)',
    ],
    [
      { readyInstances: 1, phase: HEALTHY_PHASE },
      1,
      `1/1 instance ready; operator: "${HEALTHY_PHASE}"`,
    ],
  ])('%j of %d', (status, instances, text) => {
    expect(describeReadiness(clusterReadiness({ status }, instances))).toBe(
      text,
    );
  });
});
