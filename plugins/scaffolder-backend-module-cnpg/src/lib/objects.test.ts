import { isManagedByRunway, resourceOf } from './objects';

describe('isManagedByRunway', () => {
  const object = (managers: string[]) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'shop',
      managedFields: managers.map(manager => ({ manager, operation: 'Apply' })),
    },
  });
  it.each([
    [[], false],
    [['kubectl'], false],
    [['kubectl', 'runway-cnpg'], true],
  ])('%j → %s', (managers, managed) => {
    expect(isManagedByRunway(object(managers))).toBe(managed);
  });
});

describe('resourceOf', () => {
  it.each([
    ['v1', 'Namespace', 'namespaces'],
    ['postgresql.cnpg.io/v1', 'Cluster', 'clusters'],
    ['postgresql.cnpg.io/v1', 'Database', 'databases'],
    ['postgresql.cnpg.io/v1', 'ScheduledBackup', 'scheduledbackups'],
    ['barmancloud.cnpg.io/v1', 'ObjectStore', 'objectstores'],
  ])('%s %s → %s', (apiVersion, kind, key) => {
    expect(resourceOf({ apiVersion, kind })).toBe(key);
  });
  it('refuses kinds the action does not manage', () => {
    expect(() => resourceOf({ apiVersion: 'v1', kind: 'Secret' })).toThrow(
      'v1 Secret is not a resource this action manages',
    );
  });
});
